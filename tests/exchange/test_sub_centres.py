"""POST /api/v1/exchange/sub-centres/tickets and the data-quality table (Art. 7), on a hand-built November."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.test import Client

from hotline.api import tokens
from hotline.directory.choices import UnitKind
from hotline.directory.models import Unit
from hotline.exchange import quality
from hotline.exchange.models import SubCentrePush, SubCentreTicket
from hotline.reports.facts import Period
from hotline.reports.indicators import city_figures, unit_figures
from tests.base import HotlineTestCase, local
from tests.exchange.support import SUB_SECRET, make_partners, signed_post

PATH = "/api/v1/exchange/sub-centres/tickets"
NOVEMBER = Period.month(2026, 11)


def iso(moment: dt.datetime) -> str:
    return moment.isoformat()


class SubCentreTest(HotlineTestCase):
    def setUp(self) -> None:
        self.client = Client()
        self.power = Unit.objects.create(code="power", name="国网邵阳供电公司", kind=UnitKind.UTILITY)
        self.province, self.sub = make_partners(self.power)
        self.nonce = 0

    def push(self, at: dt.datetime, body: dict[str, Any] | bytes) -> Any:
        self.nonce += 1
        with time_machine.travel(at, tick=False):
            return signed_post(self.client, PATH, body, prefix=self.sub.prefix, secret=SUB_SECRET,
                               nonce=f"n{self.nonce}")

    def build_november(self) -> None:
        """A: received on time and complete, resolved and rated, pushed an hour late. B: received on time without a
        category, never resolved. C: received in October, resolved on 1 November on time. One unreadable push."""
        a = {"external_id": "A", "received_at": iso(local(2026, 11, 23, 10, 0)), "category": "停电",
             "content": "小区停电", "due_at": iso(local(2026, 11, 27, 0, 0))}
        assert self.push(local(2026, 11, 23, 10, 5), {**a, "status": "received",
                                                      "event_at": iso(local(2026, 11, 23, 10, 0))}).status_code == 200
        resolved = self.push(local(2026, 11, 25, 10, 0), {
            **a, "status": "resolved", "event_at": iso(local(2026, 11, 25, 9, 0)),
            "resolved_at": iso(local(2026, 11, 25, 9, 0)), "result": "线路已抢修", "satisfaction": "4"})
        assert resolved.status_code == 200
        response = self.push(local(2026, 11, 24, 8, 1), {
            "external_id": "B", "status": "received", "event_at": iso(local(2026, 11, 24, 8, 0)),
            "received_at": iso(local(2026, 11, 24, 8, 0)), "content": "电压不稳", "due_at": iso(local(2026, 11, 28))})
        assert response.json() == {"external_id": "B", "status": "received", "complete": False,
                                   "missing": ["category"]}
        assert self.push(local(2026, 11, 26, 9, 0), {"external_id": "X", "status": "received",
                                                     "event_at": 1764000000}).status_code == 400
        self.push(local(2026, 10, 30, 9, 0), {
            "external_id": "C", "status": "received", "event_at": iso(local(2026, 10, 30, 9, 0)),
            "received_at": iso(local(2026, 10, 30, 9, 0)), "category": "抄表", "content": "电费有误",
            "due_at": iso(local(2026, 11, 2))})
        self.push(local(2026, 11, 1, 10, 0), {
            "external_id": "C", "status": "resolved", "event_at": iso(local(2026, 11, 1, 9, 50)),
            "received_at": iso(local(2026, 10, 30, 9, 0)), "category": "抄表", "content": "电费有误",
            "due_at": iso(local(2026, 11, 2)), "resolved_at": iso(local(2026, 11, 1, 9, 50)), "result": "已退费"})

    def test_the_quality_table_counts_each_push_by_hand(self):
        self.build_november()
        [row] = quality.table(NOVEMBER)
        assert (row.code, row.unit) == ("power", "国网邵阳供电公司")
        # Pushes in November: A twice, B, the refused one, C's resolution (C's October push is October's).
        assert (row.pushes, row.read, row.refused) == (5, 4, 1)
        assert (row.on_time, row.complete) == (3, 3)  # A's resolution came 60 minutes late; B has no category
        assert row.received == 2  # A and B; C came in October
        assert (row.due, row.outcome_pushed) == (3, 2)  # A, B and C fell due; B's outcome never came
        assert row.rates == {"timely_rate": 75.0, "complete_rate": 75.0, "refused_rate": 20.0,
                             "outcome_rate": 66.67}

    def test_a_refused_push_is_kept_and_creates_no_ticket(self):
        response = self.push(local(2026, 11, 26, 9, 0), {"external_id": "X", "status": "done"})
        assert (response.status_code, response.json()["code"]) == (400, "invalid_input")
        push = SubCentrePush.objects.get()
        assert push.refused and push.ticket is None
        assert not SubCentreTicket.objects.exists()

    def test_a_push_with_a_bad_signature_is_not_recorded(self):
        response = signed_post(self.client, PATH, {"external_id": "A"}, prefix=self.sub.prefix, secret="wrong")
        assert (response.status_code, response.json()["code"]) == (401, "bad_signature")
        assert not SubCentrePush.objects.exists()

    def test_the_sub_centres_tickets_count_under_its_unit_and_in_the_city(self):
        self.build_november()
        figures = unit_figures(NOVEMBER)[self.power.pk]
        assert (figures.sub_centre_received, figures.received) == (2, 2)
        assert (figures.sub_centre_resolved, figures.replies_due, figures.replied_on_time) == (2, 2, 2)
        assert (figures.follow_ups, figures.satisfied) == (1, 1.0)
        city = city_figures(NOVEMBER, unit_figures(NOVEMBER).values())
        assert city.received == 2  # nothing came in through 12345 itself this month

    def test_the_manager_reads_the_table_through_the_api_and_others_may_not(self):
        self.build_november()
        self.client.force_login(self.manager)
        token, _ = tokens.issue(self.manager)
        response = self.client.get("/api/v1/exchange/quality?month=2026-11", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200
        assert response.json()[0]["timely_rate"] == 75.0
        other, _ = tokens.issue(self.operator)
        response = self.client.get("/api/v1/exchange/quality?month=2026-11", HTTP_AUTHORIZATION=f"Bearer {other}")
        assert (response.status_code, response.json()["code"]) == (403, "role_not_allowed")
        page = self.client.get("/exchange/quality/?month=2026-11")
        assert page.status_code == 200
        assert "66.67%" in page.content.decode()
