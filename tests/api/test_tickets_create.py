"""POST /api/v1/tickets: intake over the API (Art. 11)."""

from __future__ import annotations

import time_machine

from hotline.tickets.models import Ticket
from tests.api.base import PREFIX, ApiTestCase
from tests.base import local

BODY = {
    "channel": "web", "request_type": "complaint", "content": "小区门口路灯不亮已经一周", "address": "双清区龙须塘街道",
    "topic": "0101", "region": "shuangqing", "is_confidential": False, "is_complex": False,
    "requester": {"name": "张三", "phone": "139 8765 4321", "id_number": "430502199001011234"},
}


class TestCreateTicket(ApiTestCase):
    def test_it_creates_a_ticket_waiting_for_dispatch_with_a_two_hour_clock(self):
        with time_machine.travel(local(2026, 3, 2, 9, 15), tick=False):
            response = self.post("/tickets", BODY, as_=self.operator)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["number"] == "20260302000001"
        assert body["status"] == "pending_dispatch"
        assert body["status_label"] == "待派单"
        assert "待派单".encode() in response.content  # UTF-8 as is, not \u escapes
        assert body["topic"] == {"code": "0101", "name": "路灯照明"}
        assert body["region"] == {"code": "shuangqing", "name": "双清区"}
        assert body["created_at"] == "2026-03-02T09:15:00+08:00"
        assert body["dispatch_due"] == "2026-03-02T11:15:00+08:00"  # Art. 13: two clock hours
        assert body["requester"] == {"name": "张三", "phone": "13987654321", "id_number": "430502199001011234",
                                     "address": "", "is_company": False, "masked": False}
        assert Ticket.objects.get(number=body["number"]).created_by == self.operator

    def test_it_makes_noise_complaints_confidential_whatever_the_client_says(self):
        response = self.post("/tickets", {**BODY, "topic": "0103"}, as_=self.operator)
        assert response.json()["is_confidential"] is True  # Art. 23

    def test_it_accepts_a_ticket_without_topic_region_or_requester(self):
        body = {"channel": "phone", "request_type": "consultation", "content": "公积金怎么提取"}
        response = self.post("/tickets", body, as_=self.operator)
        assert response.status_code == 201
        assert response.json()["requester"] is None

    def test_it_refuses_an_unknown_topic_code_naming_the_field(self):
        self.assert_error(self.post("/tickets", {**BODY, "topic": "9999"}, as_=self.operator), 400, "unknown_topic",
                          "topic")

    def test_it_refuses_an_unknown_region_code_naming_the_field(self):
        self.assert_error(self.post("/tickets", {**BODY, "region": "atlantis"}, as_=self.operator), 400,
                          "unknown_unit", "region")

    def test_it_refuses_a_region_that_is_not_a_county(self):
        self.assert_error(self.post("/tickets", {**BODY, "region": "cgzf"}, as_=self.operator), 400,
                          "invalid_region", "region")

    def test_it_refuses_a_missing_content_with_a_chinese_field_message(self):
        body = {key: value for key, value in BODY.items() if key != "content"}
        error = self.assert_error(self.post("/tickets", body, as_=self.operator), 400, "invalid_input", "content")
        assert error["errors"] == [{"field": "content", "message": "此项为必填"}]

    def test_it_refuses_blank_content(self):
        self.assert_error(self.post("/tickets", {**BODY, "content": "   "}, as_=self.operator), 400, "required",
                          "content")

    def test_it_refuses_an_unknown_channel_listing_the_allowed_values(self):
        error = self.assert_error(self.post("/tickets", {**BODY, "channel": "fax"}, as_=self.operator), 400,
                                  "invalid_input", "channel")
        assert "wechat" in error["errors"][0]["message"]

    def test_it_refuses_an_invalid_phone_naming_the_nested_field(self):
        body = {**BODY, "requester": {"name": "张三", "phone": "12345"}}
        self.assert_error(self.post("/tickets", body, as_=self.operator), 400, "invalid_phone", "requester.phone")

    def test_it_refuses_a_nul_inside_the_phone_rather_than_stripping_it(self):
        body = {**BODY, "requester": {"name": "张三", "phone": "139\u000087654321"}}
        self.assert_error(self.post("/tickets", body, as_=self.operator), 400, "invalid_input", "requester.phone")
        assert not Ticket.objects.exists()

    def test_it_takes_a_phone_typed_with_full_width_digits(self):
        body = {**BODY, "requester": {"name": "张三", "phone": "１３９－８７６５－４３２１"}}
        number = self.post("/tickets", body, as_=self.operator).json()["number"]
        assert Ticket.objects.get(number=number).requester.phone == "13987654321"

    def test_it_refuses_an_invalid_ip_even_when_no_other_requester_field_is_given(self):
        body = {**BODY, "channel": "web", "requester": {"ip": "999.1.1.1"}}
        self.assert_error(self.post("/tickets", body, as_=self.operator), 400, "invalid_ip", "requester.ip")
        assert not Ticket.objects.exists()
        number = self.post("/tickets", {**BODY, "channel": "web", "requester": {"ip": "2001:db8::1"}},
                           as_=self.operator).json()["number"]
        assert Ticket.objects.get(number=number).requester.ip == "2001:db8::1"

    def test_it_refuses_an_invalid_requester_ip(self):
        body = {**BODY, "requester": {"name": "张三", "phone": "13987654321", "ip": "999.1.1.1"}}
        self.assert_error(self.post("/tickets", body, as_=self.operator), 400, "invalid_ip", "requester.ip")

    def test_it_refuses_booleans_that_are_not_json_booleans(self):
        for body in ({**BODY, "is_confidential": "false"}, {**BODY, "is_complex": 1},
                     {**BODY, "requester": {"phone": "13987654321", "is_company": "yes"}}):
            response = self.post("/tickets", body, as_=self.operator)
            error = self.assert_error(response, 400, "invalid_input")
            assert error["errors"][0]["message"] == "须为 true 或 false"
        assert not Ticket.objects.exists()

    def test_it_refuses_a_misspelt_field_rather_than_ignoring_it(self):
        error = self.assert_error(self.post("/tickets", {**BODY, "contnet": "x"}, as_=self.operator), 400,
                                  "invalid_input", "contnet")
        assert error["errors"][0]["message"] == "不支持此字段"

    def test_it_refuses_malformed_json(self):
        response = self.client.post(f"{PREFIX}/tickets", '{"channel": "web",', content_type="application/json",
                                    headers=self.headers(self.operator))
        self.assert_error(response, 400, "malformed_body")

    def test_it_refuses_a_json_array_body(self):
        response = self.post("/tickets", [1, 2], as_=self.operator)
        self.assert_error(response, 400, "invalid_input")

    def test_it_refuses_a_nul_character_instead_of_failing_in_the_database(self):
        self.assert_error(self.post("/tickets", {**BODY, "content": "路灯\u0000不亮"}, as_=self.operator), 400,
                          "invalid_input", "content")

    def test_it_forbids_unit_staff_from_taking_calls(self):
        self.assert_error(self.post("/tickets", BODY, as_=self.unit_a_handler), 403, "role_not_allowed")
        assert not Ticket.objects.exists()

    def test_it_needs_a_token(self):
        self.assert_error(self.post("/tickets", BODY, as_=None), 401, "unauthenticated")
