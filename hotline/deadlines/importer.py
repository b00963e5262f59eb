"""Importing a year's State Council holiday schedule from a plain text/CSV file (DESIGN §4).

Each November the State Council General Office publishes next year's 节假日安排. An administrator types it into a file,
one date per line, and imports it with `hotline calendar import FILE`:

    # 2027年节假日安排（格式示例）
    日期,类型,名称
    2027-01-01,休,元旦
    2027-02-07,班,春节调休

Type is 休 / 放假 / holiday for a day off, 班 / 上班 / workday for a worked weekend (调休). Blank lines and lines
starting with # are skipped; a header line is optional; full-width commas (，) are accepted. `parse_schedule` is
pure and reports every problem with its line number; `apply_schedule` writes a clean parse in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from hotline.deadlines import store
from hotline.deadlines.models import CalendarDay, DayKind, PublishedYear
from hotline.lib.errors import Conflict, InvalidInput

KIND_WORDS: dict[str, str] = {
    "休": DayKind.HOLIDAY, "放假": DayKind.HOLIDAY, "holiday": DayKind.HOLIDAY,
    "班": DayKind.WORKDAY, "上班": DayKind.WORKDAY, "workday": DayKind.WORKDAY,
}
HEADER_WORDS = frozenset({"date", "日期"})
MAX_NAME_CHARS = 50  # CalendarDay.name
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Entry:
    """One valid line of a schedule file."""

    line: int
    date: dt.date
    kind: str
    name: str


@dataclass(frozen=True)
class Problem:
    """An error or warning about one line (line 0: the file as a whole)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行：{self.message}" if self.line else self.message


@dataclass
class ParsedSchedule:
    """What a schedule file says, with every problem found; importable only when `errors` is empty."""

    year: int | None
    entries: list[Entry] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file can be imported."""
        return not self.errors and self.year is not None


@dataclass(frozen=True)
class ImportResult:
    """What an import changed (or, in a dry run, would change)."""

    year: int
    added: int
    changed: int
    removed: int
    unchanged: int
    dry_run: bool


def weekday_name(day: dt.date) -> str:
    """星期一 … 星期日."""
    return f"星期{WEEKDAYS[day.weekday()]}"


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip().replace("/", "-"))
    except ValueError:
        return None


def _read_line(number: int, fields: list[str], seen: dict[dt.date, int],
               result: ParsedSchedule) -> Entry | None:
    """Check one line's fields; record its problems and return the entry if it is valid."""
    cells = [cell.strip() for cell in fields]
    if len(cells) < 2 or len(cells) > 3:
        result.errors.append(Problem(number, "格式应为“日期,类型,名称”，例如 2027-01-01,休,元旦"))
        return None
    day = _parse_date(cells[0])
    kind = KIND_WORDS.get(cells[1].lower())
    name = cells[2] if len(cells) == 3 else ""
    if day is None:
        result.errors.append(Problem(number, f"日期“{cells[0]}”无效，应为 YYYY-MM-DD"))
    if kind is None:
        result.errors.append(Problem(number, f"未知类型“{cells[1]}”，应为 休 或 班（也可写 holiday / workday）"))
    if len(name) > MAX_NAME_CHARS:
        result.errors.append(Problem(number, f"名称不能超过{MAX_NAME_CHARS}字"))
    if day is None or kind is None or len(name) > MAX_NAME_CHARS:
        return None
    if day in seen:
        result.errors.append(Problem(number, f"{day} 与第{seen[day]}行重复"))
        return None
    seen[day] = number
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        # A make-up working day (调休上班) is always a Saturday or Sunday; a weekday is worked anyway.
        result.errors.append(Problem(number, f"{day} 是{weekday_name(day)}，工作日不能标为“班”（调休上班只在周末）"))
        return None
    if kind == DayKind.HOLIDAY and day.weekday() >= 5:
        result.warnings.append(Problem(number, f"{day} 是{weekday_name(day)}，周末本就休息，标为“休”不影响时限"))
    return Entry(number, day, kind, name)


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """Numbered CSV rows, skipping blank lines, comments and the optional header."""
    rows: list[tuple[int, list[str]]] = []
    lines = text.lstrip("\ufeff").replace("，", ",").splitlines()
    for number, fields in enumerate(csv.reader(lines), start=1):
        if not fields or not "".join(fields).strip() or fields[0].lstrip().startswith("#"):
            continue
        if not rows and fields[0].strip().lower() in HEADER_WORDS:
            continue
        rows.append((number, fields))
    return rows


