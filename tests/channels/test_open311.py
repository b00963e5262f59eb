"""Open311 GeoReport v2 at /open311/v2/, checked field by field against the specification, in XML (required of
every endpoint) and JSON, and read by a published client library (georeport) in both formats."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import time_machine
from django.test import Client, LiveServerTestCase
from georeport import GeoReport

from hotline.channels import services
from hotline.tickets import workflow
from hotline.tickets.choices import Channel
from hotline.tickets.models import Ticket
from tests.base import HotlineTestCase, PersonaMixin, local

REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
}


def xml(response) -> ET.Element:
    """The parsed XML answer, after checking it is XML."""
    assert response["Content-Type"] == "application/xml; charset=utf-8", response["Content-Type"]
    return ET.fromstring(response.content)  # noqa: S314  (the server's own answer under test)


def fields(element: ET.Element) -> dict[str, str | None]:
    return {child.tag: child.text for child in element}


class Open311Case(HotlineTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.key, cls.api_key = services.create_key("微信公众号", Channel.WECHAT)

    def setUp(self) -> None:
        self.client = Client()

    def post_request(self, fmt: str = "json", **overrides: str):
        data = {"api_key": self.api_key, "service_code": "0101", "address_string": "双清区龙须塘街道",
                "description": "路灯不亮", "first_name": "三", "last_name": "张", "phone": "13911112222",
                "email": "zhang@example.com", "device_id": "device-42"}
        data.update(overrides)
        return self.client.post(f"/open311/v2/requests.{fmt}", data)


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

    def test_it_refuses_a_location_that_is_not_one_and_a_confidential_value_that_is_no_key(self):
        for place in ({"lat": "abc", "long": "112.4"}, {"lat": "27.2", "long": ""}, {"lat": "91", "long": "112.4"},
                      {"lat": "nan", "long": "112.4"}):
            response = self.post_request(address_string="", **place)
            assert response.status_code == 400, place
        [created] = self.post_request(address_string="", lat="27.24", long="111.47").json()
        assert Ticket.objects.get(number=created["service_request_id"]).address == "27.24,111.47"
        for value in ("yes", "1", "TRUE"):
            response = self.post_request(**{"attribute[confidential]": value})
            assert response.status_code == 400, value
            assert "attribute[confidential]" in response.json()[0]["description"]

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

    def test_it_refuses_dates_in_year_one_or_9999_instead_of_overflowing(self):
        for query in ({"start_date": "0001-01-01T00:00:00+08:00", "end_date": "0001-01-02T00:00:00+08:00"},
                      {"end_date": "0001-01-01T00:00:00+08:00"},
                      {"start_date": "9999-12-30T00:00:00+08:00", "end_date": "9999-12-31T23:00:00-08:00"}):
            for fmt in ("json", "xml"):
                response = self.client.get(f"/open311/v2/requests.{fmt}", query)
                assert response.status_code == 400, (query, fmt)
                assert b"must lie between 1970-01-01 and 2099-12-31" in response.content

    def test_it_refuses_a_nul_anywhere_in_the_request_rather_than_failing_in_postgresql(self):
        responses = [self.client.get(path) for path in (
            "/open311/v2/requests/2026%00.json", "/open311/v2/tokens/a%00.xml", "/open311/v2/services/01%00.json",
            "/open311/v2/requests.json?service_code=01%00", "/open311/v2/requests.xml?service_request_id=1%00",
            "/open311/v2/requests.json?status=open&status=open%00")]
        responses.append(self.post_request(api_key="a\x00b"))
        for response in responses:
            assert response.status_code == 400
            assert b"NUL" in response.content

    def test_it_does_not_publish_declined_contacts(self):
        ticket = self.new_ticket()
        workflow.decline(ticket, by=self.operator, reason_code="9", explanation="骚扰电话")
        assert self.client.get(f"/open311/v2/requests/{ticket.number}.json").status_code == 404


class TestXml(Open311Case):
    """The specification's XML shapes: every endpoint, errors included."""

    def test_it_serves_services_as_xml(self):
        root = xml(self.client.get("/open311/v2/services.xml"))
        assert root.tag == "services"
        light = next(fields(s) for s in root.findall("service") if s.findtext("service_code") == "0101")
        assert light == {"service_code": "0101", "service_name": "路灯照明", "description": "城市管理 / 路灯照明",
                         "metadata": "true", "type": "realtime", "keywords": light["keywords"], "group": "城市管理"}

    def test_it_serves_a_service_definition_as_xml(self):
        root = xml(self.client.get("/open311/v2/services/0101.xml"))
        assert (root.tag, root.findtext("service_code")) == ("service_definition", "0101")
        attribute = root.find("attributes/attribute")
        assert attribute is not None and attribute.findtext("code") == "request_type"
        assert attribute.findtext("variable") == "true" and attribute.findtext("required") == "false"
        values = {v.findtext("key"): v.findtext("name") for v in attribute.findall("values/value")}
        assert values["complaint"] == "投诉"

    def test_it_creates_reads_and_finds_by_token_in_xml(self):
        root = xml(self.post_request("xml"))
        assert root.tag == "service_requests"
        created = fields(root.find("request"))
        assert set(created) == {"service_request_id", "token", "service_notice", "account_id"}
        number, token = created["service_request_id"], created["token"]
        request = xml(self.client.get(f"/open311/v2/requests/{number}.xml")).find("request")
        assert {child.tag for child in request} == REQUEST_FIELDS
        assert (request.findtext("status"), request.findtext("description")) == ("open", "路灯不亮")
        assert request.findtext("lat") == "" and request.find("lat").text is None  # an empty element, as in the spec
        listed = xml(self.client.get(f"/open311/v2/requests.xml?service_request_id={number}"))
        assert [r.findtext("service_request_id") for r in listed.findall("request")] == [number]
        found = xml(self.client.get(f"/open311/v2/tokens/{token}.xml")).find("request")
        assert fields(found) == {"service_request_id": number, "token": token}

    def test_it_answers_errors_in_xml_with_code_and_description(self):
        cases = [
            (self.client.get("/open311/v2/services/9999.xml"), 404),
            (self.client.get("/open311/v2/services.xml?jurisdiction_id=beijing"), 404),
            (self.client.get("/open311/v2/requests.xml?status=pending"), 400),
            (self.client.get("/open311/v2/requests/1.xml"), 404),
            (self.client.get("/open311/v2/tokens/nope.xml"), 404),
            (self.post_request("xml", api_key="nope.nope"), 403),
            (self.post_request("xml", description=" "), 400),
        ]
        for response, status in cases:
            assert response.status_code == status
            root = xml(response)
            assert root.tag == "errors"
            error = root.find("error")
            assert error is not None and error.findtext("code") == str(status) and error.findtext("description")

    def test_it_escapes_markup_in_values(self):
        [created] = self.post_request(description="路灯<b>不亮</b> & 漏电").json()
        request = xml(self.client.get(f"/open311/v2/requests/{created['service_request_id']}.xml")).find("request")
        assert request.findtext("description") == "路灯<b>不亮</b> & 漏电"
        [created] = self.post_request(description="路灯\x0b不亮").json()  # a control character XML cannot carry
        request = xml(self.client.get(f"/open311/v2/requests/{created['service_request_id']}.xml")).find("request")
        assert request.findtext("description") == "路灯\ufffd不亮"


