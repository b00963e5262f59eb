"""Loading the calendar from the database, cached per process and refreshed when an administrator edits it."""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from hotline.deadlines.calendar import WorkCalendar
from hotline.deadlines.models import CalendarDay, DayKind, PublishedYear

_lock = threading.Lock()
_cache: dict[str, object] = {}


def _revision() -> tuple[object, ...]:
    # One cheap aggregate per load: every process (web, sweeps, Celery) notices an edit without a restart.
    days = CalendarDay.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    years = PublishedYear.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    return (days["n"], days["m"], years["n"], years["m"])


def load_calendar() -> WorkCalendar:
    """The calendar as the database holds it now."""
    revision = _revision()
    with _lock:
        if _cache.get("revision") == revision:
            return _cache["calendar"]  # type: ignore[return-value]
    holidays, workdays = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == DayKind.HOLIDAY else workdays).add(day)
    years = frozenset(PublishedYear.objects.values_list("year", flat=True))
    calendar = WorkCalendar(holidays=frozenset(holidays), workdays=frozenset(workdays), published_years=years)
    with _lock:
        _cache["revision"] = revision
        _cache["calendar"] = calendar
    return calendar
