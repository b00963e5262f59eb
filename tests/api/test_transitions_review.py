"""The hotline's review and follow-up verbs: return-review, extension-review, reply-review, follow-up, rework
(Art. 13, 14, 16, 17)."""

from __future__ import annotations

from hotline.tickets import workflow
from hotline.tickets.models import FollowUp
from tests.api.base import VALID_BODIES, ApiTestCase


class TestReturnReview(ApiTestCase):
    def setUp(self):
        self.ticket = self.dispatched_ticket()
        workflow.request_return(self.ticket, by=self.unit_a_handler, kind="desk", reason="不属本单位职责",
                                basis="机构职能规定", suggested_unit=self.unit_b)

    def test_it_approves_back_to_dispatch_with_the_suggested_unit(self):
        body = self.verb(self.ticket.number, "return-review", {"approve": True}, as_=self.reviewer).json()
        assert (body["status"], body["lead_unit"]) == ("pending_dispatch", None)
        assert body["suggested_unit"]["code"] == "zjj"

    def test_it_rejects_with_a_reason_back_to_the_unit(self):
        body = self.verb(self.ticket.number, "return-review", {"approve": False, "note": "属本单位职责"},
                         as_=self.reviewer).json()
        assert (body["status"], body["lead_unit"]["code"]) == ("dispatched", "cgzf")

    def test_it_refuses_a_rejection_without_reason(self):
        self.assert_error(self.verb(self.ticket.number, "return-review", {"approve": False}, as_=self.reviewer),
                          400, "required", "note")

    def test_it_refuses_yes_for_approve_rather_than_approving(self):
        # A client writing {"approve": "yes", "note": "不同意"} meant something; it is not an approval.
        for approve in ("yes", "true", 1, "no", 0):
            response = self.verb(self.ticket.number, "return-review", {"approve": approve, "note": "不同意"},
                                 as_=self.reviewer)
            error = self.assert_error(response, 400, "invalid_input", "approve")
            assert error["errors"][0]["message"] == "须为 true 或 false"
        assert self.get(f"/tickets/{self.ticket.number}", as_=self.reviewer).json()["status"] == "return_requested"

    def test_it_forbids_the_unit_reviewing_its_own_return(self):
        self.assert_error(self.verb(self.ticket.number, "return-review", {"approve": True}, as_=self.unit_a_manager),
                          403, "role_not_allowed")

    def test_it_answers_409_when_nothing_waits_for_review(self):
        self.verb(self.ticket.number, "return-review", {"approve": True}, as_=self.reviewer)
        self.assert_error(self.verb(self.ticket.number, "return-review", {"approve": True}, as_=self.reviewer),
                          409, "no_pending_return")


class TestExtensionReview(ApiTestCase):
    def setUp(self):
        self.freeze()
        self.ticket = self.signed_ticket()
        workflow.request_extension(self.ticket, by=self.unit_a_handler, working_days=3, reason="需协调多个部门")

    def test_it_approves_and_moves_the_handling_deadline(self):
        body = self.verb(self.ticket.number, "extension-review", {"approve": True}, as_=self.reviewer).json()
        # Due 24:00 Mon 9 March; three more working days from that day: Tue, Wed, Thu -> 24:00 Thu 12 March.
        assert body["handling_due"] == "2026-03-13T00:00:00+08:00"
        assert body["extension_count"] == 1

    def test_it_rejects_with_a_reason_keeping_the_deadline(self):
        body = self.verb(self.ticket.number, "extension-review", {"approve": False, "note": "理由不充分"},
                         as_=self.reviewer).json()
        assert (body["handling_due"], body["extension_count"]) == ("2026-03-10T00:00:00+08:00", 0)

    def test_it_refuses_a_rejection_without_reason(self):
        self.assert_error(self.verb(self.ticket.number, "extension-review", {"approve": False}, as_=self.reviewer),
                          400, "required", "note")

    def test_it_forbids_an_operator(self):
        self.assert_error(self.verb(self.ticket.number, "extension-review", {"approve": True}, as_=self.operator),
                          403, "role_not_allowed")

    def test_it_answers_409_when_nothing_waits_for_review(self):
        self.verb(self.ticket.number, "extension-review", {"approve": True}, as_=self.reviewer)
        self.assert_error(self.verb(self.ticket.number, "extension-review", {"approve": True}, as_=self.reviewer),
                          409, "no_pending_extension")


