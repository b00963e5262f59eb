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
from tests.base import PersonaMixin


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[int | None], list[list[tuple[int, str, bool]]]]:
    """A unit tree (each unit's parent is an earlier unit or none) and tickets with assignment histories."""
    size = draw(st.integers(2, 6))
    parents = [None] + [draw(st.none() | st.integers(0, i - 1)) for i in range(1, size)]
    assignment = st.tuples(st.integers(0, size - 1), st.sampled_from(["lead", "assist"]), st.booleans())
    tickets = draw(st.lists(st.lists(assignment, max_size=4), min_size=1, max_size=5))
    return parents, tickets


class TestVisibilityOverUnitTrees(PersonaMixin, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_personas()

    def build(self, parents: list[int | None], plans: list[list[tuple[int, str, bool]]]
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
            active: set[int] = set()
            for index, role, is_active in plan:
                unit = units[index]
                if is_active and unit.pk in active:
                    continue  # at most one active assignment per unit and ticket
                active |= {unit.pk} if is_active else set()
                Assignment.objects.create(ticket=ticket, unit=unit, role=role, dispatched_at=now,
                                          dispatched_by=self.dispatcher, is_active=is_active,
                                          ended_at=None if is_active else now)
                seen[unit.pk].add(ticket.pk)
        return units, staff, seen

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(worlds())
    def test_it_shows_each_unit_exactly_its_own_assignments(
            self, world: tuple[list[int | None], list[list[tuple[int, str, bool]]]]) -> None:
        units, staff, seen = self.build(*world)
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
