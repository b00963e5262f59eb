"""Clock facts (Art. 26 办理情况, Art. 27 超期): every event that stops a clock, with the unit, the deadline it was
measured against and whether it was late.

| clock    | completing event                       | due                                   | unit                    |
|----------|----------------------------------------|---------------------------------------|-------------------------|
| dispatch | DISPATCH (2 h, Art. 13)                | dispatch_due                          | the hotline (actor)     |
| sign     | SIGN, DEEM_SIGNED (1 wd, Art. 13)      | sign_due; a deemed signing is late    | lead unit               |
| handling | REPLY (Art. 14, 15)                    | handling_due incl. approved extension | lead unit (actor)       |
| rework   | REPLY after a REWORK (5 wd, Art. 17)   | rework_due                            | lead unit (actor)       |
| consult  | ANSWER from consulting (24 h, Art. 12) | consult_due                           | the unit consulted      |
| arrival  | ARRIVE (1 h, Art. 20)                  | arrival_due; no due, no clock         | the unit on site (actor)|

`due` and `late` come from the event's data when the workflow wrote them, otherwise from the ticket's columns
(see `expressions.due_of` and `late_of`). Every completing event counts: a reply sent again after the hotline
rejected the first (Art. 16) is a second handling fact.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, When

from hotline.deadlines.policy import Clock
from hotline.reports.facts.expressions import (
    CLOCK_ACTIONS,
    COMPLETES_A_CLOCK,
    about_unit,
    clock_of,
    due_of,
    late_of,
)
from hotline.reports.facts.period import AnnotatedEvents, Period, events_in
from hotline.tickets.choices import Action


@dataclass(frozen=True)
class ClockCounts:
    """How many times one unit completed one clock in a period, and how many of those were late."""

    clock: str
    unit_id: int | None
    completed: int
    late: int

    @property
    def on_time(self) -> int:
        return self.completed - self.late


def _clock_unit() -> Case:
    # Chosen by action, like `clock_of`: the consulted unit for a consultation answer, the lead unit then for a
    # deemed signing (no one acted), and the acting unit otherwise (the hotline's own for a dispatch).
    return Case(When(action=Action.ANSWER, then=F("ticket__consult_unit")),
                When(action=Action.DEEM_SIGNED, then=about_unit()),
                default=F("actor_unit"), output_field=IntegerField())


def clock_events(period: Period, *clocks: Clock) -> AnnotatedEvents:
    """Each clock-completing event in the period (of `clocks`, or all), annotated with `clock`, `unit` (an id),
    `due` and `late`; compose it further (filter by unit, list as evidence) or aggregate it."""
    events: AnnotatedEvents = events_in(period, *CLOCK_ACTIONS).filter(COMPLETES_A_CLOCK)
    events = events.annotate(clock=clock_of(), unit=_clock_unit(), due=due_of(), late=late_of())
    # An arrival with no arrival deadline was recorded where no Art. 20 clock ran.
    events = events.exclude(action=Action.ARRIVE, due__isnull=True)
    return events.filter(clock__in=[c.value for c in clocks]) if clocks else events


def clock_summary(period: Period, *clocks: Clock) -> list[ClockCounts]:
    """Completed and late counts per clock and unit, ordered by clock then unit id."""
    rows = (clock_events(period, *clocks).values("clock", "unit")
            .annotate(n=Count("id"), n_late=Count("id", filter=Q(late=True))).order_by("clock", "unit"))
    return [ClockCounts(clock=row["clock"], unit_id=row["unit"], completed=row["n"], late=row["n_late"])
            for row in rows]
