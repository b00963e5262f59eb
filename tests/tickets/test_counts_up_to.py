"""Several capped counts in one statement (`selectors.counts_up_to`): each is what `count_up_to` would count alone,
stopping at the cap + 1, and a query Django can tell is empty counts 0."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from hotline.tickets import selectors
from hotline.tickets.choices import Status
from hotline.tickets.models import Ticket
from tests.base import HotlineTestCase


class TestCountsUpTo(HotlineTestCase):
    def test_each_count_stops_at_the_cap_plus_one_and_all_are_one_statement(self):
        for _ in range(4):
            self.new_ticket()
        self.replied_ticket()
        querysets = {
            "all": Ticket.objects.all(),  # 5 tickets, over the cap of 2
            "pending": Ticket.objects.filter(status=Status.PENDING_DISPATCH),  # 4, over it too
            "replied": Ticket.objects.filter(status=Status.REPLIED),  # 1
            "closed": Ticket.objects.filter(status=Status.CLOSED),  # 0
            "impossible": Ticket.objects.filter(pk__in=[]),  # Django writes no SQL for it
            "nothing": Ticket.objects.none(),
        }
        with CaptureQueriesContext(connection) as queries:
            counts = selectors.counts_up_to(querysets, cap=2)
        assert len(queries.captured_queries) == 1
        assert counts == {"all": 3, "pending": 3, "replied": 1, "closed": 0, "impossible": 0, "nothing": 0}
        assert counts == {key: min(qs.count(), 3) for key, qs in querysets.items()}

    def test_parameters_stay_with_their_own_count(self):
        # Each part brings its own parameters, in order: a mix-up would count one status under another's name.
        for _ in range(3):
            self.new_ticket()
        self.replied_ticket()
        counts = selectors.counts_up_to({s: Ticket.objects.filter(status=s, title__contains="")
                                         for s in (Status.REPLIED, Status.PENDING_DISPATCH, Status.CLOSED)}, cap=10)
        assert counts == {Status.REPLIED: 1, Status.PENDING_DISPATCH: 3, Status.CLOSED: 0}

    def test_no_querysets_make_no_statement(self):
        with CaptureQueriesContext(connection) as queries:
            assert selectors.counts_up_to({}, cap=5) == {}
        assert not queries.captured_queries
