"""Dispatch and signing (Art. 12, 13): to a lead unit and assisting units, signed or deemed signed, returned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from hotline.deadlines.calendar import WorkCalendar
from hotline.deadlines.policy import Clock, compute, handling_working_days
from hotline.deadlines.store import load_calendar
from hotline.directory.choices import DISPATCH_ROLES
from hotline.directory.models import Unit
from hotline.lib.errors import InvalidInput, TransitionNotAllowed
from hotline.tickets import attachments
from hotline.tickets.choices import Action, AttachmentPurpose, ReturnKind, ReviewState, Status
from hotline.tickets.models import ReturnRequest, Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff

from hotline.tickets.workflow._core import (
    _against,
    _assign,
    _estimated,
    _move,
    _require_active_unit,
    _require_lead_unit,
    _require_role,
    _text,
)


def dispatch(ticket: Ticket, *, by: Staff, lead_unit: Unit, assisting_units: Sequence[Unit] = (),
             note: str = "") -> Ticket:
    """Send to one lead unit and optional assisting units; the 1-working-day signing clock starts (Art. 12, 13)."""
    _require_role(by, DISPATCH_ROLES, Action.DISPATCH)
    _require_active_unit(lead_unit, "lead_unit", by=by)
    assisting = list(dict.fromkeys(assisting_units))
    for unit in assisting:
        _require_active_unit(unit, "assisting_units", by=by)
    if lead_unit in assisting:
        raise InvalidInput("牵头单位不能同时为会同单位", field="assisting_units", code="lead_also_assisting")
    now = timezone.now()
    calendar = load_calendar()
    sign_due = compute(calendar, Clock.SIGN, now)
    arrival_due = None
    if ticket.topic is not None and ticket.topic.needs_arrival_within_hour:
        arrival_due = compute(calendar, Clock.ARRIVAL, now).at  # Art. 20: fumes and noise, on site within 1 hour.
    response_due = _response_due(ticket, lead_unit, calendar, now)
    with transaction.atomic():
        _move(ticket, Action.DISPATCH, by, to=Status.DISPATCHED, now=now, reason=note, article="第十三条",
              lead_unit=lead_unit, dispatched_at=now, sign_due=sign_due.at, signed_at=None, deemed_signed=False,
              desk_return_due=None, return_due=None, handling_due=None, handling_days=None, arrival_due=arrival_due,
              arrived_at=None, response_due=response_due, due_estimated=_estimated(sign_due),
              data={"lead_unit": lead_unit.code, "assisting_units": [u.code for u in assisting],
                    **_against(ticket.dispatch_due, now)})
        _assign(ticket, lead_unit, assisting, by=by, now=now)
    return ticket


def _response_due(ticket: Ticket, lead_unit: Unit, calendar: WorkCalendar, now: dt.datetime) -> dt.datetime | None:
    """Art. 20: a 24-hour unit signs an outage (or a topic given a response time) at once, in clock minutes."""
    topic = ticket.topic
    if topic is None or not lead_unit.responds_24h or not (topic.is_outage or topic.response_minutes):
        return None
    return compute(calendar, Clock.RESPONSE, now, amount=topic.response_minutes or None).at


def clock_start(ticket: Ticket, signed_at: dt.datetime) -> dt.datetime:
    """The moment the handling and return clocks start from: the signing itself, or, once the signing window has
    passed, the last instant of the signing day (Art. 13: it counts as signed then).

    The deadline is stored as 24:00 of the signing day (00:00 of the next); counting from that boundary would start
    the period a day late and give a unit that never signed one day more than a unit that signed at 23:59."""
    if ticket.sign_due is not None and signed_at >= ticket.sign_due:
        return ticket.sign_due - dt.timedelta(microseconds=1)
    return signed_at


def _start_handling(ticket: Ticket, signed_at: dt.datetime) -> dict[str, Any]:
    """The columns set when a ticket is signed: return windows and the handling clock (Art. 13, 14)."""
    calendar = load_calendar()
    statutory = ticket.topic.statutory_working_days if ticket.topic else None
    days, article = handling_working_days(ticket.request_type, is_complex=ticket.is_complex,
                                          statutory_days=statutory)
    start = clock_start(ticket, signed_at)
    handling_due = compute(calendar, Clock.HANDLING, start, amount=days)
    return_due = compute(calendar, Clock.RETURN, start)
    # Signed late or deemed signed: the desk-return window closed with the signing window (Art. 13).
    desk_due = calendar.end_of_day(signed_at) if start == signed_at else ticket.sign_due
    local_due, capped = upper_capped(handling_due.at, ticket.upper_due)
    return {
        "signed_at": signed_at, "desk_return_due": desk_due, "return_due": return_due.at,
        "handling_days": days, "handling_due": local_due,
        "due_estimated": _estimated(return_due) or (not capped and _estimated(handling_due)),
        "_article": f"{article}、第二十七条（上级时限）" if capped else article,
    }


def upper_capped(local: dt.datetime, upper: dt.datetime | None) -> tuple[dt.datetime, bool]:
    """The handling deadline of an upper platform's order: the earlier of the local rule and the upper deadline
    (Art. 27; equal ones keep the local rule). True when the upper deadline won."""
    if upper is not None and upper < local:
        return upper, True
    return local, False


def sign(ticket: Ticket, *, by: Staff) -> Ticket:
    """The lead unit acknowledges receipt within 1 working day; the handling clock starts (Art. 13, 14)."""
    _require_lead_unit(ticket, by, Action.SIGN)
    now = timezone.now()
    fields = _start_handling(ticket, now)
    article = fields.pop("_article")
    with transaction.atomic():
        _move(ticket, Action.SIGN, by, to=Status.IN_PROGRESS, now=now, article=f"第十三条、{article}",
              data=_against(ticket.sign_due, now), **fields)
    return ticket


def deem_signed(ticket: Ticket, *, now: dt.datetime | None = None) -> Ticket:
    """An unsigned ticket at its signing deadline counts as signed then; handling runs from that moment (Art. 13)."""
    now = now or timezone.now()
    if ticket.sign_due is None or now < ticket.sign_due:
        raise TransitionNotAllowed("签收时限未到，不能视为签收", code="sign_window_open")
    # Only the on-site return route stays open; `_start_handling` closes the desk window (Art. 13).
    fields = _start_handling(ticket, ticket.sign_due)
    fields.pop("_article")
    with transaction.atomic():
        _move(ticket, Action.DEEM_SIGNED, None, to=Status.IN_PROGRESS, now=now, article="第十三条",
              deemed_signed=True, data=_against(ticket.sign_due, now), **fields)
    return ticket


def request_return(ticket: Ticket, *, by: Staff, kind: str, reason: str, basis: str, suggested_unit: Unit | None = None,
                   photos: Sequence[UploadedFile] = ()) -> ReturnRequest:
    """Say a ticket is not the unit's: on the signing day from the desk, or within 2 working days after on-site
    verification with a suggested unit, and photos for manholes, poles and the like (Art. 13)."""
    unit_id = _require_lead_unit(ticket, by, Action.REQUEST_RETURN)
    reason = _text(reason, "reason", "退回理由")
    basis = _text(basis, "basis", "退回依据")
    now = timezone.now()
    if ticket.status == Status.RETURN_REQUESTED:  # one return at a time: the hotline decides it first (Art. 13)
        raise TransitionNotAllowed("该工单已有退回申请等待热线审核，请等待审核结果", code="return_pending")
    _check_return_window(ticket, kind, now)
    _check_not_rejected_before(ticket, unit_id)
    _check_return_evidence(ticket, kind, suggested_unit, photos)
    checked = [attachments.check_upload(photo, field="photos") for photo in photos]
    with transaction.atomic():
        rr = ReturnRequest.objects.create(
            ticket=ticket, unit_id=unit_id, kind=kind, reason=reason, basis=basis,
            suggested_unit=suggested_unit, prior_status=ticket.status, requested_by=by, requested_at=now,
        )
        _move(ticket, Action.REQUEST_RETURN, by, to=Status.RETURN_REQUESTED, now=now, reason=reason,
              article="第十三条", data={"return_request": rr.pk, "kind": kind})
        for upload in checked:
            attachments.store(ticket, upload, by=by, purpose=AttachmentPurpose.RETURN_PHOTO, return_request=rr, now=now)
    return rr


def _check_return_evidence(ticket: Ticket, kind: str, suggested_unit: Unit | None,
                           photos: Sequence[UploadedFile]) -> None:
    if kind == ReturnKind.ONSITE and suggested_unit is None:
        raise InvalidInput("现场核实后退回须提出具体承办单位的意见建议", field="suggested_unit",
                           code="suggested_unit_required")
    # Art. 13: manholes, poles and the like can only be judged on site, so any return of them carries photos.
    if ticket.topic is not None and ticket.topic.needs_onsite_photo and not photos:
        raise InvalidInput("此类工单（井盖、电线杆、通讯杆等）退回须上传现场图片", field="photos",
                           code="photo_required")
    if suggested_unit is not None:
        _require_active_unit(suggested_unit, "suggested_unit")
        if suggested_unit.pk == ticket.lead_unit_id:
            raise InvalidInput("建议承办单位不能是本单位", field="suggested_unit", code="suggested_self")


def _check_not_rejected_before(ticket: Ticket, unit_id: int) -> None:
    # Art. 13: once the hotline rejects a unit's return, "由承办单位继续办理" - the unit carries on; it cannot
    # keep the ticket bouncing with fresh requests for the same dispatch.
    if ticket.dispatched_at and ticket.return_requests.filter(
            unit_id=unit_id, state=ReviewState.REJECTED, requested_at__gte=ticket.dispatched_at).exists():
        raise TransitionNotAllowed("退回申请已审核未通过，须由本单位继续办理", code="return_rejected")


def _check_return_window(ticket: Ticket, kind: str, now: dt.datetime) -> None:
    if kind == ReturnKind.DESK:
        open_ = (ticket.status == Status.DISPATCHED and ticket.sign_due is not None and now < ticket.sign_due) or (
            ticket.status == Status.IN_PROGRESS and ticket.desk_return_due is not None and now < ticket.desk_return_due
            and not ticket.deemed_signed and not ticket.rework_count
        )
        if not open_:
            raise TransitionNotAllowed("已超过签收当日退回时限，视为签收", code="return_window_closed")
    elif kind == ReturnKind.ONSITE:
        if not (ticket.status == Status.IN_PROGRESS and ticket.return_due is not None and now < ticket.return_due
                and not ticket.rework_count):
            raise TransitionNotAllowed("现场核实退回须在签收后2个工作日内提出", code="return_window_closed")
    else:
        raise InvalidInput("退回类型不正确", field="kind", code="invalid_return_kind")
