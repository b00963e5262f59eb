"""Seeding the calendar from the `chinesecalendar` package (the State Council schedules 2004 onwards)."""

from __future__ import annotations

from typing import Any

from hotline.deadlines.calendar import WorkCalendar

SEED_SOURCE = "国务院办公厅节假日安排（chinesecalendar）"


def chinese_name(value: object) -> str:
    """The Chinese name of a package holiday ('Spring Festival' -> '春节'); unknown names are kept as they are."""
    from chinese_calendar.constants import Holiday

    try:
        return str(Holiday(value).chinese)
    except ValueError:
        return str(value or "")


def package_years() -> list[int]:
    """The years whose schedule the installed package holds."""
    import chinese_calendar

    return sorted({day.year for day in chinese_calendar.holidays})


def package_calendar() -> WorkCalendar:
    """The calendar exactly as the package knows it, without a database (tests, and comparing the table)."""
    import chinese_calendar

    return WorkCalendar(
        holidays=frozenset(chinese_calendar.holidays),
        workdays=frozenset(day for day in chinese_calendar.workdays if day.weekday() >= 5),
        published_years=frozenset(package_years()),
    )


def seed_from_package(calendar_day: Any, published_year: Any) -> int:
    """Insert every holiday and make-up working day the package knows; returns the number of dates added.

    Takes the model classes so the data migration can pass its historical models.
    """
    import chinese_calendar

    existing = set(calendar_day.objects.values_list("date", flat=True))
    rows = [calendar_day(date=day, kind="holiday", name=chinese_name(name)) for day, name in
            chinese_calendar.holidays.items() if day not in existing]
    rows += [calendar_day(date=day, kind="workday", name=f"{chinese_name(name)}调休") for day, name in
             chinese_calendar.workdays.items() if day not in existing and day.weekday() >= 5]
    calendar_day.objects.bulk_create(rows, batch_size=500)
    for year in package_years():
        published_year.objects.get_or_create(year=year, defaults={"source": SEED_SOURCE})
    return len(rows)
