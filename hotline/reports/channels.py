"""Read-only statistics by channel (Art. 26: monthly statistics of what the hotline received, by every channel)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncDate

from hotline.deadlines.calendar import LOCAL_TZ
from hotline.tickets.choices import Channel, Status
from hotline.tickets.models import Ticket


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


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (dt.datetime.combine(start, dt.time(), tzinfo=LOCAL_TZ),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_TZ))


def channel_report(start: dt.date, end: dt.date) -> ChannelReport:
    """Received, accepted (not declined) and answered-on-the-spot counts per channel, and daily received counts."""
    if end < start:
        raise ValueError("end before start")
    low, high = _bounds(start, end)
    period = Ticket.objects.filter(created_at__gte=low, created_at__lt=high)
    totals = {r["channel"]: r["n"] for r in period.values("channel").annotate(n=Count("id"))}
    declined = {r["channel"]: r["n"] for r in period.filter(status=Status.DECLINED).values("channel")
                .annotate(n=Count("id"))}
    answered = {r["channel"]: r["n"] for r in period.filter(status=Status.ANSWERED).values("channel")
                .annotate(n=Count("id"))}
    rows = [ChannelRow(channel=value, label=label, received=totals.get(value, 0),
                       accepted=totals.get(value, 0) - declined.get(value, 0),
                       answered_directly=answered.get(value, 0)) for value, label in Channel.choices]
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    daily: dict[str, list[int]] = defaultdict(lambda: [0] * len(days))
    per_day = (period.annotate(day=TruncDate("created_at", tzinfo=LOCAL_TZ)).values("day", "channel")
               .annotate(n=Count("id")))
    index = {day: i for i, day in enumerate(days)}
    for row in per_day:
        if row["day"] in index:
            daily[row["channel"]][index[row["day"]]] = row["n"]
    return ChannelReport(start=start, end=end, rows=rows, days=days,
                         daily={value: daily[value] for value in Channel.values})
