"""A page read ids first (`selectors.rows_by_id`): the same rows in the same order as slicing the queryset, a row
that left the queryset between the two steps left out; and the open-work index carries every column the overdue
predicate reads, so PostgreSQL takes the overdue list's ids from the index alone (issue 15)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from hotline.tickets.choices import OPEN_STATUSES, Status
from hotline.tickets.models import Ticket
from hotline.tickets.selectors import CLOCK_COLUMNS, overdue_q, rows_by_id
from tests.tickets.support import WorkflowTestCase


class TestRowsById(WorkflowTestCase):
    def test_it_reads_the_same_rows_in_the_same_order_as_a_slice(self):
        made = [self.dispatched_ticket() for _ in range(4)] + [self.new_ticket() for _ in range(3)]
        qs = Ticket.objects.filter(pk__in=[t.pk for t in made]).order_by("-created_at", "-id")
        for start, stop in ((0, 3), (2, 5), (5, 20), (9, 12)):
            assert [t.pk for t in rows_by_id(qs, start, stop)] == [t.pk for t in qs[start:stop]], (start, stop)

    def test_the_rows_come_from_the_queryset_given_for_them(self):
        made = [self.dispatched_ticket() for _ in range(3)]
        qs = Ticket.objects.filter(pk__in=[t.pk for t in made]).order_by("id")
        with self.assertNumQueries(2):
            rows = rows_by_id(qs, 0, 3, rows=qs.select_related("lead_unit"))
            assert [t.lead_unit.code for t in rows] == [t.lead_unit.code for t in made]

    def test_a_row_that_left_the_queryset_in_between_is_left_out(self):
        first, second, third = (self.dispatched_ticket() for _ in range(3))
        qs = Ticket.objects.filter(pk__in=[first.pk, second.pk, third.pk]).order_by("id")
        rows = rows_by_id(qs, 0, 3, rows=qs.exclude(pk=second.pk))
        assert [t.pk for t in rows] == [first.pk, third.pk]

    def test_the_overdue_ids_read_only_columns_the_open_work_index_carries(self):
        now = timezone.now() + dt.timedelta(days=60)
        ids = Ticket.objects.filter(overdue_q(now)).order_by("-created_at", "-id").values("pk")[:25]
        sql = str(ids.query)
        read = set(re.findall(r'"tickets_ticket"\."(\w+)"', sql))
        index = next(i for i in Ticket._meta.indexes if i.name == "ticket_open_by_created")
        carried = {Ticket._meta.get_field(name).column for name in (*index.fields, *index.include)}
        assert {"status", "handling_due", "sign_due"} <= read
        assert read <= carried, read - carried
        assert index.condition is not None and "status__in" in str(index.condition)

    def test_each_overdue_arm_names_one_open_status(self):
        # PostgreSQL proves that rows lie in the open-work index from arms naming one status each, not from IN
        # lists; and IN lists under a `status IN (open)` of their own counted the status twice (57 overdue
        # expected of 2,439 at a million), so it read and sorted every overdue row for a page of 50.
        sql, params = Ticket.objects.filter(overdue_q(timezone.now())).query.sql_with_params()
        assert '"status" IN' not in sql
        named = {p for p in params if p in Status.values}
        assert named == {s for _, statuses, _ in CLOCK_COLUMNS.values() for s in statuses}
        arms = sum(len(statuses) for _, statuses, _ in CLOCK_COLUMNS.values())
        assert named <= OPEN_STATUSES and sql.count('"status" = %s') == arms

    def test_the_overdue_list_shows_the_newest_overdue_first(self):
        late = [self.dispatched_ticket() for _ in range(3)] + [self.new_ticket()]  # signing, dispatching late
        self.move_to(timezone.now() + dt.timedelta(days=30))
        self.client.force_login(self.dispatcher)
        page = self.client.get("/tickets/?overdue=on").context["page"]
        newest_first = sorted(late, key=lambda t: (t.created_at, t.pk), reverse=True)
        assert [t.pk for t in page.object_list] == [t.pk for t in newest_first] and page.paginator.count == 4
