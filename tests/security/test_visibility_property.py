"""The visibility rule over generated unit trees: a unit's staff see exactly the tickets their unit is or was
assigned (lead or assisting, active or ended), never those of child or parent units; hotline staff see all;
everything else is 404; a move to another unit counts from the next request (DESIGN §5; Art. 12, 23)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from hotline.directory.choices import Role, UnitKind
from hotline.directory.models import Staff, Unit
from hotline.lib.errors import NotFound
from hotline.tickets import workflow
from hotline.tickets.access import access_ticket, visible_tickets
from hotline.tickets.models import Assignment, Ticket
from hotline.tickets.workflow._core import _assign
from tests.base import PersonaMixin


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[int | None], list[list[tuple[int, set[int]]]]]:
    """A unit tree (each unit's parent is an earlier unit or none) and tickets with assignment histories."""
    size = draw(st.integers(2, 6))
    parents = [None] + [draw(st.none() | st.integers(0, i - 1)) for i in range(1, size)]
    # A ticket's dispatches, each a lead unit and assisting units; each one ends the assignments before it.
    dispatch = st.tuples(st.integers(0, size - 1), st.sets(st.integers(0, size - 1), max_size=2))
    tickets = draw(st.lists(st.lists(dispatch, max_size=3), min_size=1, max_size=5))
    return parents, tickets


class TestVisibilityOverUnitTrees(PersonaMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_personas()

    def build(self, parents: list[int | None], plans: list[list[tuple[int, set[int]]]]
              ) -> tuple[list[Unit], list[Staff], dict[int, set[int]]]:
        units: list[Unit] = []
        for i, parent in enumerate(parents):
            units.append(Unit.objects.create(code=f"gen-{i}", name=f"生成单位{i}", kind=UnitKind.TOWN,
                                             parent=units[parent] if parent is not None else None))
        staff = [Staff.objects.create_user(username=f"gen-handler-{i}", password="x", role=Role.UNIT_HANDLER,
                                           unit=unit) for i, unit in enumerate(units)]
        seen: dict[int, set[int]] = {unit.pk: set() for unit in units}
        now = timezone.now()
        for plan in plans:
            ticket = workflow.create_ticket(by=self.operator, channel="phone", request_type="complaint",
                                            content="生成的工单")
            for lead, assisting in plan:
                helpers = [units[index] for index in sorted(assisting - {lead})]
                # The one writer of a dispatch's assignments (dispatch and re-dispatch both call it).
                _assign(ticket, units[lead], helpers, by=self.dispatcher, now=now)
                for unit in (units[lead], *helpers):
                    seen[unit.pk].add(ticket.pk)
        return units, staff, seen

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(worlds())
    def test_it_shows_each_unit_exactly_its_own_assignments(
            self, world: tuple[list[int | None], list[list[tuple[int, set[int]]]]]) -> None:
        units, staff, seen = self.build(*world)
        # What the visibility rows say is what the assignments say: every unit ever assigned, active or ended.
        assert {(a.unit_id, a.ticket_id) for a in Assignment.objects.all()} == {
            (unit_id, ticket_id) for unit_id, tickets in seen.items() for ticket_id in tickets}
        everything = set(Ticket.objects.values_list("pk", flat=True))
        assert set(visible_tickets(self.supervisor).values_list("pk", flat=True)) == everything
        for member in staff:
            assert member.unit_id is not None
            visible = set(visible_tickets(member).values_list("pk", flat=True))
            assert visible == seen[member.unit_id]
            for ticket in Ticket.objects.all():
                if ticket.pk in visible:
                    assert access_ticket(member, ticket.number).pk == ticket.pk
                else:
                    with pytest.raises(NotFound):
                        access_ticket(member, ticket.number)
        # A move to another unit counts from the next request, which loads the person afresh.
        mover = staff[0]
        Staff.objects.filter(pk=mover.pk).update(unit=units[-1])
        mover = Staff.objects.get(pk=mover.pk)
        assert set(visible_tickets(mover).values_list("pk", flat=True)) == seen[units[-1].pk]
