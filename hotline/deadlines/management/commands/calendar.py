"""`hotline calendar import FILE | show YEAR | check`: keep the working-day calendar current (DESIGN §4).

Each November the State Council publishes next year's holidays and make-up working days; until the year is imported,
deadlines reaching it fall back to weekends and are flagged as estimated.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hotline.deadlines.importer import apply_schedule, parse_schedule, weekday_name
from hotline.deadlines.models import CalendarDay, DayKind, PublishedYear
from hotline.deadlines.store import load_calendar
from hotline.lib.errors import DomainError


def year_ranges(years: list[int]) -> str:
    """[2004, 2005, 2006, 2010] -> '2004–2006、2010'."""
    parts: list[str] = []
    for year in sorted(years):
        if parts and year == int(parts[-1].split("–")[-1]) + 1:
            parts[-1] = f"{parts[-1].split('–')[0]}–{year}"
        else:
            parts.append(str(year))
    return "、".join(parts) or "无"


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030 as saved by Excel on Chinese Windows."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


class Command(BaseCommand):
    help = "工作日日历：导入国务院节假日安排、查看某年安排、检查已发布年度"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, parser_class=argparse.ArgumentParser)
        imp = sub.add_parser("import", help="从文本/CSV 文件导入一年的节假日安排，每行“日期,类型,名称”")
        imp.add_argument("file", help="例如 2027-01-01,休,元旦 / 2027-02-07,班,春节调休")
        imp.add_argument("--year", type=int, help="安排所属年度（默认取文件中最晚的年份）")
        imp.add_argument("--source", default="", help="依据，例如国务院办公厅通知文号")
        imp.add_argument("--replace", action="store_true", help="该年度已发布时整年替换")
        imp.add_argument("--dry-run", action="store_true", help="只检查并报告将要进行的修改，不写入")
        show = sub.add_parser("show", help="列出某年的节假日与调休")
        show.add_argument("year", type=int)
        check = sub.add_parser("check", help="检查哪些年度已发布，当前或下一年度未发布时提醒")
        check.add_argument("--strict", action="store_true", help="有任何提醒时以非零状态退出（用于监控）")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self._import(Path(options["file"]), year=options["year"], source=options["source"],
                         replace=options["replace"], dry_run=options["dry_run"])
        elif action == "show":
            self._show(options["year"])
        else:
            self._check(strict=options["strict"])

    def _import(self, path: Path, *, year: int | None, source: str, replace: bool, dry_run: bool) -> None:
        try:
            text = read_text(path)
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from exc
        parsed = parse_schedule(text, year=year)
        for warning in parsed.warnings:
            self.stdout.write(self.style.WARNING(f"提醒 {warning}"))
        for error in parsed.errors:
            self.stderr.write(f"错误 {error}")
        if not parsed.ok:
            raise CommandError(f"导入失败：{len(parsed.errors)} 处错误，未写入任何数据")
        try:
            result = apply_schedule(parsed, source=source or f"国务院办公厅节假日安排（{path.name}）",
                                    replace=replace, dry_run=dry_run)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        verb = "试运行，未写入：将" if dry_run else "已导入："
        self.stdout.write(self.style.SUCCESS(
            f"{result.year}年 {verb}新增 {result.added} 天，修改 {result.changed} 天，删除 {result.removed} 天，"
            f"不变 {result.unchanged} 天{'' if dry_run else '；该年度已标记为已发布'}"))

    def _show(self, year: int) -> None:
        published = PublishedYear.objects.filter(year=year).first()
        if published:
            self.stdout.write(f"{year}年：已发布（依据：{published.source or '未填写'}）")
        else:
            self.stdout.write(self.style.WARNING(f"{year}年：未发布，涉及该年的时限按周末推算并标记为预估"))
        for row in CalendarDay.objects.filter(date__year=year):
            self.stdout.write(f"{row.date}  {weekday_name(row.date)}  {row.get_kind_display()}  {row.name}")
        calendar = load_calendar()
        days = [dt.date(year, 1, 1) + dt.timedelta(days=n) for n in range(366)]
        days = [day for day in days if day.year == year]
        worked = sum(calendar.is_working_day(day) for day in days)
        rest = sum(1 for day in days if day in calendar.holidays and day.weekday() < 5)
        makeup = sum(1 for day in days if day in calendar.workdays and day.weekday() >= 5)
        self.stdout.write(f"全年工作日 {worked} 天（工作日放假 {rest} 天，周末调休上班 {makeup} 天）")

    def _check(self, *, strict: bool) -> None:
        years = list(PublishedYear.objects.values_list("year", flat=True))
        self.stdout.write(f"已发布年度：{year_ranges(years)}")
        today = timezone.localdate()
        problems: list[str] = []
        if today.year not in years:
            problems.append(f"当前年度 {today.year} 的节假日安排未发布，所有时限均按周末推算并标记为预估，请尽快导入")
        if today.year + 1 not in years:
            problems.append(f"下一年度 {today.year + 1} 的节假日安排未发布（国务院办公厅通常每年11月前后发布），"
                            f"跨入该年的时限将按周末推算并标记为预估；发布后请用 hotline calendar import 导入")
        empty = [y for y in years if not CalendarDay.objects.filter(date__year=y, kind=DayKind.HOLIDAY).exists()]
        if empty:
            problems.append(f"已发布年度 {year_ranges(empty)} 没有任何放假日期，请核对")
        for problem in problems:
            self.stdout.write(self.style.WARNING(f"提醒：{problem}"))
        if not problems:
            self.stdout.write(self.style.SUCCESS("日历正常：当前年度和下一年度均已发布"))
        if today.year not in years or (strict and problems):
            raise CommandError(f"日历检查未通过：{len(problems)} 项提醒")
