"""Intake facts (Art. 26: what the hotline received): received, accepted, declined by Art. 10 reason, answered
directly, in total or by channel, request type, topic or region, and received per local day.

Intake events: a contact accepted (受理) starts with one ACCEPT event from "" to pending_dispatch; a contact
declined at intake (不予受理) is one DECLINE event from "" to declined, with no ACCEPT before it. A ticket accepted
and declined later has ACCEPT and then DECLINE from pending_dispatch. So:

- received = ACCEPT from "" + DECLINE from "" (each contact once, in the period of its first event);
- accepted = ACCEPT from "";
- declined_at_intake = DECLINE from "";
- declined = every DECLINE, at intake or later: both are 不予受理 under Art. 10;
- answered_directly = every ANSWER (直接答复, Art. 12.1), on the spot or after consulting a unit.

Each event counts in the period of its own `at`, so a contact accepted on the 31st and answered on the 1st is
received in one month and answered in the next. The breakdowns read the ticket's classification as it stands
(the event log does not record reclassification).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import CharField, Count, F, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, TruncDate

from hotline.deadlines.calendar import LOCAL_TZ
from hotline.reports.facts.period import Period, events_in
from hotline.tickets.choices import Action
from hotline.tickets.models import Event

Dimension = Literal["channel", "request_type", "topic", "region", "received_by"]
# The ticket column each breakdown groups by: channel and request type are their values, topic and region ids, and
# the id of the platform that received the ticket (Art. 30: each ticket counted once, where it came in).
DIMENSIONS: dict[str, str] = {
    "channel": "ticket__channel", "request_type": "ticket__request_type", "topic": "ticket__topic",
    "region": "ticket__region", "received_by": "ticket__received_by",
}


@dataclass(frozen=True)
class IntakeCounts:
    """One group's intake figures in a period."""

    accepted: int = 0
    declined_at_intake: int = 0
    declined: int = 0
    answered_directly: int = 0

    @property
    def received(self) -> int:
        """Every contact that reached the hotline: accepted or declined at intake."""
        return self.accepted + self.declined_at_intake


def _counts() -> dict[str, Count]:
    return {
        "accepted": Count("id", filter=Q(action=Action.ACCEPT, from_status="")),
        "declined_at_intake": Count("id", filter=Q(action=Action.DECLINE, from_status="")),
        "declined": Count("id", filter=Q(action=Action.DECLINE)),
        "answered_directly": Count("id", filter=Q(action=Action.ANSWER)),
    }


def _build(row: Mapping[str, Any]) -> IntakeCounts:
    return IntakeCounts(accepted=row["accepted"], declined_at_intake=row["declined_at_intake"],
                        declined=row["declined"], answered_directly=row["answered_directly"])


def _intake_events(period: Period) -> QuerySet[Event]:
    return events_in(period, Action.ACCEPT, Action.DECLINE, Action.ANSWER)


def intake_totals(period: Period) -> IntakeCounts:
    """Received, accepted, declined and answered-directly counts over the whole period."""
    return _build(_intake_events(period).aggregate(**_counts()))


def intake_by(period: Period, dimension: Dimension) -> dict[Any, IntakeCounts]:
    """The same counts per channel, request type, topic id, region id or receiving platform id; groups with no event
    are absent."""
    rows = _intake_events(period).values(key=F(DIMENSIONS[dimension])).annotate(**_counts())
    return {row["key"]: _build(row) for row in rows}


def declines_by_reason(period: Period, within: Q | None = None) -> dict[str, int]:
    """不予受理 per Art. 10 reason code ("1" to "10"), at intake and later alike; `within` limits the tickets (a
    platform's, `Q(ticket__received_by__in=...)`)."""
    # The code is in the event since the first release; the ticket column is a fallback for hand-made rows.
    code = Coalesce(KT("data__reason_code"), F("ticket__decline_reason"), output_field=CharField())
    rows = events_in(period, Action.DECLINE).filter(within or Q()).values(code=code).annotate(n=Count("id"))
    return {row["code"]: row["n"] for row in rows}


def received_by_day(period: Period, dimension: Dimension, within: Q | None = None) -> dict[Any, dict[dt.date, int]]:
    """Contacts received per local date and group; dates and groups with none are absent; `within` as above."""
    first_events = events_in(period, Action.ACCEPT, Action.DECLINE).filter(from_status="").filter(within or Q())
    rows = first_events.values(day=TruncDate("at", tzinfo=LOCAL_TZ), key=F(DIMENSIONS[dimension])).annotate(
        n=Count("id"))
    series: dict[Any, dict[dt.date, int]] = defaultdict(dict)
    for row in rows:
        series[row["key"]][row["day"]] = row["n"]
    return dict(series)
