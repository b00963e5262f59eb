"""Working-day arithmetic across the 2025 and 2026 holidays, without a database (DESIGN §4, STYLE 10).

Every expected value is worked out by hand from the State Council notices: N working days from t end at 24:00 of
the Nth working day after t's date (Civil Code Art. 201), written here as 00:00 of the day after.
"""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.deadlines.calendar import LOCAL_TZ, WorkCalendar, weekend_calendar
from tests.deadlines.calendars import (
    NOTICE_HOLIDAYS_2025,
    NOTICE_HOLIDAYS_2026,
    NOTICE_WORKDAYS_2025,
    NOTICE_WORKDAYS_2026,
    NOTICES_2025_2026,
    PACKAGE,
)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


CALENDARS = pytest.mark.parametrize("calendar", [PACKAGE, NOTICES_2025_2026], ids=["package", "notices"])

# (start, working days, due): each line is one hand-counted case, the comment shows the count.
CASES = [
    # 2025 Spring Festival: 1.28-2.4 off, Sunday 1.26 and Saturday 2.8 worked.
    (local(2025, 1, 24, 16), 1, local(2025, 1, 27)),  # Fri -> Sun 1.26 (班)
    (local(2025, 1, 26, 10), 5, local(2025, 2, 9)),  # 1.27, 2.5, 2.6, 2.7, Sat 2.8 (班)
    (local(2025, 1, 27, 9), 1, local(2025, 2, 6)),  # the whole break skipped -> 2.5
    # 2026 Spring Festival: 2.15-2.23 off, Saturdays 2.14 and 2.28 worked.
    (local(2026, 2, 13, 15), 1, local(2026, 2, 15)),  # Fri -> Sat 2.14 (班)
    (local(2026, 2, 14, 11), 1, local(2026, 2, 25)),  # -> 2.24
    (local(2026, 2, 14, 11), 2, local(2026, 2, 26)),  # 2.24, 2.25
    (local(2026, 2, 14, 11), 5, local(2026, 3, 1)),  # 2.24-2.27, Sat 2.28 (班)
    (local(2026, 2, 14, 11), 10, local(2026, 3, 7)),  # ... 3.2-3.6
    (local(2026, 2, 14, 11), 20, local(2026, 3, 21)),  # ... 3.9-3.13, 3.16-3.20
    # 2025 National Day and Mid-Autumn: 10.1-10.8 off, Sunday 9.28 and Saturday 10.11 worked.
    (local(2025, 9, 27, 20), 1, local(2025, 9, 29)),  # Sat -> Sun 9.28 (班)
    (local(2025, 9, 26, 17), 5, local(2025, 10, 11)),  # 9.28, 9.29, 9.30, 10.9, 10.10
    (local(2025, 9, 30, 10), 5, local(2025, 10, 15)),  # 10.9, 10.10, Sat 10.11 (班), 10.13, 10.14
    # 2026 Mid-Autumn 9.25 and National Day 10.1-10.7: Sunday 9.20 and Saturday 10.10 worked.
    (local(2026, 9, 18, 16), 5, local(2026, 9, 25)),  # Sun 9.20 (班), 9.21-9.24
    (local(2026, 9, 24, 10), 5, local(2026, 10, 10)),  # 9.25 off; 9.28, 9.29, 9.30, 10.8, 10.9
    (local(2026, 9, 30, 9), 5, local(2026, 10, 14)),  # 10.8, 10.9, Sat 10.10 (班), 10.12, 10.13
    # New Year 2026: 1.1-1.3 off, Sunday 1.4 worked.
    (local(2025, 12, 31, 18), 1, local(2026, 1, 5)),  # -> Sun 1.4 (班)
    # Late December 2026, still inside the published year.
    (local(2026, 12, 21, 10), 5, local(2026, 12, 29)),  # 12.22-12.25, 12.28
    (local(2026, 12, 24, 10), 5, local(2027, 1, 1)),  # 12.25, 12.28-12.31: ends on 12.31, 24:00
]


@CALENDARS
@pytest.mark.parametrize(("start", "days", "due"), CASES)
def test_it_ends_at_midnight_after_the_nth_working_day(calendar: WorkCalendar, start: dt.datetime, days: int,
                                                      due: dt.datetime) -> None:
    result = calendar.add_working_days(start, days)
    assert result.at == due
    assert result.estimated is False


class TestTheSeedPackageAgreesWithTheNotices:
    def test_it_lists_the_same_weekday_holidays(self) -> None:
        for year, notice in ((2025, NOTICE_HOLIDAYS_2025), (2026, NOTICE_HOLIDAYS_2026)):
            package = {day for day in PACKAGE.holidays if day.year == year and day.weekday() < 5}
            assert package == notice

    def test_it_lists_the_same_make_up_working_days(self) -> None:
        for year, notice in ((2025, NOTICE_WORKDAYS_2025), (2026, NOTICE_WORKDAYS_2026)):
            assert {day for day in PACKAGE.workdays if day.year == year} == notice

    def test_it_publishes_2004_to_2026_and_not_2027(self) -> None:
        assert min(PACKAGE.published_years) == 2004
        assert max(PACKAGE.published_years) == 2026
        assert 2027 not in PACKAGE.published_years


