"""Migration 0025 finishes the active assignments of tickets already closed at their closing moment (interpretation
88), leaves ended assignments and open tickets alone, and the inbox's open work then leaves the closed ones out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import TransactionTestCase
from django.utils import timezone

from hotline.directory.choices import Role, UnitKind
from hotline.directory.models import Staff, Unit, root_platform_id
from hotline.tickets.models import Assignment
from hotline.tickets.selectors import Scope
from tests.tickets.test_migration_declined import migrate, restore_latest

BEFORE = [("tickets", "0024_ticket_transfers_between_platforms")]


class TestFinishedAssignmentsMigration(TransactionTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.addCleanup(restore_latest)
        hotline = Unit.objects.create(code="hotline", name="市政务热线服务中心", kind=UnitKind.HOTLINE)
        self.unit = Unit.objects.create(code="road", name="市路灯管理处", kind=UnitKind.CITY_DEPARTMENT)
        self.other = Unit.objects.create(code="water", name="市水务局", kind=UnitKind.CITY_DEPARTMENT)
        self.operator = Staff.objects.create_user(username="operator", password="x", role=Role.OPERATOR,
                                                  unit=hotline)
        self.t = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)

    def ticket(self, apps: Any, number: str, status: str, closed_at: dt.datetime | None) -> int:
        Ticket = apps.get_model("tickets", "Ticket")
        Assignment = apps.get_model("tickets", "Assignment")
        ticket = Ticket.objects.create(
            number=number, channel="phone", request_type="complaint", title="路灯不亮", content="小区门口路灯不亮",
            status=status, version=5, created_by_id=self.operator.pk, created_at=self.t, closed_at=closed_at,
            lead_unit_id=self.unit.pk, platform_id=root_platform_id(), received_by_id=root_platform_id())
        # Returned by the other unit first (ended), then the unit's own, active.
        Assignment.objects.create(ticket_id=ticket.pk, unit_id=self.other.pk, role="lead", dispatched_at=self.t,
                                  is_active=False, ended_at=self.t + dt.timedelta(hours=2))
        Assignment.objects.create(ticket_id=ticket.pk, unit_id=self.unit.pk, role="lead",
                                  dispatched_at=self.t + dt.timedelta(hours=3))
        return ticket.pk

    def test_closed_tickets_assignments_are_finished_at_their_closing(self):
        executor = migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        closed_at = self.t + dt.timedelta(days=2)
        closed = self.ticket(old, "20260301000001", "closed", closed_at)
        working = self.ticket(old, "20260301000002", "in_progress", None)

        migrate()

        assert Assignment.objects.get(ticket_id=closed, unit=self.unit).finished_at == closed_at
        assert Assignment.objects.get(ticket_id=closed, unit=self.other).finished_at is None
        assert not Assignment.objects.filter(ticket_id=working, finished_at__isnull=False).exists()
        assert list(Scope(unit_id=self.unit.pk).current_work().values_list("pk", flat=True)) == [working]
        since = closed_at - dt.timedelta(days=1)
        assert set(Scope(unit_id=self.unit.pk).finished_since(since).values_list("pk", flat=True)) \
            == {closed, working}
