"""GET /api/v1/tickets/{number} and /events: who sees which ticket, and how much of the requester (Art. 23)."""

from __future__ import annotations

import time_machine

from hotline.tickets import workflow
from tests.api.base import ApiTestCase
from tests.base import local


class TestReadTicket(ApiTestCase):
    def setUp(self):
        self.ticket = self.new_ticket(requester={"name": "张三丰", "phone": "13987654321",
                                                 "id_number": "430502199001011234", "address": "双清区滨江路8号3栋"})
        workflow.dispatch(self.ticket, by=self.dispatcher, lead_unit=self.unit_a, assisting_units=[self.unit_c])

    def test_it_shows_hotline_staff_the_requester_in_full(self):
        body = self.get(f"/tickets/{self.ticket.number}", as_=self.reviewer).json()
        assert body["requester"] == {"name": "张三丰", "phone": "13987654321", "id_number": "430502199001011234",
                                     "address": "双清区滨江路8号3栋", "is_company": False, "masked": False}
        assert body["requester_hidden"] is False

    def test_it_shows_the_lead_unit_masked_values(self):
        body = self.get(f"/tickets/{self.ticket.number}", as_=self.unit_a_handler).json()
        assert body["requester"] == {"name": "张**", "phone": "139****4321", "id_number": "430502********1234",
                                     "address": "双清区滨江路****", "is_company": False, "masked": True}

    def test_it_shows_an_assisting_unit_masked_values_too(self):
        body = self.get(f"/tickets/{self.ticket.number}", as_=self.unit_c_handler).json()
        assert body["requester"]["phone"] == "139****4321"

    def test_it_answers_404_to_a_unit_that_was_never_assigned(self):
        self.assert_error(self.get(f"/tickets/{self.ticket.number}", as_=self.unit_b_handler), 404,
                          "ticket_not_found")

    def test_it_answers_404_to_an_unknown_number(self):
        self.assert_error(self.get("/tickets/20990101000001", as_=self.operator), 404, "ticket_not_found")

    def test_it_lists_lead_assisting_units_and_every_deadline_column(self):
        body = self.get(f"/tickets/{self.ticket.number}", as_=self.operator).json()
        assert body["lead_unit"] == {"code": "cgzf", "name": "市城管执法局"}
        assert body["assisting_units"] == [{"code": "sq-cgj", "name": "双清区城管局"}]
        for column in ("dispatch_due", "consult_due", "sign_due", "desk_return_due", "return_due", "arrival_due",
                       "handling_due", "rework_due", "current_due"):
            assert column in body
        assert body["current_due"] == body["sign_due"]


class TestConfidentialTicket(ApiTestCase):
    def setUp(self):
        self.ticket = self.new_ticket(is_confidential=True)
        workflow.dispatch(self.ticket, by=self.dispatcher, lead_unit=self.unit_a)

    def test_it_never_shows_unit_staff_who_the_requester_is(self):
        body = self.get(f"/tickets/{self.ticket.number}", as_=self.unit_a_handler).json()
        assert body["requester"] is None
        assert body["requester_hidden"] is True
        assert "张" not in str(body) and "4321" not in str(body)

    def test_it_hides_the_requester_in_unit_lists_too(self):
        body = self.get("/tickets", as_=self.unit_a_manager).json()
        assert [item["requester"] for item in body["items"]] == [None]

    def test_it_still_shows_hotline_staff_the_requester(self):
        body = self.get(f"/tickets/{self.ticket.number}", as_=self.followup).json()
        assert body["requester"]["phone"] == "13987654321"
        assert body["requester_hidden"] is False


class TestEvents(ApiTestCase):
    def test_it_lists_the_history_oldest_first_with_actor_unit_and_article(self):
        with time_machine.travel(local(2026, 3, 2, 9), tick=False):
            ticket = self.signed_ticket()
        body = self.get(f"/tickets/{ticket.number}/events", as_=self.unit_a_handler).json()
        assert [(e["action"], e["from_status"], e["to_status"]) for e in body] == [
            ("accept", "", "pending_dispatch"), ("dispatch", "pending_dispatch", "dispatched"),
            ("sign", "dispatched", "in_progress"),
        ]
        sign = body[2]
        assert sign["action_label"] == "签收"
        assert sign["actor"] == "unit_a_handler"
        assert sign["actor_unit"] == "cgzf"
        assert sign["at"] == "2026-03-02T09:00:00+08:00"
        assert sign["article"].startswith("第十三条")

    def test_it_answers_404_for_events_of_an_invisible_ticket(self):
        ticket = self.dispatched_ticket()
        self.assert_error(self.get(f"/tickets/{ticket.number}/events", as_=self.unit_b_handler), 404,
                          "ticket_not_found")
