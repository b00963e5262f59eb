"""Loading the calendar from the database, cached per process and refreshed when an administrator edits it."""

from __future__ import annotations

import datetime as dt
import threading

from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from hotline.deadlines.calendar import WorkCalendar
from hotline.deadlines.models import CalendarDay, DayKind, PublishedYear

_lock = threading.Lock()
_cache: dict[str, object] = {}

# A number per date that differs for any two dates (day < 32, month < 13), so a changed date changes the sum.
_DATE_KEY = ExtractYear("date") * 416 + ExtractMonth("date") * 32 + ExtractDay("date")


def _revision() -> tuple[object, ...]:
    # One cheap aggregate per load: every process (web, sweeps, Celery) notices an edit without a restart.
    # updated_at alone misses two edits within one clock tick, and a queryset.update() that skips auto_now;
    # the sums of date keys by kind change whenever a date is added, removed, moved or flips 休/班.
    days = CalendarDay.objects.aggregate(
        n=Count("id"), m=Max("updated_at"),
        holidays=Sum(_DATE_KEY, filter=Q(kind=DayKind.HOLIDAY)),
        workdays=Sum(_DATE_KEY, filter=Q(kind=DayKind.WORKDAY)),
    )
    years = PublishedYear.objects.aggregate(n=Count("id"), m=Max("updated_at"), s=Sum(F("year")))
    return (days["n"], days["m"], days["holidays"], days["workdays"], years["n"], years["m"], years["s"])


def load_calendar() -> WorkCalendar:
    """The calendar as the database holds it now."""
    revision = _revision()
    with _lock:
        if _cache.get("revision") == revision:
            return _cache["calendar"]  # type: ignore[return-value]
    holidays: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == DayKind.HOLIDAY else workdays).add(day)
    years = frozenset(PublishedYear.objects.values_list("year", flat=True))
    calendar = WorkCalendar(holidays=frozenset(holidays), workdays=frozenset(workdays), published_years=years)
    with _lock:
        _cache["revision"] = revision
        _cache["calendar"] = calendar
    return calendar
