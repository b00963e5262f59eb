"""GET /api/v1/tickets?q= with two characters: on PostgreSQL answered from the index of character pairs (trigrams need
three characters), finding exactly what `icontains` finds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from hotline.tickets import selectors
from hotline.tickets.models import Ticket
from tests.api.base import ApiTestCase

# 路灯不亮 is segmented 路 / 灯不亮: a search of the segmented words would miss it.
CONTENTS = ("小区门口井盖缺失，晚上很危险", "路灯不亮已经一周", "楼下噪音扰民到深夜", "窨井盖松动踩上去会响 WiFi")


def icontains(text: str) -> set[str]:
    return set(Ticket.objects.filter(Q(number__icontains=text) | Q(title__icontains=text)
                                     | Q(content__icontains=text) | Q(address__icontains=text))
               .values_list("number", flat=True))


class TestShortTextSearch(ApiTestCase):
    def setUp(self):
        for content in CONTENTS:
            body = {"channel": "phone", "request_type": "complaint", "content": content, "address": "双清区小区"}
            assert self.post("/tickets", body, as_=self.operator).status_code == 201

    def found(self, text: str) -> set[str]:
        return {item["number"] for item in self.get("/tickets", as_=self.operator, q=text, limit=100).json()["items"]}

    def test_it_finds_what_icontains_finds_for_whole_words(self):
        for word in ("井盖", "路灯", "噪音", "小区", "fi", "20"):
            assert self.found(word) == icontains(word) != set(), word

    def test_it_finds_nothing_for_a_word_no_ticket_has(self):
        assert self.found("地铁") == set()

    def test_it_reads_the_character_pairs_through_their_index_on_postgresql(self):
        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL's GIN index")
        qs = selectors.filtered(Ticket.objects.all(), selectors.TicketFilter(text="井盖"), timezone.now()).order_by()
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            # A tiny table: forbid the scans that read every row (a sequential scan, or a walk of another index
            # filtering each row) to show that the pair index can serve the condition.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "ticket_bigrams_gin" in plan, plan

    def test_a_walk_of_the_newest_tests_the_plain_position_before_cutting_pairs(self):
        # Walking the newest tickets for a common pair, PostgreSQL tests each row: the cheap position test first, so
        # the pairs function runs only on the rows that contain the text (84 ms a page at a million tickets before).
        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL's plan")
        qs = selectors.filtered(Ticket.objects.all(), selectors.TicketFilter(text="井盖"), timezone.now())
        sql, params = qs.order_by("-created_at")[:25].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        [condition] = [line for line in plan.splitlines() if "hotline_bigrams" in line]
        assert condition.index("strpos") < condition.index("hotline_bigrams"), plan
