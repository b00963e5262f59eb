"""Units' 24-hour duty rosters (Art. 20, 27): submitted monthly, covering every minute of the month, due on the 25th
of the month before (a setting), and "on duty now" for the desk and the dispatch form."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from hotline.deadlines.calendar import LOCAL_TZ
from hotline.directory.choices import Role
from hotline.directory.models import DutyRoster, DutyRosterEntry, DutyRosterRefusal, Staff, Unit
from hotline.lib.errors import Conflict, Forbidden, InvalidInput
from hotline.lib.privacy import is_valid_phone

MAX_SHIFTS = 500  # a month of hourly shifts for several people; more is a mistake, not a roster
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Shift:
    """One submitted line of a roster: from, to (aware datetimes), who, and their phone."""

    start: dt.datetime
    end: dt.datetime
    person: str
    phone: str


def parse_month(raw: str) -> dt.date:
    """`2026-12` as the first day of that month; anything else is bad input."""
    match = _MONTH.match((raw or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidInput("月份须为 YYYY-MM，如 2026-12", field="month", code="invalid_month")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """00:00 of the first day and 00:00 of the next month's first day, Beijing time."""
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (dt.datetime.combine(month, dt.time(0), tzinfo=LOCAL_TZ),
            dt.datetime.combine(nxt, dt.time(0), tzinfo=LOCAL_TZ))


def due_at(month: dt.date) -> dt.datetime:
    """24:00 of the due day in the month before (WAVE2 [P]: the 25th; `HOTLINE_ROSTER_DUE_DAY`)."""
    previous = month - dt.timedelta(days=1)
    day = min(settings.HOTLINE_ROSTER_DUE_DAY, previous.day)
    return dt.datetime.combine(previous.replace(day=day) + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL_TZ)


def gaps(shifts: Sequence[Shift], month: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The intervals of the month no shift covers (Art. 20: 24×7); overlapping shifts are allowed."""
    start, end = month_bounds(month)
    cursor, found = start, []
    for shift in sorted(shifts, key=lambda s: s.start):
        if shift.start > cursor and cursor < end:
            found.append((cursor, min(shift.start, end)))
        cursor = max(cursor, shift.end)
    if cursor < end:
        found.append((cursor, end))
    return found


def _describe_gap(gap: tuple[dt.datetime, dt.datetime]) -> str:
    a, b = (moment.astimezone(LOCAL_TZ) for moment in gap)
    if b.date() == a.date() or (b.time() == dt.time(0) and b.date() == a.date() + dt.timedelta(days=1)):
        end_text = "24:00" if b.time() == dt.time(0) else f"{b:%H:%M}"
        return f"{a:%Y年%m月%d日} {a:%H:%M} 至 {end_text}"
    return f"{a:%Y年%m月%d日 %H:%M} 至 {b:%Y年%m月%d日 %H:%M}"


def _check_shifts(shifts: Sequence[Shift], month: dt.date) -> list[Shift]:
    if not shifts:
        raise InvalidInput("值班表不能为空", field="entries", code="required")
    if len(shifts) > MAX_SHIFTS:
        raise InvalidInput(f"值班表最多 {MAX_SHIFTS} 个班次", field="entries", code="too_many_entries")
    start, end = month_bounds(month)
    for n, shift in enumerate(shifts, start=1):
        if shift.start.tzinfo is None or shift.end.tzinfo is None:
            raise InvalidInput(f"第{n}个班次的时间须带时区偏移，如 +08:00", field="entries", code="naive_datetime")
        if shift.end <= shift.start:
            raise InvalidInput(f"第{n}个班次的结束时间须晚于开始时间", field="entries", code="invalid_shift")
        if shift.end <= start or shift.start >= end:
            raise InvalidInput(f"第{n}个班次不在 {month:%Y年%m月} 内", field="entries", code="shift_outside_month")
        if not shift.person.strip():
            raise InvalidInput(f"第{n}个班次须填写值班人", field="entries", code="required")
        if not is_valid_phone(shift.phone):
            raise InvalidInput(f"第{n}个班次的值班电话不正确", field="entries", code="invalid_phone")
    holes = gaps(shifts, month)
    if holes:
        more = f"等 {len(holes)} 处" if len(holes) > 1 else ""
        raise InvalidInput(f"值班表未做到 24 小时全覆盖：{_describe_gap(holes[0])} 无人值班{more}",
                           field="entries", code="roster_gap",
                           gaps=[[a.isoformat(), b.isoformat()] for a, b in holes])
    return list(shifts)


def may_submit(user: Staff, unit: Unit) -> bool:
    """The unit's own staff, or the hotline's manager on its behalf."""
    return user.role == Role.MANAGER or (not user.is_hotline and user.unit_id == unit.pk)


def submit(*, by: Staff, unit: Unit, month: dt.date, shifts: Sequence[Shift]) -> DutyRoster:
    """Submit (or correct) a 24-hour unit's roster for a month; refused with the first gap named when any minute is
    uncovered (Art. 20); recorded late when first submitted after the due time (Art. 27)."""
    if not may_submit(by, unit):
        raise Forbidden("只能报送本单位的值班表", code="not_own_unit")
    if not unit.responds_24h:
        raise InvalidInput(f"{unit.name}不是24小时响应单位，无需报送值班表", field="unit", code="not_24h_unit")
    now = timezone.now()
    try:
        shifts = _check_shifts(shifts, month)
    except InvalidInput as exc:
        if exc.code == "roster_gap":  # kept for the assessment (Art. 27): a refused roster was not provided
            DutyRosterRefusal.objects.create(unit=unit, month=month, at=now, by=by, reason=exc.message)
        raise
    try:
        with transaction.atomic():
            roster = DutyRoster.objects.select_for_update().filter(unit=unit, month=month).first()
            if roster is None:
                due = due_at(month)
                roster = DutyRoster.objects.create(unit=unit, month=month, due_at=due, submitted_at=now,
                                                   updated_at=now, is_late=now >= due, submitted_by=by)
            else:
                DutyRoster.objects.filter(pk=roster.pk).update(updated_at=now, submitted_by=by)
                roster.entries.all().delete()
            for shift in shifts:
                DutyRosterEntry.objects.create(roster=roster, starts_at=shift.start, ends_at=shift.end,
                                               person=shift.person.strip(), phone=shift.phone.strip())
    except IntegrityError as exc:
        # Two first submissions at once: one wins (STYLE 7: state conflicts are 409).
        raise Conflict("该单位本月值班表正由他人报送，请刷新后重试", code="roster_conflict") from exc
    return roster


def on_duty(unit: Unit, at: dt.datetime | None = None) -> list[DutyRosterEntry]:
    """Who is on duty for `unit` at `at` (now by default), from its roster."""
    at = at or timezone.now()
    return list(DutyRosterEntry.objects.filter(roster__unit=unit, starts_at__lte=at, ends_at__gt=at)
                .order_by("starts_at", "pk"))
