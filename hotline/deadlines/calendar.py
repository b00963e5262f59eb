"""Working-day arithmetic: pure functions over a calendar value; the database is read only by `load_calendar`.

Rule (DESIGN §4; Civil Code Art. 201-203): a period of N working days from time t ends at 24:00 of the Nth working day
after t's date; the start day is not counted. 24:00 of day D is stored as 00:00 of D+1 in local time, so a deadline is
kept when the act happens strictly before `due`. Hour clocks (2 h, 24 h, 1 h) are plain clock time, 7x24.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
# The dates the hotline reasons about. A date a client sends outside them is a mistake, and year 1 or 9999 would
# overflow once converted to UTC or counted forward; the API and Open311 refuse such dates with a 400.
FIRST_DAY = dt.date(1970, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)
# Longer than any real clock (10 wd + 10 wd extension); stops a corrupt calendar from looping for ever.
_MAX_SCAN_DAYS = 3660


@dataclass(frozen=True)
class Due:
    """A computed deadline; `estimated` is true when it crosses a year with no published schedule."""

    at: dt.datetime
    estimated: bool = False
    unpublished_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class WorkCalendar:
    """Holidays (休) on weekdays, worked weekends (班), and the years whose schedule is published."""

    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)
    published_years: frozenset[int] = field(default_factory=frozenset)

    def is_working_day(self, day: dt.date) -> bool:
        """A date is worked if it is a make-up day, or a weekday that is not a holiday."""
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: dt.datetime, days: int) -> Due:
        """24:00 (local) of the `days`-th working day after `start`'s local date."""
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        if days < 0:
            raise ValueError("working days must not be negative")
        day = start.astimezone(LOCAL_TZ).date()
        if days == 0:
            return Due(at=start)
        counted = 0
        unpublished: set[int] = set()
        for _ in range(_MAX_SCAN_DAYS):
            day += dt.timedelta(days=1)
            if day.year not in self.published_years:
                unpublished.add(day.year)
            if self.is_working_day(day):
                counted += 1
                if counted == days:
                    return Due(at=end_of_day(day), estimated=bool(unpublished),
                               unpublished_years=tuple(sorted(unpublished)))
        raise ValueError("calendar has no working days in ten years")

    def extend(self, period_end: dt.datetime, days: int) -> Due:
        """`days` more working days after a period that ended at `period_end` (24:00 of its last day).

        24:00 of day D is stored as 00:00 of D+1, so counting from that instant would skip D+1; the extension of a
        handling period (Art. 14) and a clock started by deemed signing at the signing deadline (Art. 13) both
        start from day D, and D+1 is the first day counted.
        """
        return self.add_working_days(period_end - dt.timedelta(microseconds=1), days)

    def add_hours(self, start: dt.datetime, hours: float) -> Due:
        """Clock hours, 7x24 (Art. 12.1 24 h, Art. 13 2 h, Art. 20 1 h)."""
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        if hours < 0:
            raise ValueError("hours must not be negative")
        return Due(at=start + dt.timedelta(hours=hours))

    def end_of_day(self, when: dt.datetime) -> dt.datetime:
        """24:00 of `when`'s local date (e.g. the desk-return window: 'on the signing day', Art. 13)."""
        return end_of_day(when.astimezone(LOCAL_TZ).date())

    def working_days_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """How many working days lie after start's date up to and including end's date (0 if end is not later)."""
        first = start.astimezone(LOCAL_TZ).date()
        last = end.astimezone(LOCAL_TZ).date()
        count = 0
        day = first
        while day < last:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def end_of_day(day: dt.date) -> dt.datetime:
    """24:00 of a local date, as 00:00 of the next day in Asia/Shanghai."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=LOCAL_TZ)


def weekend_calendar() -> WorkCalendar:
    """The fallback with no published years: Monday to Friday are worked."""
    return WorkCalendar()
