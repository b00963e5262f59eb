"""Open311 GeoReport v2 at /open311/v2/, checked field by field against the specification."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import Client

from hotline.channels import services
from hotline.tickets import workflow
from hotline.tickets.choices import Channel
from tests.base import HotlineTestCase, local

REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
}


class Open311Case(HotlineTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.key, cls.api_key = services.create_key("微信公众号", Channel.WECHAT)

    def setUp(self) -> None:
        self.client = Client()

    def post_request(self, **overrides: str):
        data = {"api_key": self.api_key, "service_code": "0101", "address_string": "双清区龙须塘街道",
                "description": "路灯不亮", "first_name": "三", "last_name": "张", "phone": "13911112222",
                "email": "zhang@example.com", "device_id": "device-42"}
        data.update(overrides)
        return self.client.post("/open311/v2/requests.json", data)


class TestServices(Open311Case):
    def test_it_lists_topics_as_services_with_the_spec_fields(self):
        body = self.client.get("/open311/v2/services.json").json()
        light = next(s for s in body if s["service_code"] == "0101")
        assert set(light) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
        assert light["service_name"] == "路灯照明"
        assert light["type"] == "realtime"
        assert light["metadata"] is True
        assert light["group"] == "城市管理"

    def test_it_describes_a_service_definition_with_attributes(self):
        body = self.client.get("/open311/v2/services/0101.json").json()
        assert body["service_code"] == "0101"
        attribute = body["attributes"][0]
        assert {"variable", "code", "datatype", "required", "datatype_description", "order", "description",
                "values"} <= set(attribute)
        assert {"key": "complaint", "name": "投诉"} in attribute["values"]

    def test_it_answers_unknown_service_with_an_error_array(self):
        response = self.client.get("/open311/v2/services/9999.json")
        assert response.status_code == 404
        assert response.json()[0]["code"] == 404
        assert "description" in response.json()[0]

    def test_it_refuses_another_jurisdiction(self):
        assert self.client.get("/open311/v2/services.json?jurisdiction_id=beijing").status_code == 404


class TestPostRequest(Open311Case):
    def test_it_creates_a_ticket_from_the_keys_channel_and_returns_id_and_token(self):
        response = self.post_request()
        assert response.status_code == 200
        [created] = response.json()
        assert set(created) == {"service_request_id", "token", "service_notice", "account_id"}
        ticket = self.topic_streetlight.ticket_set.get(number=created["service_request_id"])
        assert ticket.channel == Channel.WECHAT
        assert ticket.requester.phone == "13911112222"
        token = self.client.get(f"/open311/v2/tokens/{created['token']}.json").json()
        assert token == [{"service_request_id": ticket.number, "token": created["token"]}]

    def test_it_never_returns_personal_fields(self):
        [created] = self.post_request().json()
        text = self.client.get(f"/open311/v2/requests/{created['service_request_id']}.json").content.decode()
        for secret in ("张", "13911112222", "zhang@example.com", "device-42"):
            assert secret not in text

    def test_it_requires_a_valid_api_key(self):
        response = self.post_request(api_key="nope.nope")
        assert response.status_code == 403
        assert response.json()[0]["code"] == 403

    def test_it_requires_a_location_and_a_description(self):
        assert self.post_request(address_string="").status_code == 400
        assert self.post_request(description=" ").status_code == 400

    def test_it_reports_an_unknown_service_code(self):
        response = self.post_request(service_code="9999")
        assert response.status_code == 404

    def test_it_takes_the_request_type_and_confidentiality_attributes(self):
        [created] = self.post_request(**{"attribute[request_type]": "complaint",
                                         "attribute[confidential]": "true"}).json()
        body = self.client.get(f"/open311/v2/requests/{created['service_request_id']}.json").json()[0]
        assert body["description"] == "（保密工单，内容不公开）"
        assert body["address"] == ""


class TestGetRequests(Open311Case):
    def test_it_returns_every_spec_field_with_status_deadline_and_agency(self):
        with time_machine.travel(local(2026, 11, 23, 9, 0), tick=False):
            ticket = self.dispatched_ticket()
            workflow.sign(ticket, by=self.unit_a_handler)
        body = self.client.get(f"/open311/v2/requests/{ticket.number}.json").json()
        assert len(body) == 1
        item = body[0]
        assert set(item) == REQUEST_FIELDS
        assert item["status"] == "open"
        assert item["status_notes"] == "办理中"
        assert item["agency_responsible"] == "市城管执法局"
        # Complaint: 5 working days after Monday 23 Nov -> 24:00 on Monday 30 Nov.
        assert item["expected_datetime"] == "2026-12-01T00:00:00+08:00"
        assert item["requested_datetime"] == "2026-11-23T09:00:00+08:00"

    def test_it_filters_by_status_and_service_code_and_ids(self):
        open_ticket = self.new_ticket(topic=self.topic_streetlight)
        closed = self.new_ticket(topic=self.topic_housing)
        workflow.answer(closed, by=self.operator, text="按政策答复")
        numbers = lambda url: {r["service_request_id"] for r in self.client.get(url).json()}  # noqa: E731
        assert numbers("/open311/v2/requests.json?status=open") == {open_ticket.number}
        assert numbers("/open311/v2/requests.json?status=closed") == {closed.number}
        assert numbers("/open311/v2/requests.json?service_code=02") == {closed.number}
        assert numbers(f"/open311/v2/requests.json?service_request_id={closed.number},{open_ticket.number}"
                       "&status=open") == {closed.number, open_ticket.number}

    def test_it_refuses_a_span_over_ninety_days_and_naive_dates(self):
        now = dt.datetime.now(dt.UTC)
        start = (now - dt.timedelta(days=120)).isoformat()
        assert self.client.get("/open311/v2/requests.json", {"start_date": start}).status_code == 400
        assert self.client.get("/open311/v2/requests.json", {"start_date": "2026-01-01T00:00:00"}).status_code == 400
        assert self.client.get("/open311/v2/requests.json?status=pending").status_code == 400

    def test_it_does_not_publish_declined_contacts(self):
        ticket = self.new_ticket()
        workflow.decline(ticket, by=self.operator, reason_code="9", explanation="骚扰电话")
        assert self.client.get(f"/open311/v2/requests/{ticket.number}.json").status_code == 404
