"""The provincial side (Art. 27): a ticket dispatched to a lower platform's unit goes down as one order through
the outbox, and `POST /api/v1/exchange/reports` logs each of the lower platform's reports once, as an event."""

from __future__ import annotations

import json

from django.test import Client

from hotline.directory.choices import UnitKind
from hotline.directory.models import Unit
from hotline.exchange import lower, orders
from hotline.exchange.models import LowerOrder, LowerReport, Partner, ReportBack
from hotline.exchange.schemas import OrderIn
from hotline.tickets import outbox, workflow
from hotline.tickets.choices import Action, Status
from hotline.tickets.models import Event, Outbox
from tests.base import HotlineTestCase
from tests.exchange.support import LOWER_SECRET, UPPER_SECRET, make_lower, make_partners, signed_post

PATH = "/api/v1/exchange/reports"


class SendDownTest(HotlineTestCase):
    def setUp(self) -> None:
        self.city_unit = Unit.objects.create(code="shaoyang", name="邵阳市12345热线", kind=UnitKind.COUNTY)
        self.city = make_lower(self.city_unit)

    def test_it_sends_a_ticket_dispatched_to_the_lower_platforms_unit_as_one_order(self):
        ticket = workflow.dispatch(self.new_ticket(), by=self.dispatcher, lead_unit=self.city_unit)
        order = LowerOrder.objects.get()
        assert (order.partner, order.ticket, order.delivered_at) == (self.city, ticket, None)
        row = Outbox.objects.get(kind=lower.KIND)
        assert row.payload == {"ticket": ticket.number, "order": order.pk}

    def test_the_orders_screen_lists_what_was_sent_down_and_whether_it_arrived(self):
        ticket = workflow.dispatch(self.new_ticket(), by=self.dispatcher, lead_unit=self.city_unit)
        self.client.force_login(self.dispatcher)
        page = self.client.get("/exchange/orders/").content.decode()
        assert f'data-ticket="{ticket.number}"' in page and "待发送" in page

    def test_a_dispatch_to_any_other_unit_sends_nothing(self):
        self.dispatched_ticket()
        assert not LowerOrder.objects.exists()
        assert not Outbox.objects.filter(kind=lower.KIND).exists()

    def test_the_order_is_what_the_lower_platform_reads_with_our_number_and_only_the_contact_data(self):
        ticket = self.new_ticket(topic=self.topic_streetlight, requester={
            "name": "张三", "phone": "13987654321", "id_number": "430502199001011234"})
        body = lower.message(ticket)
        order = OrderIn.model_validate_json(json.dumps(body))  # the city's own schema, strict
        assert (order.external_id, order.category, order.working_days, order.deadline) == (
            ticket.number, "路灯照明", 5, None)  # our own limit for a complaint (Art. 14.3)
        assert order.requester is not None
        assert (order.requester.name, order.requester.phone, order.requester.id_number) == (
            "张三", "13987654321", None)

    def test_a_send_that_finds_nobody_is_recorded_and_left_to_retry(self):
        workflow.dispatch(self.new_ticket(), by=self.dispatcher, lead_unit=self.city_unit)
        assert outbox.send_one() is True  # claimed; port 9 refuses the connection
        order = LowerOrder.objects.get()
        assert (order.attempts, order.delivered_at) == (1, None)
        assert order.last_error.startswith("下级平台错误")
        row = Outbox.objects.get(kind=lower.KIND)
        assert (row.sent_at, row.attempts) == (None, 1)  # not given up: the outbox retries it


class ReportsApiTest(HotlineTestCase):
    def setUp(self) -> None:
        self.client = Client()
        self.city_unit = Unit.objects.create(code="shaoyang", name="邵阳市12345热线", kind=UnitKind.COUNTY)
        self.city = make_lower(self.city_unit)
        self.ticket = workflow.dispatch(self.new_ticket(), by=self.dispatcher, lead_unit=self.city_unit)
        self.report = {"message_id": "6f1c0c8e-0000-4000-8000-000000000001", "external_id": self.ticket.number,
                       "number": "SY-0001", "action": "sign", "status": "in_progress", "status_label": "办理中",
                       "at": "2026-11-23T10:05:00+08:00", "note": "", "handling_due": None}

    def send(self, body: dict | bytes | None = None, **kwargs):
        kwargs.setdefault("secret", LOWER_SECRET)
        return signed_post(self.client, PATH, self.report if body is None else body,
                           prefix=kwargs.pop("prefix", self.city.prefix), **kwargs)

    def test_it_logs_a_signed_report_as_an_event_that_leaves_our_status(self):
        response = self.send()
        assert response.status_code == 201, response.json()
        assert response.json()["duplicate"] is False
        event = Event.objects.get(pk=response.json()["event_id"])
        assert (event.ticket_id, event.action, event.from_status, event.to_status) == (
            self.ticket.pk, Action.LOWER_REPORT, Status.DISPATCHED, Status.DISPATCHED)
        assert (event.data["platform"], event.data["action"], event.data["number"]) == ("shaoyang", "sign", "SY-0001")
        self.ticket.refresh_from_db()
        assert self.ticket.status == Status.DISPATCHED
        assert LowerReport.objects.get().event == event

    def test_the_same_message_id_again_is_answered_not_logged_twice(self):
        first = self.send(nonce="one").json()
        again = self.send(nonce="two")
        assert again.status_code == 200
        assert again.json() == {**first, "duplicate": True}
        assert LowerReport.objects.count() == 1
        assert Event.objects.filter(action=Action.LOWER_REPORT).count() == 1

    def test_it_refuses_a_replayed_request(self):
        assert self.send(nonce="same").status_code == 201
        response = self.send({**self.report, "message_id": "another"}, nonce="same")
        assert (response.status_code, response.json()["code"]) == (409, "replayed_request")

    def test_it_answers_404_for_a_ticket_never_sent_to_that_platform(self):
        response = self.send({**self.report, "external_id": self.new_ticket().number})
        assert (response.status_code, response.json()["code"]) == (404, "order_not_found")
        assert not LowerReport.objects.exists()

    def test_only_a_lower_platform_may_report_and_only_in_the_agreed_shape(self):
        province, _sub = make_partners(self.unit_b)
        response = self.send(prefix=province.prefix, secret=UPPER_SECRET)
        assert (response.status_code, response.json()["code"]) == (401, "invalid_partner_key")
        response = self.send({**self.report, "at": "2026-11-23 10:05"}, nonce="x")  # no offset
        assert (response.status_code, response.json()["field"]) == (400, "at")
        response = self.send({**self.report, "extra": 1}, nonce="y")
        assert response.status_code == 400
        assert not LowerReport.objects.exists()


class ReportBackOffTest(HotlineTestCase):
    def test_an_upper_platform_without_an_address_gets_no_reports_and_no_errors(self):
        province, _sub = make_partners(self.unit_b)
        Partner.objects.filter(pk=province.pk).update(outbound_url="")
        province.refresh_from_db()
        order = OrderIn.model_validate({"external_id": "HN-1", "content": "省平台交办：路灯不亮", "working_days": 3})
        ticket = orders.take_order(province, order).order.ticket
        workflow.dispatch(ticket, by=self.dispatcher, lead_unit=self.unit_a)
        assert not ReportBack.objects.exists()
        assert not Outbox.objects.exists()
        self.client.force_login(self.dispatcher)
        assert "未开启回传" in self.client.get("/exchange/orders/").content.decode()
