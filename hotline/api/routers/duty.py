"""People on duty (Art. 8, 20, 27): the leader-day and rotation calendar, units' 24-hour rosters, who is on duty now.

Error codes as the ticket API: 400 `invalid_input` and the domain codes (`roster_gap`, `invalid_month`,
`not_24h_unit`, `slot_overlap`), 403 `role_not_allowed` / `not_own_unit`, 409 `roster_conflict`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime

from hotline.api import lookups
from hotline.api.schemas import Code, Day, ErrorOut, In, LocalDateTime, Text
from hotline.api.security import staff
from hotline.directory.models import DutyRoster, DutySlot
from hotline.duty import now as duty_now
from hotline.duty import rosters, slots
from hotline.lib.errors import InvalidInput
from hotline.privacy.security import client_ip

router = Router(tags=["值班"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
Month = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", examples=["2026-12"])]


class SlotIn(In):
    kind: Literal["leader_day", "unit_rotation"]
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    person: Annotated[str, Field(min_length=1, max_length=50)]
    office: Annotated[str, Field(min_length=1, max_length=100)]
    unit: Code | None = None
    scope: Text


class SlotOut(Schema):
    id: int
    kind: str
    kind_label: str
    starts_at: LocalDateTime
    ends_at: LocalDateTime
    person: str
    office: str
    unit: str | None
    scope: str
    notice: str
    tickets: int


class SlotQuery(Schema):
    since: Day | None = None


class ShiftIn(In):
    start: AwareDatetime
    end: AwareDatetime
    person: Annotated[str, Field(min_length=1, max_length=50)]
    phone: Annotated[str, Field(min_length=3, max_length=32)]


class RosterIn(In):
    unit: Code
    month: Month
    entries: Annotated[list[ShiftIn], Field(min_length=1, max_length=rosters.MAX_SHIFTS)]


class RosterOut(Schema):
    unit: str
    month: str
    entries: int
    submitted_at: LocalDateTime
    due_at: LocalDateTime
    late: bool


class NowQuery(Schema):
    unit: Code


class OnDutyOut(Schema):
    person: str
    phone: str
    phone_masked: bool
    start: LocalDateTime
    end: LocalDateTime


class NowOut(Schema):
    unit: str
    unit_name: str
    at: LocalDateTime
    on_duty: list[OnDutyOut]


def _slot(slot: DutySlot) -> dict[str, Any]:
    return {"id": slot.pk, "kind": slot.kind, "kind_label": slot.get_kind_display(), "starts_at": slot.starts_at,
            "ends_at": slot.ends_at, "person": slot.person, "office": slot.office,
            "unit": slot.unit.code if slot.unit else None, "scope": slot.scope, "notice": slot.notice,
            "tickets": slot.tickets.count()}


@router.get("/slots", response={200: list[SlotOut], **ERRORS})
def list_slots(request: HttpRequest, params: Query[SlotQuery]) -> list[dict[str, Any]]:
    """Leader answering days and unit heads' rotation (Art. 8), from `since` (default: the last 60 days)."""
    since = dt.datetime.combine(params.since, dt.time(0), tzinfo=dt.UTC) if params.since else None
    staff(request)
    return [_slot(slot) for slot in slots.calendar(since=since)]


@router.post("/slots", response={201: SlotOut, **ERRORS})
def create_slot(request: HttpRequest, payload: SlotIn) -> Status[dict[str, Any]]:
    """Put a slot on the calendar and generate its public notice; the hotline's manager only."""
    slot = slots.create_slot(slots.SlotInput(
        kind=payload.kind, starts_at=payload.starts_at, ends_at=payload.ends_at, person=payload.person,
        office=payload.office, scope=payload.scope, unit=lookups.unit(payload.unit, "unit")), by=staff(request))
    return Status(201, _slot(slot))


@router.post("/rosters", response={201: RosterOut, **ERRORS})
def submit_roster(request: HttpRequest, payload: RosterIn) -> Status[dict[str, Any]]:
    """A 24-hour unit's roster for a month: 400 `roster_gap` naming the first uncovered interval; `late` when first
    submitted after the due time (the 25th of the month before by default; Art. 20, 27)."""
    roster = rosters.submit(
        by=staff(request), unit=lookups.required_unit(payload.unit, "unit"), month=rosters.parse_month(payload.month),
        shifts=[rosters.Shift(start=e.start, end=e.end, person=e.person, phone=e.phone) for e in payload.entries])
    return Status(201, _roster(roster))


def _roster(roster: DutyRoster) -> dict[str, Any]:
    return {"unit": roster.unit.code, "month": f"{roster.month:%Y-%m}", "entries": roster.entries.count(),
            "submitted_at": roster.submitted_at, "due_at": roster.due_at, "late": roster.is_late}


@router.get("/now", response={200: NowOut, **ERRORS})
def on_duty_now(request: HttpRequest, params: Query[NowQuery]) -> dict[str, Any]:
    """Who is on duty for the unit now; the phone is masked unless the caller may reveal it (a logged reveal)."""
    unit = lookups.required_unit(params.unit, "unit")
    if not unit.responds_24h:
        raise InvalidInput(f"{unit.name}不是24小时响应单位", field="unit", code="not_24h_unit")
    at = timezone.now()
    people = duty_now.who(unit, by=staff(request), at=at, ip=client_ip(request))
    return {"unit": unit.code, "unit_name": unit.name, "at": at,
            "on_duty": [{"person": p.person, "phone": p.phone, "phone_masked": p.phone_masked, "start": p.starts_at,
                         "end": p.ends_at} for p in people]}
