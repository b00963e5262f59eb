"""Reading a State Council schedule file: every problem with its line number, nothing half-read (DESIGN §4).

The 2027 lines below are made up to exercise the format; they are not the real 2027 schedule.
"""

from __future__ import annotations

import datetime as dt

from hotline.deadlines.importer import parse_schedule
from hotline.deadlines.models import DayKind


def messages(problems: list) -> list[str]:
    return [str(problem) for problem in problems]


class TestAValidFile:
    def test_it_reads_dates_kinds_and_names_skipping_header_comments_and_blanks(self) -> None:
        parsed = parse_schedule("\ufeff# 格式示例\n日期,类型,名称\n\n2027-01-01,休,元旦\n2027-02-07,班,春节调休\n")
        assert parsed.ok
        assert parsed.year == 2027
        assert [(e.line, e.date, e.kind, e.name) for e in parsed.entries] == [
            (4, dt.date(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
            (5, dt.date(2027, 2, 7), DayKind.WORKDAY, "春节调休"),
        ]

    def test_it_accepts_english_kinds_full_width_commas_and_no_name(self) -> None:
        parsed = parse_schedule("2027-01-01,holiday,元旦\n2027-02-07，Workday，春节调休\n2027-02-08,放假\n")
        assert parsed.ok
        assert [e.kind for e in parsed.entries] == [DayKind.HOLIDAY, DayKind.WORKDAY, DayKind.HOLIDAY]
        assert parsed.entries[2].name == ""

    def test_it_warns_about_a_weekend_marked_as_a_holiday_but_imports_it(self) -> None:
        parsed = parse_schedule("2027-01-01,休,元旦\n2027-01-02,休,元旦\n")
        assert parsed.ok
        assert messages(parsed.warnings) == ["第2行：2027-01-02 是星期六，周末本就休息，标为“休”不影响时限"]

    def test_it_takes_a_new_year_break_starting_in_december_with_a_warning(self) -> None:
        parsed = parse_schedule("2026-12-31,休,元旦\n2027-01-01,休,元旦\n")
        assert parsed.ok
        assert parsed.year == 2027
        assert messages(parsed.warnings) == ["第1行：2026-12-31 属于上一年，按2027年通知一并导入"]

    def test_it_warns_when_new_year_s_day_is_missing(self) -> None:
        parsed = parse_schedule("2027-02-07,班,春节调休\n")
        assert parsed.ok
        assert messages(parsed.warnings) == ["未包含2027年1月1日（元旦）放假，请核对是否完整"]


class TestAFileWithMistakes:
    def test_it_reports_every_bad_line_by_number_and_keeps_nothing(self) -> None:
        text = "\n".join([
            "2027-01-01,休,元旦",  # 1 fine
            "2027-02-30,休,春节",  # 2 no such date
            "2027-02-08,班,春节调休",  # 3 a Monday
            "2027-02-09,rest,春节",  # 4 unknown kind
            "2027-01-01,休,元旦",  # 5 duplicate of line 1
            "2025-05-01,休,劳动节",  # 6 another year
            "2027-03-01",  # 7 no kind
        ])
        parsed = parse_schedule(text)
        assert not parsed.ok
        assert parsed.entries == []
        assert messages(parsed.errors) == [
            "第2行：日期“2027-02-30”无效，应为 YYYY-MM-DD",
            "第3行：2027-02-08 是星期一，工作日不能标为“班”（调休上班只在周末）",
            "第4行：未知类型“rest”，应为 休 或 班（也可写 holiday / workday）",
            "第5行：2027-01-01 与第1行重复",
            "第6行：2025-05-01 不属于2027年的节假日安排",
            "第7行：格式应为“日期,类型,名称”，例如 2027-01-01,休,元旦",
        ]

    def test_it_rejects_an_empty_file(self) -> None:
        parsed = parse_schedule("# 只有注释\n\n")
        assert not parsed.ok
        assert messages(parsed.errors) == ["文件中没有任何日期"]

    def test_it_checks_against_the_year_asked_for(self) -> None:
        parsed = parse_schedule("2027-01-01,休,元旦\n", year=2028)
        assert messages(parsed.errors) == ["第1行：2027-01-01 不属于2028年的节假日安排"]
