"""The lead unit's verbs: sign, extension, reply, contact-attempt, arrival (Art. 12-15, 20).

`return` has its own module (test_transitions_return)."""

from __future__ import annotations

from unittest import mock

from hotline.tickets import workflow
from hotline.tickets.models import ContactAttempt, ExtensionRequest, Ticket
from tests.api.base import VALID_BODIES, ApiTestCase
from tests.base import local


class TestSign(ApiTestCase):
    def setUp(self):
        self.freeze()
        self.ticket = self.new_ticket()
        workflow.dispatch(self.ticket, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_c])

    def test_it_signs_and_starts_the_handling_and_return_clocks(self):
        body = self.verb(self.ticket.number, "sign", as_=self.unit_a_handler).json()
        assert body["status"] == "in_progress"
        assert body["signed_at"] == "2026-03-02T09:00:00+08:00"
        assert body["desk_return_due"] == "2026-03-03T00:00:00+08:00"  # Art. 13: by the end of the signing day
        assert body["return_due"] == "2026-03-05T00:00:00+08:00"  # Art. 13: on-site, 2 working days
        assert body["handling_due"] == "2026-03-10T00:00:00+08:00"  # Art. 14: a complaint, 5 working days
        assert body["handling_days"] == 5

    def test_it_forbids_an_assisting_unit(self):
        self.assert_error(self.verb(self.ticket.number, "sign", as_=self.unit_c_handler), 403, "not_lead_unit")

    def test_it_forbids_hotline_staff(self):
        self.assert_error(self.verb(self.ticket.number, "sign", as_=self.dispatcher), 403, "role_not_allowed")

    def test_it_answers_404_to_a_unit_not_assigned(self):
        self.assert_error(self.verb(self.ticket.number, "sign", as_=self.unit_b_handler), 404, "ticket_not_found")

    def test_it_answers_409_to_a_second_signature(self):
        self.verb(self.ticket.number, "sign", as_=self.unit_a_handler)
        self.assert_error(self.verb(self.ticket.number, "sign", as_=self.unit_a_manager), 409,
                          "transition_not_allowed")

    def test_it_answers_409_when_someone_else_moved_the_ticket_first(self):
        # The API read the ticket, then a colleague signed it before the API's write: the compare-and-swap loses.
        stale = Ticket.objects.get(pk=self.ticket.pk)
        workflow.sign(Ticket.objects.get(pk=self.ticket.pk), by=self.unit_a_manager)
        with mock.patch("hotline.api.routers.transitions.access_ticket", return_value=stale):
            response = self.verb(self.ticket.number, "sign", as_=self.unit_a_handler)
        self.assert_error(response, 409, "concurrent_change")


class TestExtension(ApiTestCase):
    def setUp(self):
        self.freeze()
        self.ticket = self.new_ticket()
        workflow.dispatch(self.ticket, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_c])
        workflow.sign(self.ticket, by=self.unit_a_handler)

    def test_it_records_a_request_without_moving_the_deadline_yet(self):
        body = self.verb(self.ticket.number, "extension", VALID_BODIES["extension"], as_=self.unit_a_handler).json()
        assert body["status"] == "in_progress"
        assert body["handling_due"] == "2026-03-10T00:00:00+08:00"
        assert ExtensionRequest.objects.get(ticket=self.ticket).working_days == 3

    def test_it_refuses_more_than_ten_working_days(self):
        response = self.verb(self.ticket.number, "extension", {"working_days": 11, "reason": "x"},
                             as_=self.unit_a_handler)
        self.assert_error(response, 400, "invalid_extension_days", "working_days")

    def test_it_refuses_working_days_that_are_not_a_json_integer(self):
        for days in ("3", True, 3.0, "三"):
            response = self.verb(self.ticket.number, "extension", {"working_days": days, "reason": "需协调"},
                                 as_=self.unit_a_handler)
            error = self.assert_error(response, 400, "invalid_input", "working_days")
            assert error["errors"][0]["message"] == "须为整数"
        assert not ExtensionRequest.objects.exists()

    def test_it_forbids_an_assisting_unit(self):
        self.assert_error(self.verb(self.ticket.number, "extension", VALID_BODIES["extension"],
                                    as_=self.unit_c_handler), 403, "not_lead_unit")

    def test_it_answers_409_to_a_second_request(self):
        self.verb(self.ticket.number, "extension", VALID_BODIES["extension"], as_=self.unit_a_handler)
        self.assert_error(self.verb(self.ticket.number, "extension", VALID_BODIES["extension"],
                                    as_=self.unit_a_handler), 409, "extension_used")

    def test_it_answers_409_after_the_deadline(self):
        self.freeze(local(2026, 3, 10))
        self.assert_error(self.verb(self.ticket.number, "extension", VALID_BODIES["extension"],
                                    as_=self.unit_a_handler), 409, "deadline_passed")


