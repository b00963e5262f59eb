"""The working-day calculator (DESIGN §4), public so partner systems compute the same deadlines the hotline does."""

from __future__ import annotations

import datetime as dt
import re

from django.http import HttpRequest
from ninja import Query, Router, Schema

from hotline.api.schemas import EARLIEST, LATEST, RANGE_MESSAGE, DeadlineOut, ErrorOut
from hotline.deadlines.store import load_calendar
from hotline.lib.errors import InvalidInput

router = Router(tags=["工作日历"])

MAX_AMOUNT = 365  # Longer than any clock in the regulation; larger values are mistakes, not deadlines.
# An unencoded "+08:00" in a query string arrives as " 08:00" ('+' means space in URLs); read it as meant.
_SPACE_OFFSET = re.compile(r" (\d{2}(:?\d{2})?)$")


class DeadlineQuery(Schema):
    start: str
    working_days: int | None = None
    hours: float | None = None


def parse_start(raw: str) -> dt.datetime:
    """An ISO 8601 datetime with its UTC offset; a naive time is refused because it names no instant."""
    try:
        start = dt.datetime.fromisoformat(_SPACE_OFFSET.sub(r"+\1", raw.strip()))
    except ValueError as exc:
        raise InvalidInput("start 须为 ISO 8601 日期时间，如 2026-02-13T10:00:00+08:00", field="start",
                           code="invalid_start") from exc
    if start.tzinfo is None or start.utcoffset() is None:
        raise InvalidInput("start 须带时区偏移，如 +08:00", field="start", code="naive_start")
    # Year 1 or 9999 overflows once converted or counted forward; such a start names no hotline clock anyway.
    if not EARLIEST <= start.date() <= LATEST:
        raise InvalidInput(f"start {RANGE_MESSAGE}", field="start", code="start_out_of_range")
    return start


def _check_amount(value: float, field: str) -> None:
    if not 0 <= value <= MAX_AMOUNT:  # also false for NaN
        raise InvalidInput(f"{field} 须在 0 到 {MAX_AMOUNT} 之间", field=field, code="amount_out_of_range")


@router.get("/deadline", auth=None, response={200: DeadlineOut, 400: ErrorOut})
def deadline(request: HttpRequest, params: Query[DeadlineQuery]) -> dict:
    """The due time of a clock started at `start`: N working days (ends 24:00 of the Nth working day after start's
    date, the start day not counted) or N clock hours; `estimated` when it reaches a year not yet published."""
    start = parse_start(params.start)
    if (params.working_days is None) == (params.hours is None):
        raise InvalidInput("working_days 与 hours 须且只能提供一个", field="working_days",
                           code="amount_required" if params.hours is None else "amount_ambiguous")
    calendar = load_calendar()
    if params.hours is not None:
        _check_amount(params.hours, "hours")
        due = calendar.add_hours(start, params.hours)
    else:
        days = params.working_days or 0
        _check_amount(days, "working_days")
        due = calendar.add_working_days(start, days)
    return {"due": due.at, "estimated": due.estimated, "unpublished_years": list(due.unpublished_years)}
