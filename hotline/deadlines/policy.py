"""The clock rules in one table: what each clock measures, how long it runs, and the article it comes from (STYLE 5).

The ticket page shows this table beside each deadline; the workflow reads lengths from here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings

from hotline.deadlines.calendar import Due, WorkCalendar


class Clock(StrEnum):
    """Every stored deadline column of a ticket is named after one of these clocks."""

    DISPATCH = "dispatch"
    CONSULT = "consult"
    SIGN = "sign"
    RETURN = "return"
    HANDLING = "handling"
    REWORK = "rework"
    ARRIVAL = "arrival"
    FOLLOW_UP = "follow_up"
    APPEAL = "appeal"
    RESPONSE = "response"


class Unit(StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    WORKING_DAYS = "working_days"


@dataclass(frozen=True)
class ClockRule:
    """One row of the table: label, length, article, what starts it and how early to warn."""

    clock: Clock
    label: str
    unit: Unit
    amount: int
    article: str
    starts_on: str
    warn_before: dt.timedelta


RULES: dict[Clock, ClockRule] = {
    Clock.DISPATCH: ClockRule(Clock.DISPATCH, "转派时限", Unit.HOURS, 2, "第十三条", "受理",
                              dt.timedelta(minutes=30)),
    Clock.CONSULT: ClockRule(Clock.CONSULT, "咨询答复时限", Unit.HOURS, 24, "第十二条第一项", "咨询相关单位",
                             dt.timedelta(hours=4)),
    Clock.SIGN: ClockRule(Clock.SIGN, "签收时限", Unit.WORKING_DAYS, 1, "第十三条", "转派", dt.timedelta(hours=4)),
    Clock.RETURN: ClockRule(Clock.RETURN, "现场核实退回时限", Unit.WORKING_DAYS, 2, "第十三条", "签收",
                            dt.timedelta(hours=4)),
    Clock.HANDLING: ClockRule(Clock.HANDLING, "办理时限", Unit.WORKING_DAYS, 5, "第十四条", "签收（含视为签收）",
                              dt.timedelta(hours=24)),
    Clock.REWORK: ClockRule(Clock.REWORK, "重办时限", Unit.WORKING_DAYS, 5, "第十七条", "发回重办",
                            dt.timedelta(hours=24)),
    Clock.ARRIVAL: ClockRule(Clock.ARRIVAL, "到场处置时限", Unit.HOURS, 1, "第二十条", "转派油烟、噪音等扰民工单",
                             dt.timedelta(minutes=15)),
    # Where the measures give no length, ours (settings; docs/regulation.md): call within 2 working days of
    # resolution (Art. 17), appeal within 3 working days of the rating (Art. 25).
    Clock.FOLLOW_UP: ClockRule(Clock.FOLLOW_UP, "回访时限", Unit.WORKING_DAYS, settings.FOLLOW_UP_WORKING_DAYS,
                               "第十七条", "审核办结", dt.timedelta(hours=24)),
    Clock.APPEAL: ClockRule(Clock.APPEAL, "申诉时限", Unit.WORKING_DAYS, settings.APPEAL_WINDOW_WORKING_DAYS,
                            "第二十五条", "回访不满意", dt.timedelta(hours=24)),
    # Art. 20: outages and other livelihood matters at 24-hour units are handled "at once" (接诉即办); the clock is
    # signing within a topic's response time, clock time 7x24, default 30 minutes (a choice of ours, per topic).
    Clock.RESPONSE: ClockRule(Clock.RESPONSE, "即时响应时限", Unit.MINUTES, 30, "第二十条",
                              "转派停水停电停气等民生工单至24小时响应单位", dt.timedelta(minutes=10)),
}

# Art. 14: handling limits by request type, in working days from signing.
HANDLING_WORKING_DAYS: dict[str, int] = {
    "consultation": 1,  # Art. 14.2
    "help": 5,  # Art. 14.3
    "complaint": 5,
    "report": 5,
    "suggestion": 5,
    "praise": 5,
}
COMPLEX_WORKING_DAYS = 10  # Art. 14.3: complex or difficult matters.
MAX_EXTENSION_WORKING_DAYS = 10  # Art. 14: once, normally at most 10 working days.
MAX_EXTENSIONS = 1
CONSULT_CONTACT_ATTEMPTS = 3  # Art. 14.2: at least three attempts within 24 hours when the requester is unreachable.


def handling_working_days(request_type: str, *, is_complex: bool, statutory_days: int | None) -> tuple[int, str]:
    """The handling limit and its article: a statutory limit first (Art. 14.4), then complexity, then type."""
    if statutory_days:
        return statutory_days, "第十四条第四项"
    if is_complex:
        return COMPLEX_WORKING_DAYS, "第十四条第三项"
    days = HANDLING_WORKING_DAYS.get(request_type, 5)
    return days, "第十四条第二项" if request_type == "consultation" else "第十四条第三项"


def compute(calendar: WorkCalendar, clock: Clock, start: dt.datetime, *, amount: int | None = None) -> Due:
    """The due time of `clock` started at `start`; `amount` overrides the table (handling limits by type)."""
    rule = RULES[clock]
    length = rule.amount if amount is None else amount
    if rule.unit == Unit.MINUTES:
        return calendar.add_hours(start, length / 60)
    if rule.unit == Unit.HOURS:
        return calendar.add_hours(start, length)
    return calendar.add_working_days(start, length)


# Art. 24: supervision cases. System supervision within 5 working days, any other method within 10; a complex case
# may be extended once, by at most 10 working days. Counted like every working-day clock (DESIGN §4).
SUPERVISION_SYSTEM_WORKING_DAYS = 5
SUPERVISION_OTHER_WORKING_DAYS = 10
MAX_SUPERVISION_EXTENSION_WORKING_DAYS = 10
SUPERVISION_ARTICLE = "第二十四条"


def supervision_working_days(method: str) -> int:
    """The limit of a supervision case by its method: 系统督办 5 working days, the others 10 (Art. 24)."""
    return SUPERVISION_SYSTEM_WORKING_DAYS if method == "system" else SUPERVISION_OTHER_WORKING_DAYS
