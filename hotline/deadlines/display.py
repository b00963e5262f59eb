"""Describing a clock for people: its label and article, the due time as the law states it, and a countdown.

Pure functions for the web screens and the API; no database. A deadline is kept when the act happens strictly
before `due`, so at `due` itself the clock is overdue (calendar.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from hotline.deadlines.calendar import LOCAL_TZ, Due
from hotline.deadlines.policy import RULES, Clock


class State(StrEnum):
    """How urgent a running clock is; the screens colour by it."""

    OK = "ok"
    WARNING = "warning"
    OVERDUE = "overdue"


STATE_LABELS: dict[State, str] = {State.OK: "正常", State.WARNING: "即将到期", State.OVERDUE: "已超时"}
ESTIMATED_NOTE = "预估：所涉年度的节假日安排尚未发布，按周末推算"


@dataclass(frozen=True)
class ClockView:
    """Everything a screen shows about one running clock."""

    clock: Clock
    label: str
    article: str
    due_text: str
    countdown: str
    state: State
    state_label: str
    estimated: bool
    note: str


def format_due(due: dt.datetime) -> str:
    """Local date and time; midnight is shown as 24:00 of the day before, the legal end of that day."""
    local = due.astimezone(LOCAL_TZ)
    if local.time() == dt.time(0, 0):
        day = local.date() - dt.timedelta(days=1)
        return f"{day.year}年{day.month}月{day.day}日 24:00"
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def format_span(span: dt.timedelta) -> str:
    """A positive duration in its two largest units, rounded down: '1 天 3 小时', '2 小时 5 分钟', '45 分钟'."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} 天 {hours} 小时" if hours else f"{days} 天"
    if hours:
        return f"{hours} 小时 {minutes} 分钟" if minutes else f"{hours} 小时"
    return f"{minutes} 分钟" if minutes else "不足 1 分钟"


def countdown(due: dt.datetime, now: dt.datetime) -> str:
    """'剩余 1 天 3 小时' before the deadline, '已超时 2 小时' from the deadline on."""
    if now < due:
        return f"剩余 {format_span(due - now)}"
    return f"已超时 {format_span(now - due)}"


def state_of(clock: Clock | str, due: dt.datetime, now: dt.datetime) -> State:
    """Overdue from `due` on; a warning within the clock's warning period (policy.RULES[clock].warn_before)."""
    if now >= due:
        return State.OVERDUE
    if due - now <= RULES[Clock(clock)].warn_before:
        return State.WARNING
    return State.OK


def describe(clock: Clock | str, due: dt.datetime | Due, now: dt.datetime, *, estimated: bool = False) -> ClockView:
    """A running clock for display; `due` is a stored column (pass the ticket's due_estimated) or a computed Due."""
    if isinstance(due, Due):
        estimated = estimated or due.estimated
        due = due.at
    if due.tzinfo is None or now.tzinfo is None:
        raise ValueError("due and now must be timezone-aware")
    rule = RULES[Clock(clock)]
    state = state_of(rule.clock, due, now)
    return ClockView(
        clock=rule.clock, label=rule.label, article=rule.article, due_text=format_due(due),
        countdown=countdown(due, now), state=state, state_label=STATE_LABELS[state], estimated=estimated,
        note=ESTIMATED_NOTE if estimated else "",
    )
