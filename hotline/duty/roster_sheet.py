"""Rosters as XLSX: the template a unit downloads and fills in, and reading it back into shifts (Art. 20, 27)."""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from hotline.deadlines.calendar import LOCAL_TZ
from hotline.duty.rosters import Shift, month_bounds
from hotline.lib.errors import InvalidInput
from hotline.lib.sheets import read_rows, workbook

HEADERS = {"开始时间": "start", "结束时间": "end", "值班人": "person", "值班电话": "phone"}
_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M")


def template(month: dt.date) -> bytes:
    """A month of day and night shifts to fill in: 08:00-20:00 and 20:00-08:00 (next day)."""
    start, end = month_bounds(month)
    rows: list[list[Any]] = []
    cursor = start
    rows.append([cursor, cursor + dt.timedelta(hours=8), "", ""])
    cursor += dt.timedelta(hours=8)
    while cursor < end:
        step = min(cursor + dt.timedelta(hours=12), end)
        rows.append([cursor, step, "", ""])
        cursor = step
    return workbook(f"{month:%Y-%m}值班表", list(HEADERS), rows)


def _moment(value: Any, row: int, title: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=LOCAL_TZ) if value.tzinfo is None else value
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(str(value), fmt).replace(tzinfo=LOCAL_TZ)
        except ValueError:
            continue
    raise InvalidInput(f"第{row}行“{title}”须为日期时间，如 2026-12-01 08:00", field="file", code="invalid_datetime")


def shifts_from_xlsx(stream: IO[bytes]) -> list[Shift]:
    """The shifts of an uploaded roster; times without a zone are Beijing time."""
    shifts = []
    for row, cells in read_rows(stream, HEADERS, required=("start", "end", "person", "phone")):
        shifts.append(Shift(start=_moment(cells.get("start"), row, "开始时间"),
                            end=_moment(cells.get("end"), row, "结束时间"),
                            person=str(cells.get("person") or ""), phone=str(cells.get("phone") or "")))
    return shifts
