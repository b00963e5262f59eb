"""Migration 0028 gives each unit the tickets it may read (interpretation 89): every ticket it was ever assigned (lead
or assisting, active or ended, from its first dispatch there) and every ticket it was ever consulted on (from that
consultation, as its event names the unit), once each and from the earlier moment; a unit neither assigned nor
consulted reads nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import TransactionTestCase
from django.utils import timezone

from hotline.directory.choices import Role, UnitKind
from hotline.directory.models import Staff, Unit, root_platform_id
from hotline.tickets.models import UnitTicket
from hotline.tickets.selectors import Scope
from tests.tickets.test_migration_declined import migrate, restore_latest

BEFORE = [("tickets", "0027_running_clocks_indexed")]


class TestUnitTicketMigration(TransactionTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.addCleanup(restore_latest)
        hotline = Unit.objects.create(code="hotline", name="市政务热线服务中心", kind=UnitKind.HOTLINE)
        self.road = Unit.objects.create(code="road", name="市路灯管理处", kind=UnitKind.CITY_DEPARTMENT)
        self.water = Unit.objects.create(code="water", name="市水务局", kind=UnitKind.CITY_DEPARTMENT)
        self.power = Unit.objects.create(code="power", name="市供电公司", kind=UnitKind.CITY_DEPARTMENT)
        self.idle = Unit.objects.create(code="idle", name="市档案馆", kind=UnitKind.CITY_DEPARTMENT)
        self.operator = Staff.objects.create_user(username="operator", password="x", role=Role.OPERATOR,
                                                  unit=hotline)
        self.t = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)

    def ticket(self, apps: Any, number: str, **fields: Any) -> int:
        Ticket = apps.get_model("tickets", "Ticket")
        return Ticket.objects.create(
            number=number, channel="phone", request_type="complaint", title="路灯不亮", content="小区门口路灯不亮",
            version=3, created_by_id=self.operator.pk, created_at=self.t, platform_id=root_platform_id(),
            received_by_id=root_platform_id(), **fields).pk

    def test_units_read_what_they_were_assigned_or_consulted_on(self):
        executor = migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        Assignment, Event = old.get_model("tickets", "Assignment"), old.get_model("tickets", "Event")
        hour = dt.timedelta(hours=1)
        # Returned by road (ended), dispatched to road again later (active), water assisting the second time.
        handled = self.ticket(old, "20260301000001", status="in_progress", lead_unit_id=self.road.pk)
        Assignment.objects.create(ticket_id=handled, unit_id=self.road.pk, role="lead", dispatched_at=self.t + hour,
                                  is_active=False, ended_at=self.t + 2 * hour)
        Assignment.objects.create(ticket_id=handled, unit_id=self.road.pk, role="lead",
                                  dispatched_at=self.t + 5 * hour)
        Assignment.objects.create(ticket_id=handled, unit_id=self.water.pk, role="assist",
                                  dispatched_at=self.t + 5 * hour)
        consult = dict(action="consult", from_status="pending_dispatch", to_status="consulting")
        # Water was consulted first, then (after a dispatch returned) power, the ticket's consulted unit now.
        consulted = self.ticket(old, "20260301000002", status="answered", consult_unit_id=self.power.pk)
        Event.objects.create(ticket_id=consulted, at=self.t + hour, seq=1, data={"unit": "water"}, **consult)
        Event.objects.create(ticket_id=consulted, at=self.t + 3 * hour, seq=2, data={"unit": "power"}, **consult)
        # Road was consulted, then dispatched the ticket: it reads it from the consultation.
        both = self.ticket(old, "20260301000003", status="dispatched", consult_unit_id=self.road.pk,
                           lead_unit_id=self.road.pk)
        Event.objects.create(ticket_id=both, at=self.t + 2 * hour, seq=1, data={"unit": "road"}, **consult)
        Assignment.objects.create(ticket_id=both, unit_id=self.road.pk, role="lead", dispatched_at=self.t + 4 * hour)
        # A consultation whose event names no unit counts from the ticket's latest consultation.
        unnamed = self.ticket(old, "20260301000004", status="answered", consult_unit_id=self.power.pk)
        Event.objects.create(ticket_id=unnamed, at=self.t + 6 * hour, seq=1, **consult)

        migrate()

        rows = {(r.unit_id, r.ticket_id): r.since for r in UnitTicket.objects.all()}
        assert rows == {(self.road.pk, handled): self.t + hour, (self.water.pk, handled): self.t + 5 * hour,
                        (self.water.pk, consulted): self.t + hour, (self.power.pk, consulted): self.t + 3 * hour,
                        (self.road.pk, both): self.t + 2 * hour, (self.power.pk, unnamed): self.t + 6 * hour}
        assert set(Scope(unit_id=self.road.pk).tickets().values_list("pk", flat=True)) == {handled, both}
        assert set(Scope(unit_id=self.power.pk).tickets().values_list("pk", flat=True)) == {consulted, unnamed}
        assert set(Scope(unit_id=self.water.pk).tickets().values_list("pk", flat=True)) == {handled, consulted}
        assert not Scope(unit_id=self.idle.pk).tickets().exists()
