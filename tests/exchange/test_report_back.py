"""Each later transition of an upper order's ticket is reported back through the outbox: signed, retried, and its
delivery, attempts and lateness recorded (Art. 27)."""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import time_machine

from hotline.channels.services import sign_body
from hotline.exchange import orders, report
from hotline.exchange.models import ReportBack
from hotline.exchange.schemas import OrderIn
from hotline.tickets import outbox, workflow
from hotline.tickets.models import Outbox
from hotline.tickets.outbox import SendFailed
from tests.base import HotlineTestCase, local
from tests.exchange.support import REPORT_SECRET, make_partners

T0 = local(2026, 11, 23, 10, 0)


class ReportBackTest(HotlineTestCase):
    def setUp(self) -> None:
        self.province, _sub = make_partners(self.unit_b)
        order = OrderIn.model_validate({"external_id": "HN-9", "content": "省平台交办：路灯不亮", "topic": "0101",
                                        "working_days": 3})
        with time_machine.travel(T0, tick=False):
            self.ticket = orders.take_order(self.province, order).order.ticket

    def test_intake_is_not_reported_and_each_transition_is_reported_once(self):
        assert not ReportBack.objects.exists()
        with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
            workflow.dispatch(self.ticket, by=self.dispatcher, lead_unit=self.unit_a)
            workflow.sign(self.ticket, by=self.unit_a_handler)
        reports = list(ReportBack.objects.order_by("at", "pk").select_related("event", "outbox"))
        assert [r.event.action for r in reports] == ["dispatch", "sign"]
        assert all(r.outbox.kind == report.KIND and r.outbox.payload["report"] == r.pk for r in reports)

    def test_other_tickets_write_no_report(self):
        self.signed_ticket()
        assert not ReportBack.objects.exists()
        assert not Outbox.objects.filter(kind=report.KIND).exists()

    def test_the_message_is_signed_and_retried_after_a_failure_and_lateness_recorded(self):
        with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
            workflow.dispatch(self.ticket, by=self.dispatcher, lead_unit=self.unit_a)
        sent: list[tuple[str, bytes, dict[str, str]]] = []

        def post(url: str, body: bytes, headers: dict[str, str]) -> None:
            sent.append((url, body, headers))
            if len(sent) == 1:
                raise SendFailed("上级平台错误：connection refused")

        with mock.patch.object(report, "post", post):
            with time_machine.travel(T0 + dt.timedelta(minutes=6), tick=False):
                assert outbox.send_one() is True  # claimed, and failed
            row = ReportBack.objects.get()
            assert (row.delivered_at, row.attempts, row.last_error) == (None, 1, "上级平台错误：connection refused")
            with time_machine.travel(T0 + dt.timedelta(minutes=7), tick=False):
                assert outbox.send_one() is False  # nothing claimable before the pause ends
            with time_machine.travel(T0 + dt.timedelta(minutes=45), tick=False):
                assert outbox.send_one() is True
        row.refresh_from_db()
        assert (row.attempts, row.last_error, row.late) == (2, "", True)  # 40 minutes after the dispatch > 30
        assert row.delivered_at == T0 + dt.timedelta(minutes=45)
        url, body, headers = sent[-1]
        assert url == self.province.outbound_url
        assert headers["X-Key-Prefix"] == "sy01"
        assert headers["X-Signature"] == sign_body(REPORT_SECRET, headers["X-Timestamp"], headers["X-Nonce"], body)
        message = json.loads(body)
        assert (message["external_id"], message["number"], message["action"], message["status"]) == (
            "HN-9", self.ticket.number, "dispatch", "dispatched")
        assert "王" not in body.decode() and "phone" not in message  # no personal data travels (Art. 23)

    def test_a_report_delivered_within_the_window_is_not_late(self):
        with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
            workflow.dispatch(self.ticket, by=self.dispatcher, lead_unit=self.unit_a)
        with (mock.patch.object(report, "post", lambda url, body, headers: None),
              time_machine.travel(T0 + dt.timedelta(minutes=35), tick=False)):
            assert outbox.send_one() is True
        row = ReportBack.objects.get()
        assert (row.attempts, row.late) == (1, False)
        assert Outbox.objects.get().sent_at is not None