class TestReply(ApiTestCase):
    def setUp(self):
        self.freeze(local(2026, 3, 2, 9, 30))
        self.ticket = self.new_ticket()
        workflow.dispatch(self.ticket, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_c])
        self.freeze(local(2026, 3, 2, 11))

    def reply(self, **changes):
        return self.verb(self.ticket.number, "reply", {**VALID_BODIES["reply"], **changes}, as_=self.unit_a_handler)

    def test_it_records_the_units_reply_for_review(self):
        workflow.sign(self.ticket, by=self.unit_a_handler)
        body = self.verb(self.ticket.number, "reply", VALID_BODIES["reply"], as_=self.unit_a_handler).json()
        assert (body["status"], body["status_label"]) == ("replied", "办结待审")
        assert body["replied_at"] == "2026-03-02T11:00:00+08:00"

    def test_it_refuses_a_handling_time_without_offset(self):
        workflow.sign(self.ticket, by=self.unit_a_handler)
        body = {**VALID_BODIES["reply"], "handled_at": "2026-03-02T10:00:00"}
        error = self.assert_error(self.verb(self.ticket.number, "reply", body, as_=self.unit_a_handler), 400,
                                  "invalid_input", "handled_at")
        assert error["errors"][0]["message"] == "须带时区偏移，如 +08:00"

    def test_it_refuses_a_handling_time_in_year_one_or_9999_instead_of_overflowing(self):
        workflow.sign(self.ticket, by=self.unit_a_handler)
        for when in ("0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-08:00"):
            error = self.assert_error(self.reply(handled_at=when), 400, "invalid_input", "handled_at")
            assert error["errors"][0]["message"] == "须在 1970-01-01 至 2099-12-31 之间"

    def test_it_refuses_a_number_for_the_handling_time(self):
        workflow.sign(self.ticket, by=self.unit_a_handler)
        for when in (1772420400, 1772420400.5, True):
            error = self.assert_error(self.reply(handled_at=when), 400, "invalid_input", "handled_at")
            assert "字符串" in error["errors"][0]["message"]

    def test_it_refuses_a_handling_time_before_the_ticket_was_dispatched(self):
        workflow.sign(self.ticket, by=self.unit_a_handler)
        error = self.assert_error(self.reply(handled_at="2026-03-02T09:29:00+08:00"), 400, "invalid_handled_at",
                                  "handled_at")
        assert error["message"] == "办理时间不能早于工单转派时间（2026-03-02 09:30）"

    def test_it_refuses_a_handling_time_in_the_future(self):
        workflow.sign(self.ticket, by=self.unit_a_handler)
        self.assert_error(self.reply(handled_at="2026-03-02T11:01:00+08:00"), 400, "invalid_handled_at",
                          "handled_at")

    def test_it_needs_contacted_as_a_boolean(self):
        workflow.sign(self.ticket, by=self.unit_a_handler)
        body = {key: value for key, value in VALID_BODIES["reply"].items() if key != "contacted"}
        error = self.assert_error(self.verb(self.ticket.number, "reply", body, as_=self.unit_a_handler), 400,
                                  "invalid_input", "contacted")
        assert error["errors"][0]["message"] == "此项为必填"
        for value in ("yes", "true", 1, None):
            self.assert_error(self.reply(contacted=value), 400, "invalid_input", "contacted")
        assert self.reply(contacted=False).status_code == 200

    def test_it_refuses_a_blank_result(self):
        workflow.sign(self.ticket, by=self.unit_a_handler)
        body = {**VALID_BODIES["reply"], "result": " "}
        self.assert_error(self.verb(self.ticket.number, "reply", body, as_=self.unit_a_handler), 400, "required",
                          "result")

    def test_it_forbids_an_assisting_unit(self):
        workflow.sign(self.ticket, by=self.unit_a_handler)
        self.assert_error(self.verb(self.ticket.number, "reply", VALID_BODIES["reply"], as_=self.unit_c_handler),
                          403, "not_lead_unit")

    def test_it_answers_409_before_the_ticket_is_signed(self):
        self.assert_error(self.verb(self.ticket.number, "reply", VALID_BODIES["reply"], as_=self.unit_a_handler),
                          409, "transition_not_allowed")


