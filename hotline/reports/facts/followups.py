"""Follow-up facts (Art. 17 回访, Art. 26 回访情况): every FOLLOW_UP event with what the call found, from its data:
`reached`, `satisfaction` (GB/T 39734 level, "" when not reached), `unit_contacted` and `unit_at_fault`.

Each call counts, including a merged requester's own call (并单); the unit is the lead unit at the time of the
call, for a merged ticket the original's. A requester's own rating (portal, SMS; `channel` in the data) counts too,
unless a later call on the same ticket reached them: the call takes precedence (docs/regulation.md I32). Weights
of the levels (基本满意 as satisfied or not) are the assessment's choice, so the levels are counted apart here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from hotline.reports.facts.expressions import about_unit
from hotline.reports.facts.period import AnnotatedEvents, Period, events_in
from hotline.tickets.choices import DISSATISFIED_LEVELS, Action, FollowUpChannel, Satisfaction
from hotline.tickets.models import Event

_RATINGS = [FollowUpChannel.PORTAL.value, FollowUpChannel.SMS.value]


@dataclass(frozen=True)
class FollowUpCounts:
    """Follow-up calls in a period and what they found."""

    calls: int = 0
    reached: int = 0
    unit_contacted: int = 0  # the requester said the unit contacted them (Art. 17, Art. 27 未及时联系)
    unit_at_fault: int = 0  # dissatisfied through the unit's fault: grounds for rework (Art. 17)
    satisfaction: Mapping[str, int] = field(default_factory=dict)  # per Satisfaction value, every level present

    @property
    def unreached(self) -> int:
        return self.calls - self.reached

    @property
    def dissatisfied(self) -> int:
        return sum(self.satisfaction.get(level, 0) for level in DISSATISFIED_LEVELS)


def _counts() -> dict[str, Count]:
    counts = {
        "calls": Count("id"),
        "reached": Count("id", filter=Q(data__reached=True)),
        "unit_contacted": Count("id", filter=Q(data__unit_contacted=True)),
        "unit_at_fault": Count("id", filter=Q(data__unit_at_fault=True)),
    }
    for level in Satisfaction.values:
        counts[f"level_{level}"] = Count("id", filter=Q(data__satisfaction=level))
    return counts


def _build(row: dict[str, Any]) -> FollowUpCounts:
    levels = {level: row[f"level_{level}"] for level in Satisfaction.values}
    return FollowUpCounts(calls=row["calls"], reached=row["reached"], unit_contacted=row["unit_contacted"],
                          unit_at_fault=row["unit_at_fault"], satisfaction=levels)


def _counted(period: Period) -> QuerySet[Event]:
    """FOLLOW_UP events of the period, without a requester's rating that a later reached call superseded."""
    later_call = Event.objects.filter(ticket=OuterRef("ticket"), action=Action.FOLLOW_UP, id__gt=OuterRef("id"),
                                      data__reached=True).filter(
        Q(data__channel=FollowUpChannel.CALL.value) | ~Q(data__has_key="channel"))
    # `has_key` first: an older call recorded without a channel is no rating, and the key test is false rather than
    # NULL there, so the exclusion keeps it (a NULL would drop it) and the look-up for later calls never runs.
    rating = Q(data__has_key="channel") & (Q(data__channel=_RATINGS[0]) | Q(data__channel=_RATINGS[1]))
    return events_in(period, Action.FOLLOW_UP).exclude(rating & Q(Exists(later_call)))


def follow_up_events(period: Period) -> AnnotatedEvents:
    """FOLLOW_UP events in the period annotated with `unit`: the lead unit then (a merged ticket's original's), as
    stored on the event."""
    return _counted(period).annotate(unit=about_unit())


def follow_up_totals(period: Period) -> FollowUpCounts:
    """All follow-up records of the period that count."""
    return _build(_counted(period).aggregate(**_counts()))


def follow_ups_by_unit(period: Period) -> dict[int | None, FollowUpCounts]:
    """Follow-up calls per unit id."""
    rows = follow_up_events(period).values("unit").annotate(**_counts())
    return {row["unit"]: _build(row) for row in rows}


def follow_ups_by_platform(period: Period, platforms: Collection[int] | None = None) -> dict[int, FollowUpCounts]:
    """Follow-up calls per id of the platform that received the ticket called about (Art. 30: counted there), of
    every platform or of `platforms`."""
    counted = _counted(period)
    if platforms is not None:
        counted = counted.filter(ticket__received_by__in=platforms)
    rows = counted.values(platform=F("ticket__received_by")).annotate(**_counts())
    return {row["platform"]: _build(dict(row)) for row in rows}