class TestReplyReview(ApiTestCase):
    def setUp(self):
        self.freeze()
        self.ticket = self.replied_ticket()

    def test_it_approves_the_reply_as_resolved(self):
        body = self.verb(self.ticket.number, "reply-review", {"approve": True}, as_=self.reviewer).json()
        assert (body["status"], body["resolved_at"]) == ("resolved", "2026-03-02T09:00:00+08:00")

    def test_it_rejects_back_to_the_unit(self):
        body = self.verb(self.ticket.number, "reply-review", {"approve": False, "note": "未写明处理结果"},
                         as_=self.reviewer).json()
        assert body["status"] == "in_progress"

    def test_it_refuses_a_rejection_without_reason(self):
        self.assert_error(self.verb(self.ticket.number, "reply-review", {"approve": False}, as_=self.reviewer),
                          400, "required", "note")

    def test_it_refuses_a_non_boolean_approve(self):
        self.assert_error(self.verb(self.ticket.number, "reply-review", {"approve": "perhaps"}, as_=self.reviewer),
                          400, "invalid_input", "approve")

    def test_it_forbids_the_unit(self):
        self.assert_error(self.verb(self.ticket.number, "reply-review", {"approve": True}, as_=self.unit_a_handler),
                          403, "role_not_allowed")

    def test_it_answers_409_when_no_reply_waits(self):
        ticket = self.signed_ticket()
        self.assert_error(self.verb(ticket.number, "reply-review", {"approve": True}, as_=self.reviewer), 409,
                          "no_pending_reply")


class TestFollowUp(ApiTestCase):
    def setUp(self):
        self.ticket = self.resolved_ticket()

    def test_it_closes_a_satisfied_ticket(self):
        body = self.verb(self.ticket.number, "follow-up", VALID_BODIES["follow-up"], as_=self.followup).json()
        assert body["status"] == "closed"
        assert FollowUp.objects.get(ticket=self.ticket).satisfaction == "5"

    def test_it_sends_a_ticket_dissatisfied_through_the_unit_back_for_rework_in_the_same_call(self):
        body = {"reached": True, "satisfaction": "1", "solved": False, "unit_contacted": False, "fault": "unit"}
        answer = self.verb(self.ticket.number, "follow-up", body, as_=self.followup).json()
        assert (answer["status"], answer["rework_count"]) == ("in_progress", 1)

    def test_it_needs_the_units_contact_answered_never_defaulted(self):
        body = {"reached": True, "satisfaction": "5", "solved": True}
        self.assert_error(self.verb(self.ticket.number, "follow-up", body, as_=self.followup), 400, "required",
                          "unit_contacted")

    def test_it_takes_only_a_json_boolean_for_a_yes_or_no(self):
        body = {**VALID_BODIES["follow-up"], "unit_contacted": "true"}
        self.assert_error(self.verb(self.ticket.number, "follow-up", body, as_=self.followup), 400, "invalid_input",
                          "unit_contacted")

    def test_it_needs_a_satisfaction_level_when_the_requester_was_reached(self):
        self.assert_error(self.verb(self.ticket.number, "follow-up", {"reached": True}, as_=self.followup), 400,
                          "invalid_satisfaction", "satisfaction")

    def test_it_refuses_a_level_outside_the_five(self):
        self.assert_error(self.verb(self.ticket.number, "follow-up", {"reached": True, "satisfaction": "7"},
                                    as_=self.followup), 400, "invalid_input", "satisfaction")

    def test_it_forbids_an_operator(self):
        self.assert_error(self.verb(self.ticket.number, "follow-up", VALID_BODIES["follow-up"], as_=self.operator),
                          403, "role_not_allowed")

    def test_it_answers_409_before_the_ticket_is_resolved(self):
        ticket = self.signed_ticket()
        self.assert_error(self.verb(ticket.number, "follow-up", VALID_BODIES["follow-up"], as_=self.followup), 409,
                          "transition_not_allowed")


class TestRework(ApiTestCase):
    def setUp(self):
        self.freeze()
        self.ticket = self.resolved_ticket()

    def test_it_sends_the_ticket_back_with_five_working_days(self):
        body = {"reached": True, "satisfaction": "2", "solved": False, "unit_contacted": False, "fault": "unit"}
        body = self.verb(self.ticket.number, "follow-up", body, as_=self.followup).json()
        assert (body["status"], body["rework_count"]) == ("in_progress", 1)
        assert body["rework_due"] == "2026-03-10T00:00:00+08:00"  # Art. 17: 5 working days
        assert body["current_due"] == body["rework_due"]

    def test_it_refuses_an_unknown_field(self):
        self.assert_error(self.verb(self.ticket.number, "rework", {"reason": "x"}, as_=self.followup), 400,
                          "invalid_input", "reason")

    def test_it_forbids_an_operator(self):
        self.assert_error(self.verb(self.ticket.number, "rework", {}, as_=self.operator), 403, "role_not_allowed")

    def test_it_answers_409_when_the_unit_was_not_at_fault(self):
        self.assert_error(self.verb(self.ticket.number, "rework", {}, as_=self.followup), 409,
                          "rework_not_justified")