class TestContactAttempt(ApiTestCase):
    def setUp(self):
        self.ticket = self.new_ticket(request_type="consultation")
        workflow.dispatch(self.ticket, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_c])
        workflow.sign(self.ticket, by=self.unit_a_handler)

    def test_it_records_an_attempt_without_changing_the_status(self):
        attempt = {"method": "call", "reached": False, "note": "无人接听"}
        body = self.verb(self.ticket.number, "contact-attempt", attempt, as_=self.unit_a_handler).json()
        assert body["status"] == "in_progress"
        attempt = ContactAttempt.objects.get(ticket=self.ticket)
        assert (attempt.method, attempt.reached, attempt.note) == ("call", False, "无人接听")

    def test_it_refuses_an_unknown_method(self):
        self.assert_error(self.verb(self.ticket.number, "contact-attempt", {"method": "email"},
                                    as_=self.unit_a_handler), 400, "invalid_input", "method")

    def test_it_forbids_an_assisting_unit(self):
        self.assert_error(self.verb(self.ticket.number, "contact-attempt", VALID_BODIES["contact-attempt"],
                                    as_=self.unit_c_handler), 403, "not_lead_unit")

    def test_it_answers_409_on_a_ticket_waiting_for_dispatch(self):
        waiting = self.new_ticket()
        self.assert_error(self.verb(waiting.number, "contact-attempt", VALID_BODIES["contact-attempt"],
                                    as_=self.operator), 409, "transition_not_allowed")


class TestArrival(ApiTestCase):
    def setUp(self):
        self.freeze()
        self.ticket = self.new_ticket(topic=self.topic_noise)
        workflow.dispatch(self.ticket, by=self.dispatcher, lead_unit=self.unit_a)

    def test_it_records_the_arrival_within_the_hour(self):
        before = self.get(f"/tickets/{self.ticket.number}", as_=self.unit_a_handler).json()
        assert before["arrival_due"] == "2026-03-02T10:00:00+08:00"  # Art. 20: one hour after dispatch
        body = self.verb(self.ticket.number, "arrival", {"remote": False, "note": "已到现场"},
                         as_=self.unit_a_handler).json()
        assert (body["status"], body["arrived_at"]) == ("dispatched", "2026-03-02T09:00:00+08:00")

    def test_it_refuses_a_non_boolean_remote(self):
        for remote in ("maybe", "true", 1):
            self.assert_error(self.verb(self.ticket.number, "arrival", {"remote": remote}, as_=self.unit_a_handler),
                              400, "invalid_input", "remote")

    def test_it_forbids_hotline_staff(self):
        self.assert_error(self.verb(self.ticket.number, "arrival", {}, as_=self.dispatcher), 403, "role_not_allowed")

    def test_it_answers_409_to_a_second_arrival(self):
        self.verb(self.ticket.number, "arrival", {}, as_=self.unit_a_handler)
        self.assert_error(self.verb(self.ticket.number, "arrival", {}, as_=self.unit_a_handler), 409,
                          "already_arrived")
