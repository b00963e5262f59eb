"""The hotline's own verbs before dispatch: decline, answer, consult, dispatch, merge, hand-off (Art. 7, 10-13)."""

from __future__ import annotations

from hotline.tickets.models import HandOff
from tests.api.base import VALID_BODIES, ApiTestCase


class TestDecline(ApiTestCase):
    def setUp(self):
        self.freeze()
        self.ticket = self.new_ticket()

    def test_it_declines_with_an_article_10_reason(self):
        response = self.verb(self.ticket.number, "decline", VALID_BODIES["decline"], as_=self.operator)
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["status"], body["status_label"], body["decline_reason"]) == ("declined", "不予受理", "9")
        assert body["closed_at"] == "2026-03-02T09:00:00+08:00"

    def test_it_refuses_a_reason_outside_article_10(self):
        response = self.verb(self.ticket.number, "decline", {"reason_code": "11", "explanation": "x"},
                             as_=self.operator)
        self.assert_error(response, 400, "invalid_reason_code", "reason_code")

    def test_it_forbids_a_reviewer(self):
        response = self.verb(self.ticket.number, "decline", VALID_BODIES["decline"], as_=self.reviewer)
        self.assert_error(response, 403, "role_not_allowed")

    def test_it_answers_404_to_unit_staff_who_cannot_see_the_ticket(self):
        response = self.verb(self.ticket.number, "decline", VALID_BODIES["decline"], as_=self.unit_a_handler)
        self.assert_error(response, 404, "ticket_not_found")

    def test_it_answers_409_once_the_ticket_is_dispatched(self):
        ticket = self.dispatched_ticket()
        body = self.assert_error(self.verb(ticket.number, "decline", VALID_BODIES["decline"], as_=self.operator),
                                 409, "transition_not_allowed")
        assert body["details"] == {"status": "dispatched", "action": "decline"}


class TestAnswer(ApiTestCase):
    def setUp(self):
        self.ticket = self.new_ticket(request_type="consultation")

    def test_it_answers_on_the_spot(self):
        body = self.verb(self.ticket.number, "answer", VALID_BODIES["answer"], as_=self.operator).json()
        assert (body["status"], body["answer"]) == ("answered", "可登录住房公积金网上服务大厅办理")

    def test_it_refuses_a_missing_answer_text(self):
        self.assert_error(self.verb(self.ticket.number, "answer", {}, as_=self.operator), 400, "invalid_input",
                          "text")

    def test_it_forbids_follow_up_staff(self):
        self.assert_error(self.verb(self.ticket.number, "answer", VALID_BODIES["answer"], as_=self.followup), 403,
                          "role_not_allowed")

    def test_it_answers_409_to_a_second_answer(self):
        self.verb(self.ticket.number, "answer", VALID_BODIES["answer"], as_=self.operator)
        self.assert_error(self.verb(self.ticket.number, "answer", VALID_BODIES["answer"], as_=self.operator), 409,
                          "transition_not_allowed")


class TestConsult(ApiTestCase):
    def setUp(self):
        self.freeze()
        self.ticket = self.new_ticket(request_type="consultation")

    def test_it_consults_a_unit_with_a_24_hour_clock(self):
        body = self.verb(self.ticket.number, "consult", {"unit": "zjj", "note": "核实政策"}, as_=self.operator).json()
        assert body["status"] == "consulting"
        assert body["consult_unit"] == {"code": "zjj", "name": "市住房和城乡建设局"}
        assert body["consult_due"] == "2026-03-03T09:00:00+08:00"  # Art. 12.1: 24 clock hours

    def test_it_refuses_an_unknown_unit_code(self):
        self.assert_error(self.verb(self.ticket.number, "consult", {"unit": "nope"}, as_=self.operator), 400,
                          "unknown_unit", "unit")

    def test_it_refuses_the_hotline_itself(self):
        self.assert_error(self.verb(self.ticket.number, "consult", {"unit": "hotline"}, as_=self.operator), 400,
                          "invalid_unit", "unit")

    def test_it_forbids_a_reviewer(self):
        self.assert_error(self.verb(self.ticket.number, "consult", {"unit": "zjj"}, as_=self.reviewer), 403,
                          "role_not_allowed")

    def test_it_answers_409_on_a_dispatched_ticket(self):
        ticket = self.dispatched_ticket()
        self.assert_error(self.verb(ticket.number, "consult", {"unit": "zjj"}, as_=self.operator), 409,
                          "transition_not_allowed")


