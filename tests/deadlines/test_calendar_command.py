"""`hotline calendar import | show | check`: the yearly upkeep of the calendar (DESIGN §4).

The 2027 files here are made up to exercise the command; they are not the real 2027 schedule.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import TestCase

from hotline.deadlines.models import CalendarDay, DayKind, PublishedYear
from hotline.deadlines.store import load_calendar
from tests.base import local

EXAMPLE_2027 = "日期,类型,名称\n2027-01-01,休,元旦\n2027-02-06,班,春节调休\n2027-02-08,休,春节\n"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("calendar", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    request.cls.folder = tmp_path


@pytest.mark.usefixtures("folder")
@time_machine.travel(local(2026, 11, 23, 10), tick=False)
class TestImport(TestCase):
    folder: Path

    def write(self, text: str, name: str = "2027.csv", encoding: str = "utf-8") -> str:
        path = self.folder / name
        path.write_bytes(text.encode(encoding))
        return str(path)

    def test_it_imports_the_year_and_marks_it_published(self) -> None:
        out, _ = run("import", self.write(EXAMPLE_2027), "--source", "国办发明电（格式示例）")
        assert "2027年 已导入：新增 3 天，修改 0 天，删除 0 天，不变 0 天；该年度已标记为已发布" in out
        assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", "kind", "name")) == [
            (dt.date(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
            (dt.date(2027, 2, 6), DayKind.WORKDAY, "春节调休"),
            (dt.date(2027, 2, 8), DayKind.HOLIDAY, "春节"),
        ]
        assert PublishedYear.objects.get(year=2027).source == "国办发明电（格式示例）"

    def test_it_changes_the_deadlines_that_reach_the_new_year(self) -> None:
        start = local(2026, 12, 28, 10)
        assert load_calendar().add_working_days(start, 5).at == local(2027, 1, 5)
        run("import", self.write(EXAMPLE_2027))
        # 12.29, 12.30, 12.31, 1.1 is now off, Mon 1.4, Tue 1.5.
        due = load_calendar().add_working_days(start, 5)
        assert (due.at, due.estimated) == (local(2027, 1, 6), False)

    def test_it_reads_a_file_saved_as_gbk_by_excel(self) -> None:
        run("import", self.write(EXAMPLE_2027, encoding="gb18030"))
        assert CalendarDay.objects.get(date=dt.date(2027, 2, 8)).name == "春节"

    def test_it_writes_nothing_in_a_dry_run(self) -> None:
        out, _ = run("import", self.write(EXAMPLE_2027), "--dry-run")
        assert "2027年 试运行，未写入：将新增 3 天" in out
        assert not CalendarDay.objects.filter(date__year=2027).exists()
        assert not PublishedYear.objects.filter(year=2027).exists()

    def test_it_writes_nothing_when_any_line_is_wrong(self) -> None:
        path = self.write(EXAMPLE_2027 + "2027-02-09,班,春节调休\n2027-02-31,休,春节\n")
        err = StringIO()
        with pytest.raises(CommandError, match="导入失败：2 处错误，未写入任何数据"):
            call_command("calendar", "import", path, stdout=StringIO(), stderr=err)
        assert err.getvalue().splitlines() == [
            "错误 第5行：2027-02-09 是星期二，工作日不能标为“班”（调休上班只在周末）",
            "错误 第6行：日期“2027-02-31”无效，应为 YYYY-MM-DD",
        ]
        assert not CalendarDay.objects.filter(date__year=2027).exists()

    def test_it_prints_warnings_and_still_imports(self) -> None:
        out, _ = run("import", self.write(EXAMPLE_2027 + "2027-02-13,休,春节\n"))
        assert "提醒 第5行：2027-02-13 是星期六，周末本就休息，标为“休”不影响时限" in out
        assert CalendarDay.objects.filter(date=dt.date(2027, 2, 13)).exists()

    def test_it_refuses_to_overwrite_a_published_year_without_replace(self) -> None:
        with pytest.raises(CommandError, match="2026年节假日安排已发布"):
            run("import", self.write("2026-01-01,休,元旦\n", name="2026.csv"))
        assert CalendarDay.objects.filter(date__year=2026).count() > 1

    def test_it_replaces_a_whole_year_with_replace(self) -> None:
        run("import", self.write(EXAMPLE_2027))
        corrected = "2027-01-01,休,元旦\n2027-02-06,班,春节调休\n2027-02-09,休,春节\n"
        out, _ = run("import", self.write(corrected, name="fix.csv"), "--replace")
        assert "新增 1 天，修改 0 天，删除 1 天，不变 2 天" in out
        assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == [
            dt.date(2027, 1, 1), dt.date(2027, 2, 6), dt.date(2027, 2, 9)]

    def test_it_reports_a_missing_file(self) -> None:
        with pytest.raises(CommandError, match="无法读取文件"):
            run("import", str(self.folder / "missing.csv"))


@time_machine.travel(local(2026, 11, 23, 10), tick=False)
class TestCheckAndShow(TestCase):
    def test_it_lists_published_years_and_warns_that_next_year_is_missing(self) -> None:
        out, _ = run("check")
        assert out.splitlines()[0] == "已发布年度：2004–2026"
        assert "下一年度 2027 的节假日安排未发布" in out

    def test_it_is_quiet_once_next_year_is_published(self) -> None:
        PublishedYear.objects.create(year=2027)
        CalendarDay.objects.create(date=dt.date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
        out, _ = run("check")
        assert "日历正常：当前年度和下一年度均已发布" in out

    def test_it_fails_in_strict_mode_when_next_year_is_missing(self) -> None:
        with pytest.raises(CommandError, match="日历检查未通过：1 项提醒"):
            run("check", "--strict")

    def test_it_fails_when_the_current_year_is_missing(self) -> None:
        with time_machine.travel(local(2028, 3, 1, 9), tick=False), pytest.raises(CommandError):
            run("check")

    def test_it_shows_a_year_with_weekdays_and_the_count_of_working_days(self) -> None:
        out, _ = run("show", "2026")
        lines = out.splitlines()
        assert lines[0] == "2026年：已发布（依据：国务院办公厅节假日安排（chinesecalendar））"
        assert "2026-02-14  星期六  班  春节调休" in lines
        assert "2026-10-07  星期三  休  国庆节" in lines
        # 261 weekdays in 2026, less 19 weekday holidays, plus 6 worked weekends.
        assert lines[-1] == "全年工作日 248 天（工作日放假 19 天，周末调休上班 6 天）"

    def test_it_shows_an_unpublished_year_as_estimated(self) -> None:
        out, _ = run("show", "2027")
        assert out.splitlines()[0] == "2027年：未发布，涉及该年的时限按周末推算并标记为预估"
