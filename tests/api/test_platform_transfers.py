"""POST /tickets/{number}/hand-down, /pass-up and /platform-sign: the hops between platforms (Art. 30)."""

from tests.api.base import ApiTestCase
from tests.platforms import PlatformsTestCase


class TestTransferApi(ApiTestCase, PlatformsTestCase):
    def test_down_signed_and_dispatched_by_the_county(self):
        self.freeze()
        ticket = self.new_ticket()
        response = self.verb(ticket.number, "hand-down", {"platform": "shuangqing", "note": "属双清区事项"},
                             as_=self.dispatcher)
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["status"], body["platform"], body["received_by"]) == ("transferring", "shuangqing", "city")
        self.assert_error(self.verb(ticket.number, "platform-sign", as_=self.dispatcher), 403,
                          "not_receiving_platform")
        self.assert_error(self.verb(ticket.number, "platform-sign", as_=self.dispatcher_xs), 404, "ticket_not_found")
        body = self.verb(ticket.number, "platform-sign", as_=self.dispatcher_sq).json()
        assert (body["status"], body["platform"]) == ("pending_dispatch", "shuangqing")
        response = self.verb(ticket.number, "dispatch", {"lead_unit": self.unit_c.code}, as_=self.dispatcher_sq)
        assert response.json()["status"] == "dispatched"

    def test_it_names_the_field_of_an_unknown_or_wrong_platform(self):
        ticket = self.new_ticket()
        self.assert_error(self.verb(ticket.number, "hand-down", {"platform": "nowhere"}, as_=self.dispatcher), 400,
                          "unknown_platform", "platform")
        self.assert_error(self.verb(ticket.number, "hand-down", {"platform": "city"}, as_=self.dispatcher), 400,
                          "platform_not_below", "platform")
        self.assert_error(self.verb(ticket.number, "hand-down", {"platform": 7}, as_=self.dispatcher), 400,
                          "invalid_input", "platform")

    def test_a_county_passes_up_with_a_reason(self):
        ticket = self.county_ticket(self.operator_sq)
        self.assert_error(self.verb(ticket.number, "pass-up", {"reason": ""}, as_=self.dispatcher_sq), 400,
                          "required", "reason")
        body = self.verb(ticket.number, "pass-up", {"reason": "属市住建局职责"}, as_=self.dispatcher_sq).json()
        assert (body["status"], body["platform"], body["received_by"]) == ("transferring", "city", "shuangqing")
