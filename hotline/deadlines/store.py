"""Loading the calendar from the database, cached per process and refreshed when an administrator edits it."""

from __future__ import annotations

import datetime as dt
import threading

from django.db.models import Count, F, Max, Q, Sum

from hotline.deadlines.calendar import WorkCalendar
from hotline.deadlines.models import CalendarDay, DayKind, PublishedYear

_lock = threading.Lock()
_cache: dict[str, object] = {}


def _revision() -> tuple[object, ...]:
    # One cheap aggregate per load (about a millisecond): every process (web, sweeps, Celery) notices an edit
    # without a restart. Beside the newest updated_at, the holiday count and id sum change when a day flips 休/班 or
    # rows are swapped, even within one clock tick or through a queryset.update() that skips auto_now. A date
    # changed in place is seen through updated_at (admin and importer save rows), so scripts must not update dates
    # with queryset.update().
    days = CalendarDay.objects.aggregate(
        n=Count("id"), m=Max("updated_at"),
        holidays=Count("id", filter=Q(kind=DayKind.HOLIDAY)), ids=Sum("id", filter=Q(kind=DayKind.HOLIDAY)),
    )
    years = PublishedYear.objects.aggregate(n=Count("id"), m=Max("updated_at"), s=Sum(F("year")))
    return (days["n"], days["m"], days["holidays"], days["ids"], years["n"], years["m"], years["s"])


def invalidate(**_signal: object) -> None:
    """Forget the cached calendar in this process (connected to saves and deletes of calendar rows)."""
    with _lock:
        _cache.clear()


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
