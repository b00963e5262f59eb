"""The deadlines panel of the ticket page: every clock with its due time, whether it runs, and its rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Value, When

from hotline.deadlines.policy import COMPLEX_WORKING_DAYS, HANDLING_WORKING_DAYS, RULES, Clock, ClockRule
from hotline.tickets.choices import Status
from hotline.tickets.models import Ticket
from hotline.tickets.selectors import SWEPT_CLOCK_COLUMNS, running
from hotline.web.timefmt import Countdown, countdown, format_due


@dataclass(frozen=True)
class ClockRow:
    """One line of the deadlines table."""

    label: str
    clock: Clock
    due: dt.datetime
    due_text: str
    rule: str
    article: str
    running: bool
    countdown: Countdown | None
    stopped_note: str


# (label, column, rule, column of the moment that stops the clock). The desk-return window has no row in
# policy.RULES: it is "the signing day" itself (Art. 13), so it carries its own label and article here.
_DESK_RETURN = ClockRule(Clock.RETURN, "当日退回时限", RULES[Clock.RETURN].unit, 0, "第十三条", "签收",
                         dt.timedelta(hours=4))
_CLOCKS: tuple[tuple[str, str, ClockRule, str], ...] = (
    ("转派", "dispatch_due", RULES[Clock.DISPATCH], "dispatched_at"),
    ("咨询答复", "consult_due", RULES[Clock.CONSULT], ""),
    ("签收", "sign_due", RULES[Clock.SIGN], "signed_at"),
    ("当日退回", "desk_return_due", _DESK_RETURN, ""),
    ("现场核实退回", "return_due", RULES[Clock.RETURN], ""),
    ("办理", "handling_due", RULES[Clock.HANDLING], "replied_at"),
    ("重办", "rework_due", RULES[Clock.REWORK], "replied_at"),
    ("到场处置", "arrival_due", RULES[Clock.ARRIVAL], "arrived_at"),
    ("即时响应", "response_due", RULES[Clock.RESPONSE], "signed_at"),
    ("回访", "follow_up_due", RULES[Clock.FOLLOW_UP], "closed_at"),
)


def _running_flags(ticket: Ticket) -> dict[str, bool]:
    """Which clocks run now, asked of the database with the sweeps' own definition (one query)."""
    annotations = {
        f"run_{clock.value}": Case(When(running(clock), then=Value(True)), default=Value(False),
                                   output_field=BooleanField())
        for clock in SWEPT_CLOCK_COLUMNS
    }
    row = Ticket.objects.filter(pk=ticket.pk).annotate(**annotations).values(*annotations).first() or {}
    return {column: bool(row.get(f"run_{clock.value}"))
            for clock, (column, _s, _e) in SWEPT_CLOCK_COLUMNS.items()}


def _return_window_open(ticket: Ticket, column: str, now: dt.datetime) -> bool:
    due = getattr(ticket, column)
    statuses = (Status.DISPATCHED, Status.IN_PROGRESS) if column == "desk_return_due" else (Status.IN_PROGRESS,)
    return ticket.status in statuses and not ticket.rework_count and due is not None and now < due


def clock_rows(ticket: Ticket, now: dt.datetime) -> list[ClockRow]:
    """The ticket's clocks that have a due time, in the order they start."""
    flags = _running_flags(ticket)
    rows = []
    for label, column, rule, stop_column in _CLOCKS:
        due = getattr(ticket, column)
        if due is None:
            continue
        is_running = flags.get(column, False) if column in flags else _return_window_open(ticket, column, now)
        stopped_at = getattr(ticket, stop_column) if stop_column else None
        note = "已停止"
        if stopped_at is not None:
            note = "按时完成" if stopped_at < due else "超时完成"
        rows.append(ClockRow(
            label=label, clock=rule.clock, due=due, due_text=format_due(due), rule=rule.label, article=rule.article,
            running=is_running, countdown=countdown(rule.clock, due, now=now) if is_running else None,
            stopped_note=note,
        ))
    return rows


def rules_table() -> list[dict[str, str]]:
    """policy.RULES as the side table of the ticket page: what each clock measures, how long, and why."""
    rows = []
    for rule in RULES.values():
        unit = {"minutes": "分钟", "hours": "小时"}.get(rule.unit.value, "个工作日")
        length = f"{rule.amount}{unit}"
        if rule.clock == Clock.HANDLING:
            # Art. 14: the length depends on the request type and complexity, and a statutory limit overrides.
            consultation = HANDLING_WORKING_DAYS["consultation"]
            length = f"咨询{consultation}、一般{rule.amount}、复杂{COMPLEX_WORKING_DAYS}个工作日"
        rows.append({"label": rule.label, "length": length, "starts_on": rule.starts_on,
                     "article": rule.article})
    return rows
