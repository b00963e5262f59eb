"""GET /api/v1/tickets?q= with eight digits or more: the start of a ticket number, matched from the number's start on
its own index (containment read the trigram index, whose year trigrams every number shares); the digits are still
found anywhere in title, content and place. Shorter digits still match anywhere in the number."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from hotline.tickets import selectors
from hotline.tickets.models import Ticket
from tests.api.base import ApiTestCase


class TestNumberSearch(ApiTestCase):
    def setUp(self):
        self.numbers = []
        for content in ("路灯不亮已经一周", "小区门口井盖缺失", "反映编号 20990101 的情况没有回音"):
            body = {"channel": "phone", "request_type": "complaint", "content": content, "address": "双清区小区"}
            response = self.post("/tickets", body, as_=self.operator)
            assert response.status_code == 201
            self.numbers.append(response.json()["number"])

    def found(self, text: str) -> set[str]:
        return {item["number"] for item in self.get("/tickets", as_=self.operator, q=text, limit=100).json()["items"]}

    def test_a_whole_number_finds_its_ticket(self):
        for number in self.numbers:
            assert self.found(number) == {number}

    def test_the_leading_digits_find_every_number_they_begin(self):
        day = self.numbers[0][:8]
        assert self.found(day) == set(self.numbers)  # all three were received today
        assert self.found(self.numbers[1][:-1]) >= {self.numbers[1]}

    def test_eight_digits_from_inside_a_number_do_not_match_it_but_do_match_content(self):
        assert self.found(self.numbers[0][2:10]) == set()
        assert self.found("20990101") == {self.numbers[2]}  # in the content

    def test_fewer_digits_still_match_anywhere_in_the_number(self):
        assert self.found(self.numbers[0][-6:]) >= {self.numbers[0]}

    def test_the_number_is_read_from_its_own_index_on_postgresql(self):
        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL's plan")
        text = self.numbers[0][:10]
        qs = selectors.filtered(Ticket.objects.all(), selectors.TicketFilter(text=text), timezone.now()).order_by()
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "ticket_number_trgm" not in plan, plan
        assert "tickets_ticket_number" in plan, plan
