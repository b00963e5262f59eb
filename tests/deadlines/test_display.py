"""Describing a clock for the screens: 24:00 of the legal day, countdowns in Chinese, ok/warning/overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.deadlines.calendar import LOCAL_TZ, Due
from hotline.deadlines.display import ESTIMATED_NOTE, State, describe, format_due


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


HANDLING_DUE = local(2026, 3, 1)  # signed on the make-up Saturday 2.14, five working days


class TestFormatDue:
    def test_it_shows_midnight_as_24_00_of_the_day_before(self) -> None:
        assert format_due(HANDLING_DUE) == "2026年2月28日 24:00"

    def test_it_shows_a_utc_value_in_beijing_time(self) -> None:
        assert format_due(dt.datetime(2026, 2, 28, 16, 0, tzinfo=dt.UTC)) == "2026年2月28日 24:00"
        assert format_due(dt.datetime(2026, 2, 28, 2, 5, tzinfo=dt.UTC)) == "2026年2月28日 10:05"

    def test_it_shows_new_year_midnight_as_31_december(self) -> None:
        assert format_due(local(2027, 1, 1)) == "2026年12月31日 24:00"


class TestDescribe:
    @pytest.mark.parametrize(("now", "countdown", "state"), [
        (local(2026, 2, 26, 21), "剩余 2 天 3 小时", State.OK),
        (local(2026, 2, 27, 23, 59), "剩余 1 天", State.OK),  # 24 h 1 min left; the warning starts at 24 h
        (local(2026, 2, 28, 0, 0), "剩余 1 天", State.WARNING),
        (local(2026, 2, 28, 20, 30), "剩余 3 小时 30 分钟", State.WARNING),
        (local(2026, 2, 28, 23, 59, ), "剩余 1 分钟", State.WARNING),
        (local(2026, 3, 1, 0, 0), "已超时 不足 1 分钟", State.OVERDUE),  # at 24:00 the deadline has passed
        (local(2026, 3, 1, 2, 0), "已超时 2 小时", State.OVERDUE),
        (local(2026, 3, 2, 3, 0), "已超时 1 天 3 小时", State.OVERDUE),
    ])
    def test_it_counts_down_the_handling_clock(self, now: dt.datetime, countdown: str, state: State) -> None:
        view = describe("handling", HANDLING_DUE, now)
        assert (view.countdown, view.state) == (countdown, state)

    def test_it_names_the_clock_and_its_article(self) -> None:
        view = describe("handling", HANDLING_DUE, local(2026, 2, 20))
        assert (view.label, view.article, view.due_text) == ("办理时限", "第十四条", "2026年2月28日 24:00")
        assert view.state_label == "正常"

    def test_it_warns_thirty_minutes_before_the_dispatch_deadline(self) -> None:
        due = local(2026, 2, 16, 10)
        assert describe("dispatch", due, local(2026, 2, 16, 9, 29)).state == State.OK
        warning = describe("dispatch", due, local(2026, 2, 16, 9, 30))
        assert (warning.state, warning.countdown, warning.state_label) == (State.WARNING, "剩余 30 分钟", "即将到期")

    def test_it_carries_the_estimated_flag_of_a_computed_due(self) -> None:
        view = describe("handling", Due(at=local(2027, 1, 5), estimated=True, unpublished_years=(2027,)),
                        local(2026, 12, 28, 10))
        assert view.estimated is True
        assert view.note == ESTIMATED_NOTE
        assert view.countdown == "剩余 7 天 14 小时"

    def test_it_takes_the_stored_flag_beside_a_stored_column(self) -> None:
        assert describe("sign", local(2027, 1, 2), local(2026, 12, 31, 10), estimated=True).estimated is True
        assert describe("sign", local(2026, 2, 15), local(2026, 2, 13, 15)).note == ""

    def test_it_rejects_naive_times(self) -> None:
        with pytest.raises(ValueError):
            describe("sign", dt.datetime(2026, 2, 15), local(2026, 2, 13))  # noqa: DTZ001