class TestWithAPublishedClient(PersonaMixin, LiveServerTestCase):
    """georeport (PyPI), a thin GeoReport v2 client, against the running server in both of its formats."""

    def setUp(self) -> None:
        self.make_personas()
        self.key, self.api_key = services.create_key("微信公众号", Channel.WECHAT)

    def test_it_reads_services_definitions_and_requests_in_xml_and_json(self):
        ticket = self.new_ticket(topic=self.topic_streetlight)
        other = self.new_ticket(topic=self.topic_housing)
        for fmt in ("xml", "json"):
            client = GeoReport(f"{self.live_server_url}/open311/v2", jurisdiction="shaoyang", output_format=fmt)
            services_list = client.get_service_list()
            assert {s["service_code"] for s in services_list} >= {"0101", "02"}, fmt
            definition = client.get_service_definition("0101")
            assert definition["service_code"] == "0101", fmt
            found = client.get_service_request(ticket.number)
            if fmt == "xml":  # xmltodict gives the one <request> as a mapping, JSON a one-element list's item
                assert isinstance(found, dict)
            assert (found["service_request_id"], found["status"], found["service_name"]) == (
                ticket.number, "open", "路灯照明"), fmt
            listed = client.get_service_requests(service_request_id=f"{ticket.number},{other.number}")
            assert {r["service_request_id"] for r in listed} == {ticket.number, other.number}, fmt