def _check_years(result: ParsedSchedule, year: int | None) -> None:
    """Every date belongs to the schedule's year, or to the December before it (a New Year break that starts early)."""
    if not result.entries:
        result.errors.append(Problem(0, "文件中没有任何日期"))
        return
    result.year = year or max(entry.date.year for entry in result.entries)
    kept = []
    for entry in result.entries:
        if entry.date.year == result.year:
            kept.append(entry)
        elif entry.date.year == result.year - 1 and entry.date.month == 12:
            result.warnings.append(Problem(entry.line, f"{entry.date} 属于上一年，按{result.year}年通知一并导入"))
            kept.append(entry)
        else:
            result.errors.append(Problem(entry.line, f"{entry.date} 不属于{result.year}年的节假日安排"))
    result.entries = kept
    new_year = dt.date(result.year, 1, 1)
    if not any(entry.date == new_year and entry.kind == DayKind.HOLIDAY for entry in kept):
        result.warnings.append(Problem(0, f"未包含{result.year}年1月1日（元旦）放假，请核对是否完整"))


def parse_schedule(text: str, *, year: int | None = None) -> ParsedSchedule:
    """Read a schedule file's text; the year is `year` or else the latest year in the file."""
    result = ParsedSchedule(year=None)
    seen: dict[dt.date, int] = {}
    for number, fields in _rows(text):
        entry = _read_line(number, fields, seen, result)
        if entry is not None:
            result.entries.append(entry)
    _check_years(result, year)
    result.errors.sort(key=lambda problem: problem.line)
    result.warnings.sort(key=lambda problem: problem.line)
    if result.errors:
        result.entries = []
    return result


def apply_schedule(parsed: ParsedSchedule, *, source: str, replace: bool = False,
                   dry_run: bool = False) -> ImportResult:
    """Write a parsed year in one transaction: its dates replace the year's rows and the year is marked published."""
    if not parsed.ok or parsed.year is None:
        raise InvalidInput("节假日安排文件有错误，未导入", code="calendar_file_invalid")
    year = parsed.year
    with transaction.atomic():
        published = PublishedYear.objects.select_for_update().filter(year=year).exists()
        if published and not replace:
            raise Conflict(f"{year}年节假日安排已发布；如需更正，请使用 --replace 整年替换",
                           code="calendar_year_published")
        wanted = {entry.date: entry for entry in parsed.entries}
        existing = {row.date: row for row in CalendarDay.objects.filter(date__year=year)}
        existing.update({row.date: row for row in CalendarDay.objects.filter(date__in=list(wanted))})
        removed = [row for day, row in existing.items() if day not in wanted]
        changed = [row for day, row in existing.items() if day in wanted and
                   (row.kind, row.name) != (wanted[day].kind, wanted[day].name)]
        added = [entry for day, entry in wanted.items() if day not in existing]
        result = ImportResult(year=year, added=len(added), changed=len(changed), removed=len(removed),
                              unchanged=len(wanted) - len(added) - len(changed), dry_run=dry_run)
        if dry_run:
            return result
        CalendarDay.objects.filter(pk__in=[row.pk for row in removed]).delete()
        for row in changed:
            row.kind, row.name = wanted[row.date].kind, wanted[row.date].name
            row.save(update_fields=["kind", "name", "updated_at"])
        CalendarDay.objects.bulk_create([CalendarDay(date=e.date, kind=e.kind, name=e.name) for e in added])
        PublishedYear.objects.update_or_create(year=year, defaults={"source": source[:200]})
    store.invalidate()  # bulk_create sends no post_save
    return result
