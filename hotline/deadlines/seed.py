"""Seeding the calendar from the `chinesecalendar` package (the State Council schedules 2004 onwards)."""

from __future__ import annotations

from typing import Any


def seed_from_package(calendar_day: Any, published_year: Any) -> int:
    """Insert every holiday and make-up working day the package knows; returns the number of dates added.

    Takes the model classes so the data migration can pass its historical models.
    """
    import chinese_calendar

    existing = set(calendar_day.objects.values_list("date", flat=True))
    rows = [calendar_day(date=day, kind="holiday", name=str(name or "")) for day, name in
            chinese_calendar.holidays.items() if day not in existing]
    rows += [calendar_day(date=day, kind="workday", name=f"{name or ''}调休") for day, name in
             chinese_calendar.workdays.items() if day not in existing and day.weekday() >= 5]
    calendar_day.objects.bulk_create(rows, batch_size=500)
    years = {day.year for day in chinese_calendar.holidays}
    for year in sorted(years):
        published_year.objects.get_or_create(year=year, defaults={"source": "国务院办公厅节假日安排（chinesecalendar）"})
    return len(rows)
