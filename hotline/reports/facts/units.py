"""Unit facts (Art. 26 汇总承办单位工作情况, Art. 27 考评): per unit, what was sent to it and what it did with it.

The unit of an event is the acting unit for a unit's own action (sign, return request, extension request, reply,
arrival) and the ticket's lead unit at that moment for everything the hotline or a sweep does about the ticket
(dispatch, deemed signing, reviews, rework, overdue alerts), stored on the event when it was written
(`Event.about_unit`; `expressions.unit_of` is its definition). Events about no unit (a
dispatch clock breached before any dispatch) are grouped under None.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.db.models.fields.json import KT

from hotline.deadlines.policy import Clock
from hotline.reports.facts.expressions import about_unit, late_of
from hotline.reports.facts.period import AnnotatedEvents, Period, events_in
from hotline.tickets.choices import Action

A = Action
# The follow-up clock is the hotline's own (Art. 17): a late call is not the unit's overdue.
HOTLINE_CLOCK = Clock.FOLLOW_UP.value
UNIT_FACT_ACTIONS = (A.DISPATCH, A.SIGN, A.DEEM_SIGNED, A.REQUEST_RETURN, A.REVIEW_RETURN, A.REQUEST_EXTENSION,
                     A.REVIEW_EXTENSION, A.REPLY, A.REWORK, A.MARK_OVERDUE)


@dataclass(frozen=True)
class UnitCounts:
    """One unit's figures in a period; each is a count of events (see docs/statistics.md for the formulas)."""

    dispatched: int = 0  # DISPATCH naming it lead unit (Art. 12, 13)
    signed: int = 0  # SIGN + DEEM_SIGNED (Art. 13)
    signed_late: int = 0  # SIGN judged late + every DEEM_SIGNED
    deemed_signed: int = 0
    returns_requested: int = 0  # REQUEST_RETURN (Art. 13)
    returns_upheld: int = 0  # REVIEW_RETURN approved
    extensions_requested: int = 0  # REQUEST_EXTENSION (Art. 14)
    extensions_approved: int = 0  # REVIEW_EXTENSION approved
    replied: int = 0  # REPLY (Art. 15), handling and rework alike
    replied_late: int = 0
    replied_off_topic: int = 0  # REPLY the reply check warned about (Art. 27, 28(3)); a review aid, not a verdict
    reworked: int = 0  # REWORK (Art. 17)
    overdue: int = 0  # MARK_OVERDUE, every unit clock (Art. 27 超期); not the hotline's follow-up clock
    overdue_by_clock: Mapping[str, int] = field(default_factory=dict)


def _counts() -> dict[str, Count]:
    # One conditional count per UnitCounts field, all in one pass over the period's events.
    def n(q: Q) -> Count:
        return Count("id", filter=q)

    return {
        "dispatched": n(Q(action=A.DISPATCH)),
        "signed": n(Q(action__in=(A.SIGN, A.DEEM_SIGNED))),
        "signed_late": n(Q(action__in=(A.SIGN, A.DEEM_SIGNED), late=True)),
        "deemed_signed": n(Q(action=A.DEEM_SIGNED)),
        "returns_requested": n(Q(action=A.REQUEST_RETURN)),
        "returns_upheld": n(Q(action=A.REVIEW_RETURN, data__approved=True)),
        "extensions_requested": n(Q(action=A.REQUEST_EXTENSION)),
        "extensions_approved": n(Q(action=A.REVIEW_EXTENSION, data__approved=True)),
        "replied": n(Q(action=A.REPLY)),
        "replied_late": n(Q(action=A.REPLY, late=True)),
        "replied_off_topic": n(Q(action=A.REPLY, data__off_topic=True)),
        "reworked": n(Q(action=A.REWORK)),
        "overdue": n(Q(action=A.MARK_OVERDUE) & ~Q(data__clock=HOTLINE_CLOCK)),
    }


def unit_events(period: Period, *actions: str) -> AnnotatedEvents:
    """Events in the period (of `actions`, or all) annotated with `unit`, the id of the unit each is about."""
    return events_in(period, *actions).annotate(unit=about_unit())


def unit_facts(period: Period) -> dict[int | None, UnitCounts]:
    """Every unit's counts in the period, keyed by unit id; units with no event are absent."""
    counts = _counts()
    rows = unit_events(period, *UNIT_FACT_ACTIONS).annotate(late=late_of()).values("unit").annotate(**counts)
    by_clock: dict[Any, dict[str, int]] = defaultdict(dict)
    alerts = (unit_events(period, A.MARK_OVERDUE).exclude(data__clock=HOTLINE_CLOCK)
              .values("unit", alert_clock=KT("data__clock")).annotate(n=Count("id")))
    for alert in alerts:
        by_clock[alert["unit"]][alert["alert_clock"]] = alert["n"]
    return {row["unit"]: UnitCounts(**{name: row[name] for name in counts},
                                    overdue_by_clock=by_clock.get(row["unit"], {})) for row in rows}
