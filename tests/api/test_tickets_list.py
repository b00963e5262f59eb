"""GET /api/v1/tickets: filters, pagination, and each unit seeing only its own tickets."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.tickets import selectors, workflow
from tests.api.base import PREFIX, ApiTestCase
from tests.base import local


def numbers(response) -> list[str]:
    return [item["number"] for item in response.json()["items"]]


class TestListTickets(ApiTestCase):
    def setUp(self):
        # Monday 2026-03-02: one waiting ticket, one dispatched to unit A, one to unit B; Tuesday: one more.
        with time_machine.travel(local(2026, 3, 2, 9), tick=False) as traveller:
            self.waiting = self.new_ticket(content="公积金提取咨询", title="公积金")
            traveller.shift(dt.timedelta(minutes=1))
            self.for_a = self.dispatched_ticket(content="路灯不亮")
            traveller.shift(dt.timedelta(minutes=1))
            self.for_b = self.new_ticket(content="保障房申请进度")
            workflow.dispatch(self.for_b, by=self.dispatcher, lead_unit=self.unit_b)
            traveller.move_to(local(2026, 3, 3, 9))
            self.tuesday = self.new_ticket(content="噪音扰民", topic=self.topic_noise)

    def test_it_lists_newest_first_with_the_total(self):
        response = self.get("/tickets", as_=self.operator)
        assert response.status_code == 200
        assert numbers(response) == [self.tuesday.number, self.for_b.number, self.for_a.number, self.waiting.number]
        assert (response.json()["total"], response.json()["total_capped"]) == (4, False)

    def test_it_pages_with_limit_and_offset_keeping_the_total(self):
        body = self.get("/tickets", as_=self.operator, limit=2, offset=1).json()
        assert [i["number"] for i in body["items"]] == [self.for_b.number, self.for_a.number]
        assert (body["total"], body["limit"], body["offset"]) == (4, 2, 1)

    def test_it_counts_the_total_up_to_the_cap_and_says_when_it_stopped(self):
        # At a million tickets a unit's history is 57,000 rows: the total stops at the cap instead of counting them all.
        with mock.patch.object(selectors, "LIST_COUNT_CAP", 3):
            capped = self.get("/tickets", as_=self.operator).json()
            narrowed = self.get("/tickets", as_=self.operator, status="dispatched").json()
        assert (capped["total"], capped["total_capped"], len(capped["items"])) == (3, True, 4)
        assert (narrowed["total"], narrowed["total_capped"]) == (2, False)

    def test_it_pages_by_key_after_a_ticket_number(self):
        body = self.get("/tickets", as_=self.operator, limit=2, after=self.tuesday.number).json()
        assert [i["number"] for i in body["items"]] == [self.for_b.number, self.for_a.number]
        assert body["total"] == 4
        last = self.get("/tickets", as_=self.operator, after=self.for_a.number)
        assert numbers(last) == [self.waiting.number]

    def test_it_answers_404_for_a_key_the_caller_cannot_see(self):
        assert self.get("/tickets", as_=self.unit_a_handler, after=self.for_b.number).status_code == 404

    def test_it_shows_unit_staff_only_their_units_tickets(self):
        assert numbers(self.get("/tickets", as_=self.unit_a_handler)) == [self.for_a.number]
        assert numbers(self.get("/tickets", as_=self.unit_b_handler)) == [self.for_b.number]
        assert self.get("/tickets", as_=self.unit_c_handler).json()["total"] == 0

    def test_it_filters_by_status(self):
        response = self.get("/tickets", as_=self.operator, status="dispatched")
        assert numbers(response) == [self.for_b.number, self.for_a.number]

    def test_it_filters_by_lead_unit_code(self):
        assert numbers(self.get("/tickets", as_=self.operator, unit="zjj")) == [self.for_b.number]

    def test_it_filters_by_creation_dates_in_beijing_time_both_ends_included(self):
        monday = self.get("/tickets", as_=self.operator, created_from="2026-03-02", created_to="2026-03-02")
        assert numbers(monday) == [self.for_b.number, self.for_a.number, self.waiting.number]
        from_tuesday = self.get("/tickets", as_=self.operator, created_from="2026-03-03")
        assert numbers(from_tuesday) == [self.tuesday.number]

    def test_it_searches_number_title_and_content(self):
        assert numbers(self.get("/tickets", as_=self.operator, q="保障房")) == [self.for_b.number]
        assert numbers(self.get("/tickets", as_=self.operator, q="公积金")) == [self.waiting.number]
        assert numbers(self.get("/tickets", as_=self.operator, q=self.tuesday.number)) == [self.tuesday.number]

    def test_it_filters_overdue_tickets_by_their_running_clock(self):
        # Tuesday 11:30: Monday's waiting ticket is past its 2-hour dispatch clock (11:00 Monday), and so is
        # Tuesday's (due 11:00 Tuesday); the dispatched tickets must be signed by 24:00 Tuesday, not yet due.
        with time_machine.travel(local(2026, 3, 3, 11, 30), tick=False):
            overdue = self.get("/tickets", as_=self.operator, overdue="true")
            on_time = self.get("/tickets", as_=self.operator, overdue="false")
        assert numbers(overdue) == [self.tuesday.number, self.waiting.number]
        assert numbers(on_time) == [self.for_b.number, self.for_a.number]

    def test_it_refuses_an_unknown_unit_code(self):
        self.assert_error(self.get("/tickets", as_=self.operator, unit="atlantis"), 400, "unknown_unit", "unit")

    def test_it_refuses_an_inverted_date_range(self):
        response = self.get("/tickets", as_=self.operator, created_from="2026-03-03", created_to="2026-03-02")
        self.assert_error(response, 400, "invalid_date_range", "created_from")

    def test_it_refuses_a_bad_date_status_or_limit_naming_the_field(self):
        self.assert_error(self.get("/tickets", as_=self.operator, created_from="March"), 400, "invalid_input",
                          "created_from")
        self.assert_error(self.get("/tickets", as_=self.operator, status="lost"), 400, "invalid_input", "status")
        body = self.assert_error(self.get("/tickets", as_=self.operator, limit=1000), 400, "invalid_input", "limit")
        assert body["errors"][0]["message"] == "不能大于100"

    def test_it_refuses_dates_outside_the_supported_range_instead_of_overflowing(self):
        for field, value in (("created_from", "0001-01-01"), ("created_to", "9999-12-31"),
                             ("created_from", "1969-12-31"), ("created_to", "2100-01-01")):
            body = self.assert_error(self.get("/tickets", as_=self.operator, **{field: value}), 400,
                                     "invalid_input", field)
            assert body["errors"][0]["message"] == "须在 1970-01-01 至 2099-12-31 之间"
        response = self.get("/tickets", as_=self.operator, created_from="1970-01-01", created_to="2099-12-31")
        assert response.status_code == 200

    def test_it_reads_a_page_in_the_same_number_of_queries_however_long(self):
        self.freeze(local(2026, 3, 3, 10))
        headers = self.headers(self.operator)
        self.client.get(f"{PREFIX}/tickets", headers=headers)  # records the token's last use, once a minute
        with CaptureQueriesContext(connection) as one:
            self.client.get(f"{PREFIX}/tickets?limit=1", headers=headers)
        with CaptureQueriesContext(connection) as four:
            assert len(self.client.get(f"{PREFIX}/tickets?limit=4", headers=headers).json()["items"]) == 4
        assert len(four) == len(one)
        # PostgreSQL searches join orders: the list once joined eight tables and spent 220 ms planning a 1 ms query.
        page = next(q["sql"] for q in four.captured_queries if "LIMIT" in q["sql"] and "tickets_ticket" in q["sql"])
        assert page.count(" JOIN ") <= 4, page