class TestMakeUpDays:
    @pytest.mark.parametrize("day", [dt.date(2025, 1, 26), dt.date(2025, 2, 8), dt.date(2025, 9, 28),
                                     dt.date(2025, 10, 11), dt.date(2026, 1, 4), dt.date(2026, 2, 14),
                                     dt.date(2026, 2, 28), dt.date(2026, 9, 20), dt.date(2026, 10, 10)])
    def test_it_counts_a_make_up_weekend_day_as_worked(self, day: dt.date) -> None:
        assert day.weekday() >= 5
        assert PACKAGE.is_working_day(day)
        assert NOTICES_2025_2026.is_working_day(day)

    def test_it_rests_on_an_ordinary_weekend_and_a_weekday_holiday(self) -> None:
        assert not PACKAGE.is_working_day(dt.date(2026, 2, 21))  # Saturday inside the Spring Festival
        assert not PACKAGE.is_working_day(dt.date(2026, 2, 23))  # Monday, last day of the break
        assert PACKAGE.is_working_day(dt.date(2026, 2, 24))


class TestYearEndIntoAnUnpublishedYear:
    def test_it_falls_back_to_weekends_and_flags_the_due_as_estimated(self) -> None:
        # 12.29, 12.30, 12.31, Fri 1.1.2027 (worked by the weekend rule: 2027 is not published), Mon 1.4.
        due = PACKAGE.add_working_days(local(2026, 12, 28, 10), 5)
        assert due.at == local(2027, 1, 5)
        assert due.estimated is True
        assert due.unpublished_years == (2027,)

    def test_it_flags_a_one_day_clock_that_lands_in_the_new_year(self) -> None:
        due = PACKAGE.add_working_days(local(2026, 12, 31, 10), 1)
        assert due.at == local(2027, 1, 2)
        assert due.estimated is True

    def test_it_does_not_flag_a_period_that_ends_on_31_december(self) -> None:
        assert PACKAGE.add_working_days(local(2026, 12, 24, 10), 5).estimated is False

    def test_it_uses_the_weekend_rule_alone_when_nothing_is_published(self) -> None:
        calendar = weekend_calendar()
        assert calendar.is_working_day(dt.date(2027, 1, 1))  # a Friday
        assert not calendar.is_working_day(dt.date(2027, 1, 2))
        assert calendar.add_working_days(local(2027, 1, 1, 9), 1).at == local(2027, 1, 5)


class TestStartDay:
    def test_it_takes_the_start_day_in_beijing_time(self) -> None:
        # 16:30 UTC on Friday 2.13 is 00:30 on the make-up Saturday 2.14 in Beijing: 2.14 is the start day.
        start = dt.datetime(2026, 2, 13, 16, 30, tzinfo=dt.UTC)
        assert PACKAGE.add_working_days(start, 1).at == local(2026, 2, 25)

    def test_it_does_not_count_the_start_day_however_late(self) -> None:
        assert PACKAGE.add_working_days(local(2026, 2, 13, 23, 59), 1).at == local(2026, 2, 15)
        assert PACKAGE.add_working_days(local(2026, 2, 14, 0, 0), 1).at == local(2026, 2, 25)

    def test_it_returns_the_start_for_zero_days(self) -> None:
        assert PACKAGE.add_working_days(local(2026, 2, 14, 11), 0).at == local(2026, 2, 14, 11)

    def test_it_rejects_naive_times_and_negative_lengths(self) -> None:
        with pytest.raises(ValueError):
            PACKAGE.add_working_days(dt.datetime(2026, 2, 14, 11), 1)  # noqa: DTZ001
        with pytest.raises(ValueError):
            PACKAGE.add_working_days(local(2026, 2, 14), -1)
        with pytest.raises(ValueError):
            PACKAGE.add_hours(dt.datetime(2026, 2, 14, 11), 2)  # noqa: DTZ001


class TestExtend:
    def test_it_counts_an_extension_from_the_last_day_of_the_old_period(self) -> None:
        # Old period ends 9.24 24:00; ten more: 9.28, 9.29, 9.30, 10.8, 10.9, Sat 10.10, 10.12-10.15.
        assert PACKAGE.extend(local(2026, 9, 25), 10).at == local(2026, 10, 16)
        # Three more: 9.25 (中秋), 9.26-9.27 off; 9.28, 9.29, 9.30.
        assert PACKAGE.extend(local(2026, 9, 25), 3).at == local(2026, 10, 1)

    def test_it_starts_a_clock_at_a_signing_deadline_from_that_deadline_s_day(self) -> None:
        # Deemed signed at 10.8 24:00: 10.9, Sat 10.10 (班), 10.12, 10.13, 10.14.
        assert PACKAGE.extend(local(2026, 10, 9), 5).at == local(2026, 10, 15)


class TestEndOfDayAndCounting:
    def test_it_ends_the_day_at_the_next_local_midnight(self) -> None:
        assert PACKAGE.end_of_day(local(2026, 2, 14, 23, 59)) == local(2026, 2, 15)
        assert PACKAGE.end_of_day(dt.datetime(2026, 2, 13, 16, 30, tzinfo=dt.UTC)) == local(2026, 2, 15)

    def test_it_counts_working_days_between_two_moments(self) -> None:
        # After 2.13: Sat 2.14 (班), 2.24, 2.25.
        assert PACKAGE.working_days_between(local(2026, 2, 13, 9), local(2026, 2, 25, 9)) == 3
        assert PACKAGE.working_days_between(local(2026, 2, 25, 9), local(2026, 2, 13, 9)) == 0
