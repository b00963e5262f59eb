"""The period a report covers: whole local (Asia/Shanghai) dates, and the base query of events inside it."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from hotline.deadlines.calendar import LOCAL_TZ
from hotline.tickets.models import Event

# Events carrying annotations (`unit`, `clock`, `due`, `late`) that the type checker's model of Event cannot see.
AnnotatedEvents = QuerySet[Any]


@dataclass(frozen=True)
class Period:
    """Local dates `start` to `end`, both included; an event belongs to the period that holds its own `at`."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("end before start")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """A calendar month, the period of the monthly bulletin (Art. 26)."""
        last = calendar.monthrange(year, month)[1]
        return cls(dt.date(year, month, 1), dt.date(year, month, last))

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Local midnight opening the first day and local midnight closing the last, as aware datetimes."""
        return (dt.datetime.combine(self.start, dt.time(), tzinfo=LOCAL_TZ),
                dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_TZ))

    @property
    def days(self) -> list[dt.date]:
        """Every local date of the period, in order."""
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]


def events_in(period: Period, *actions: str) -> QuerySet[Event]:
    """Events whose `at` falls in the period, limited to `actions` when given; unordered, ready to aggregate.

    The (action, at) index serves the action filter with the time range; 23:59 on the 31st local time is 15:59 UTC
    and still counts in that month, because the bounds are local midnights."""
    low, high = period.bounds
    events = Event.objects.filter(at__gte=low, at__lt=high).order_by()
    return events.filter(action__in=actions) if actions else events
