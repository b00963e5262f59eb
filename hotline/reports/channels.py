"""Read-only statistics by channel (Art. 26: monthly statistics of what the hotline received, by every channel).

Read from the event log through `hotline.reports.facts`: received and accepted are the contacts' first events,
answered directly the ANSWER events, each in the period of its own time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hotline.reports.facts import IntakeCounts, Period, intake_by, received_by_day
from hotline.tickets.choices import Channel


@dataclass(frozen=True)
class ChannelRow:
    """One channel's figures in the period."""

    channel: str
    label: str
    received: int
    accepted: int
    answered_directly: int


@dataclass(frozen=True)
class ChannelReport:
    """Counts per channel and per day over a period of local dates, inclusive."""

    start: dt.date
    end: dt.date
    rows: list[ChannelRow]
    days: list[dt.date]
    daily: dict[str, list[int]]

    @property
    def total(self) -> int:
        return sum(r.received for r in self.rows)


def channel_report(start: dt.date, end: dt.date) -> ChannelReport:
    """Received, accepted and answered-directly counts per channel, and daily received counts."""
    period = Period(start, end)  # refuses end before start
    counts = intake_by(period, "channel")
    rows = []
    for value, label in Channel.choices:
        c = counts.get(value, IntakeCounts())
        rows.append(ChannelRow(channel=value, label=label, received=c.received, accepted=c.accepted,
                               answered_directly=c.answered_directly))
    days = period.days
    series = received_by_day(period, "channel")
    daily = {value: [series.get(value, {}).get(day, 0) for day in days] for value in Channel.values}
    return ChannelReport(start=start, end=end, rows=rows, days=days, daily=daily)
