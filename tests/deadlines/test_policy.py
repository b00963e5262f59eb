"""The clock table: lengths and articles, hour clocks across midnight and holidays (Art. 12-14, 17, 20)."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.deadlines.calendar import LOCAL_TZ
from hotline.deadlines.policy import RULES, Clock, Unit, compute, handling_working_days
from tests.deadlines.calendars import PACKAGE


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


class TestHourClocks:
    def test_it_runs_the_2_hour_dispatch_clock_through_midnight_on_a_holiday(self) -> None:
        assert compute(PACKAGE, Clock.DISPATCH, local(2026, 2, 16, 23, 30)).at == local(2026, 2, 17, 1, 30)

    def test_it_runs_the_24_hour_consultation_clock_into_national_day(self) -> None:
        assert compute(PACKAGE, Clock.CONSULT, local(2026, 9, 30, 20)).at == local(2026, 10, 1, 20)

    def test_it_runs_the_1_hour_arrival_clock_across_new_year(self) -> None:
        assert compute(PACKAGE, Clock.ARRIVAL, local(2025, 12, 31, 23, 20)).at == local(2026, 1, 1, 0, 20)

    def test_it_never_flags_an_hour_clock_as_estimated(self) -> None:
        due = compute(PACKAGE, Clock.DISPATCH, local(2026, 12, 31, 23))
        assert due.at == local(2027, 1, 1, 1)
        assert due.estimated is False


class TestWorkingDayClocks:
    def test_it_gives_one_working_day_to_sign(self) -> None:
        assert compute(PACKAGE, Clock.SIGN, local(2026, 2, 13, 15)).at == local(2026, 2, 15)

    def test_it_gives_two_working_days_to_return_after_on_site_checks(self) -> None:
        assert compute(PACKAGE, Clock.RETURN, local(2026, 2, 14, 11)).at == local(2026, 2, 26)

    def test_it_gives_five_working_days_to_rework(self) -> None:
        assert compute(PACKAGE, Clock.REWORK, local(2026, 9, 30, 9)).at == local(2026, 10, 14)

    def test_it_lets_the_handling_limit_override_the_table(self) -> None:
        assert compute(PACKAGE, Clock.HANDLING, local(2026, 2, 14, 11), amount=1).at == local(2026, 2, 25)


class TestTheTable:
    @pytest.mark.parametrize(("clock", "unit", "amount", "article"), [
        (Clock.DISPATCH, Unit.HOURS, 2, "第十三条"),
        (Clock.CONSULT, Unit.HOURS, 24, "第十二条第一项"),
        (Clock.SIGN, Unit.WORKING_DAYS, 1, "第十三条"),
        (Clock.RETURN, Unit.WORKING_DAYS, 2, "第十三条"),
        (Clock.HANDLING, Unit.WORKING_DAYS, 5, "第十四条"),
        (Clock.REWORK, Unit.WORKING_DAYS, 5, "第十七条"),
        (Clock.ARRIVAL, Unit.HOURS, 1, "第二十条"),
        (Clock.FOLLOW_UP, Unit.WORKING_DAYS, 2, "第十七条"),
        (Clock.APPEAL, Unit.WORKING_DAYS, 3, "第二十五条"),
    ])
    def test_it_states_each_clock_as_the_regulation_does(self, clock: Clock, unit: Unit, amount: int,
                                                         article: str) -> None:
        rule = RULES[clock]
        assert (rule.unit, rule.amount, rule.article) == (unit, amount, article)

    def test_it_covers_every_clock(self) -> None:
        assert set(RULES) == set(Clock)

    @pytest.mark.parametrize(("request_type", "is_complex", "statutory", "expected"), [
        ("consultation", False, None, (1, "第十四条第二项")),
        ("complaint", False, None, (5, "第十四条第三项")),
        ("help", False, None, (5, "第十四条第三项")),
        ("complaint", True, None, (10, "第十四条第三项")),
        ("consultation", True, 20, (20, "第十四条第四项")),
    ])
    def test_it_picks_the_handling_limit_statute_first_then_complexity_then_type(
            self, request_type: str, is_complex: bool, statutory: int | None, expected: tuple[int, str]) -> None:
        assert handling_working_days(request_type, is_complex=is_complex, statutory_days=statutory) == expected