class TestDispatch(ApiTestCase):
    def setUp(self):
        self.freeze()
        self.ticket = self.new_ticket()

    def test_it_dispatches_to_a_lead_and_assisting_units_with_a_one_working_day_signing_clock(self):
        response = self.verb(self.ticket.number, "dispatch", {"lead_unit": "cgzf", "assisting_units": ["zjj"]},
                             as_=self.dispatcher)
        body = response.json()
        assert body["status"] == "dispatched"
        assert body["lead_unit"]["code"] == "cgzf"
        assert body["assisting_units"] == [{"code": "zjj", "name": "市住房和城乡建设局"}]
        assert body["sign_due"] == "2026-03-04T00:00:00+08:00"  # Art. 13: 24:00 of Tuesday, the next working day

    def test_it_refuses_an_unknown_lead_unit(self):
        self.assert_error(self.verb(self.ticket.number, "dispatch", {"lead_unit": "nope"}, as_=self.dispatcher), 400,
                          "unknown_unit", "lead_unit")

    def test_it_refuses_an_unknown_assisting_unit(self):
        body = {"lead_unit": "cgzf", "assisting_units": ["zjj", "nope"]}
        self.assert_error(self.verb(self.ticket.number, "dispatch", body, as_=self.dispatcher), 400, "unknown_unit",
                          "assisting_units")

    def test_it_refuses_a_lead_unit_that_also_assists(self):
        body = {"lead_unit": "cgzf", "assisting_units": ["cgzf"]}
        self.assert_error(self.verb(self.ticket.number, "dispatch", body, as_=self.dispatcher), 400,
                          "lead_also_assisting", "assisting_units")

    def test_it_forbids_an_operator(self):
        self.assert_error(self.verb(self.ticket.number, "dispatch", {"lead_unit": "cgzf"}, as_=self.operator), 403,
                          "role_not_allowed")

    def test_it_answers_409_to_a_second_dispatch(self):
        self.verb(self.ticket.number, "dispatch", {"lead_unit": "cgzf"}, as_=self.dispatcher)
        self.assert_error(self.verb(self.ticket.number, "dispatch", {"lead_unit": "zjj"}, as_=self.dispatcher), 409,
                          "transition_not_allowed")


class TestMerge(ApiTestCase):
    def setUp(self):
        self.original = self.new_ticket()
        self.repeat = self.new_ticket()

    def test_it_merges_a_repeat_into_the_original(self):
        body = self.verb(self.repeat.number, "merge", {"into": self.original.number}, as_=self.operator).json()
        assert (body["status"], body["merged_into"]) == ("merged", self.original.number)

    def test_it_refuses_an_unknown_target_on_the_into_field(self):
        self.assert_error(self.verb(self.repeat.number, "merge", {"into": "20990101000001"}, as_=self.operator), 400,
                          "unknown_ticket", "into")

    def test_it_refuses_merging_a_ticket_into_itself(self):
        self.assert_error(self.verb(self.repeat.number, "merge", {"into": self.repeat.number}, as_=self.operator),
                          400, "merge_into_self", "into")

    def test_it_forbids_a_reviewer(self):
        self.assert_error(self.verb(self.repeat.number, "merge", {"into": self.original.number}, as_=self.reviewer),
                          403, "role_not_allowed")

    def test_it_answers_409_for_a_dispatched_ticket(self):
        ticket = self.dispatched_ticket()
        self.assert_error(self.verb(ticket.number, "merge", {"into": self.original.number}, as_=self.operator), 409,
                          "transition_not_allowed")


class TestHandOff(ApiTestCase):
    def setUp(self):
        self.ticket = self.new_ticket()

    def test_it_hands_an_emergency_to_110_and_records_it(self):
        body = self.verb(self.ticket.number, "hand-off", VALID_BODIES["hand-off"], as_=self.operator).json()
        assert (body["status"], body["handed_off_to"]) == ("handed_off", "110")
        assert HandOff.objects.get(ticket=self.ticket).summary == "有人持刀闹事"

    def test_it_refuses_a_line_that_is_not_an_emergency_line(self):
        self.assert_error(self.verb(self.ticket.number, "hand-off", {"line": "999", "summary": "x"},
                                    as_=self.operator), 400, "invalid_input", "line")

    def test_it_forbids_follow_up_staff(self):
        self.assert_error(self.verb(self.ticket.number, "hand-off", VALID_BODIES["hand-off"], as_=self.followup),
                          403, "role_not_allowed")

    def test_it_answers_409_for_a_dispatched_ticket(self):
        ticket = self.dispatched_ticket()
        self.assert_error(self.verb(ticket.number, "hand-off", VALID_BODIES["hand-off"], as_=self.operator), 409,
                          "transition_not_allowed")
