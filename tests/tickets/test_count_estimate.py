"""A two-character search's count: PostgreSQL's estimate stands for it when it is far over the cap
(`selectors.count_up_to`, `estimate_stands`); otherwise, and on SQLite, the rows are counted."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hotline.tickets import selectors
from hotline.tickets.models import Ticket
from tests.base import HotlineTestCase

COMMON, RARE = 40, 2  # tickets naming 井盖, and tickets naming 噪音


def searched(text: str):  # noqa: ANN201
    return selectors.filtered(Ticket.objects.all(), selectors.TicketFilter(text=text), timezone.now())


def counting(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


class TestCountEstimate(HotlineTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for i in range(COMMON):
            cls.new_ticket(cls, content=f"第{i}号楼门口井盖缺失，晚上很危险")  # type: ignore[arg-type]
        for i in range(RARE):
            cls.new_ticket(cls, content=f"楼下噪音扰民到深夜，第{i}次反映")  # type: ignore[arg-type]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE tickets_ticket")  # the statistics a running platform's autovacuum keeps

    def test_only_a_pair_may_take_the_estimate(self):
        assert selectors.estimate_stands("井盖")
        assert not selectors.estimate_stands("路灯不亮")
        assert not selectors.estimate_stands("井")

    def test_a_common_pair_far_over_the_cap_is_not_counted_on_postgresql(self):
        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL's estimate")
        estimate = selectors.estimated_rows(searched("井盖"))
        assert estimate is not None and estimate > selectors.ESTIMATE_TRUSTED_FACTOR * 3, estimate
        with CaptureQueriesContext(connection) as queries:
            assert selectors.count_up_to(searched("井盖"), 3, estimate=True) == (3, True)
        assert counting(queries) == []

    def test_a_pair_the_estimate_does_not_put_far_over_the_cap_is_counted(self):
        # 40 matches against a cap of 5: the estimate is under 50, so the rows are counted.
        with CaptureQueriesContext(connection) as queries:
            assert selectors.count_up_to(searched("井盖"), 5, estimate=True) == (5, True)
        assert len(counting(queries)) == 1
        assert selectors.count_up_to(searched("噪音"), 3, estimate=True) == (RARE, False)
        assert selectors.count_up_to(searched("井盖"), 100, estimate=True) == (COMMON, False)

    def test_without_estimate_the_rows_are_always_counted(self):
        with CaptureQueriesContext(connection) as queries:
            assert selectors.count_up_to(searched("井盖"), 3) == (3, True)
        assert len(counting(queries)) == 1

    def test_the_estimate_follows_the_pairs_statistics_on_postgresql(self):
        # The position test beside the pairs is written `<> 0`, which PostgreSQL reckons nearly every row passes;
        # with `> 0` it took a third of the pairs' estimate, and 井盖 at a million (21,582) fell under the bar.
        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL's estimate")
        estimate = selectors.estimated_rows(searched("井盖"))
        assert estimate is not None and estimate >= COMMON * 0.8, estimate

    def test_sqlite_has_no_estimate(self):
        if connection.vendor == "postgresql":
            pytest.skip("SQLite")
        assert selectors.estimated_rows(searched("井盖")) is None
