"""The calendar table: seeded from the package, loaded and cached, and reloaded after every edit (DESIGN §4)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import TestCase

from hotline.deadlines.models import CalendarDay, DayKind, PublishedYear
from hotline.deadlines.store import load_calendar
from tests.base import local
from tests.deadlines.calendars import PACKAGE


class TestSeed(TestCase):
    def test_it_loads_exactly_what_the_package_knows(self) -> None:
        assert load_calendar() == PACKAGE

    def test_it_names_holidays_and_make_up_days_in_chinese(self) -> None:
        assert str(CalendarDay.objects.get(date=dt.date(2026, 2, 16))) == "2026-02-16 休 春节"
        assert str(CalendarDay.objects.get(date=dt.date(2026, 2, 14))) == "2026-02-14 班 春节调休"
        assert CalendarDay.objects.get(date=dt.date(2025, 10, 11)).name == "国庆节调休"
        assert not CalendarDay.objects.filter(name__contains="Festival").exists()

    def test_it_marks_2004_to_2026_published(self) -> None:
        assert list(PublishedYear.objects.values_list("year", flat=True)) == list(range(2004, 2027))


@time_machine.travel(local(2026, 11, 23, 10), tick=False)
class TestCacheInvalidation(TestCase):
    """Time stands still here, so every edit carries the same updated_at: the cache must still notice."""

    def test_it_sees_an_added_holiday(self) -> None:
        assert load_calendar().is_working_day(dt.date(2026, 11, 27))
        CalendarDay.objects.create(date=dt.date(2026, 11, 27), kind=DayKind.HOLIDAY, name="临时调整")
        assert not load_calendar().is_working_day(dt.date(2026, 11, 27))

    def test_it_sees_a_day_flip_from_rest_to_work_in_the_same_instant(self) -> None:
        day = CalendarDay.objects.create(date=dt.date(2026, 11, 28), kind=DayKind.HOLIDAY)
        assert not load_calendar().is_working_day(dt.date(2026, 11, 28))
        day.kind = DayKind.WORKDAY
        day.save()
        assert load_calendar().is_working_day(dt.date(2026, 11, 28))

    def test_it_sees_a_bulk_update_that_skips_updated_at(self) -> None:
        CalendarDay.objects.filter(date=dt.date(2026, 10, 10)).update(kind=DayKind.HOLIDAY)
        assert not load_calendar().is_working_day(dt.date(2026, 10, 10))

    def test_it_sees_a_deleted_date_and_a_newly_published_year(self) -> None:
        CalendarDay.objects.filter(date=dt.date(2026, 9, 25)).delete()
        PublishedYear.objects.create(year=2027)
        calendar = load_calendar()
        assert calendar.is_working_day(dt.date(2026, 9, 25))
        assert 2027 in calendar.published_years

    def test_it_returns_the_cached_calendar_while_nothing_changes(self) -> None:
        assert load_calendar() is load_calendar()


class TestCacheInvalidationAsTimeRuns(TestCase):
    def test_it_sees_a_date_moved_in_the_admin(self) -> None:
        day = CalendarDay.objects.get(date=dt.date(2026, 10, 10))
        assert load_calendar().is_working_day(dt.date(2026, 10, 10))
        day.date = dt.date(2026, 10, 17)
        day.save()
        calendar = load_calendar()
        assert not calendar.is_working_day(dt.date(2026, 10, 10))
        assert calendar.is_working_day(dt.date(2026, 10, 17))


class TestValidation(TestCase):
    def test_it_refuses_a_make_up_working_day_on_a_weekday(self) -> None:
        day = CalendarDay(date=dt.date(2027, 2, 8), kind=DayKind.WORKDAY)
        with pytest.raises(ValidationError) as raised:
            day.full_clean()
        assert raised.value.message_dict == {"kind": ["调休上班日只能是周六或周日"]}
