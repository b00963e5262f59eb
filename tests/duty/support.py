"""Shared pieces of the duty specifications: a gas company on 24-hour response and a full December roster."""

from __future__ import annotations

import datetime as dt

from hotline.directory.choices import Role, UnitKind
from hotline.directory.models import Staff, Topic, Unit
from hotline.duty.rosters import Shift, month_bounds
from tests.base import PASSWORD, HotlineTestCase

DECEMBER = dt.date(2026, 12, 1)
NIGHT_PHONE = "13800001111"
DAY_PHONE = "13900002222"


def full_month(month: dt.date = DECEMBER, *, skip: tuple[dt.datetime, dt.datetime] | None = None) -> list[Shift]:
    """Day shifts 08:00-20:00 (王白班) and night shifts 20:00-08:00 (李夜班); `skip` leaves a hole."""
    start, end = month_bounds(month)
    shifts, cursor = [], start
    while cursor < end:
        hour = cursor.hour
        step = cursor + dt.timedelta(hours=8 if hour == 0 else 12)
        step = min(step, end)
        day = hour == 8
        shifts.append(Shift(start=cursor, end=step, person="王白班" if day else "李夜班",
                            phone=DAY_PHONE if day else NIGHT_PHONE))
        cursor = step
    if skip is None:
        return shifts
    a, b = skip
    out = []
    for s in shifts:
        if s.end <= a or s.start >= b:
            out.append(s)
            continue
        if s.start < a:
            out.append(Shift(s.start, a, s.person, s.phone))
        if s.end > b:
            out.append(Shift(b, s.end, s.person, s.phone))
    return out


class DutyTestCase(HotlineTestCase):
    """Personas plus the city gas company (24-hour response) with its own manager, and a gas-outage topic."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.gas_company = Unit.objects.create(code="rqgs", name="市燃气总公司", kind=UnitKind.UTILITY,
                                              responds_24h=True)
        cls.gas_manager = Staff.objects.create_user(username="gas_manager", password=PASSWORD,
                                                    role=Role.UNIT_MANAGER, unit=cls.gas_company)
        cls.gas_handler = Staff.objects.create_user(username="gas_handler", password=PASSWORD,
                                                    role=Role.UNIT_HANDLER, unit=cls.gas_company)
        cls.topic_gas = Topic.objects.create(code="0301", name="停气", default_unit=cls.gas_company, is_outage=True)
