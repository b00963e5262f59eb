"""Every ticket transition, one function each (STYLE 1-3).

Each function checks the actor's role and unit, the ticket's status against `TRANSITIONS`, and the rule's own
conditions; then `_move` changes the row with a compare-and-swap on (status, version) and writes exactly one Event in
the same transaction. Nothing else in the code base assigns `Ticket.status`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hotline.deadlines.policy import (
    MAX_EXTENSION_WORKING_DAYS,
    MAX_EXTENSIONS,
    Clock,
    compute,
    handling_working_days,
)
from hotline.deadlines.store import load_calendar
from hotline.directory.choices import Role, UnitKind
from hotline.directory.models import Topic, Unit
from hotline.lib.errors import ConcurrentChange, Forbidden, InvalidInput, TransitionNotAllowed
from hotline.lib.privacy import is_valid_phone, normalise_phone
from hotline.tickets import attachments
from hotline.tickets.choices import (
    DISSATISFIED_LEVELS,
    OPEN_STATUSES,
    TRANSITIONS,
    Action,
    AlertKind,
    AssignmentRole,
    AttachmentPurpose,
    Channel,
    DeclineReason,
    EmergencyLine,
    RequestType,
    ReturnKind,
    ReviewState,
    Satisfaction,
    Status,
)
from hotline.tickets.models import (
    Assignment,
    ClockAlert,
    ContactAttempt,
    Event,
    ExtensionRequest,
    FollowUp,
    HandOff,
    Outbox,
    Reply,
    Requester,
    ReturnRequest,
    Ticket,
    TicketCounter,
)

if TYPE_CHECKING:
    from hotline.directory.models import Staff

INTAKE_ROLES = (Role.OPERATOR, Role.DISPATCHER, Role.MANAGER)
DISPATCH_ROLES = (Role.DISPATCHER, Role.MANAGER)
REVIEW_ROLES = (Role.REVIEWER, Role.MANAGER)
FOLLOWUP_ROLES = (Role.FOLLOWUP, Role.MANAGER)
UNIT_ROLES = (Role.UNIT_HANDLER, Role.UNIT_MANAGER)
MAX_CONTENT_CHARS = 5000
FOLLOW_UP_UNREACHED_LIMIT = 3  # After three unanswered follow-up calls the ticket is filed as unreached.


# ---------------------------------------------------------------- helpers


def _require_role(by: Staff | None, roles: Iterable[str], action: str) -> None:
    if by is None or not by.is_active or by.role not in roles:
        raise Forbidden(f"当前角色无权执行“{Action(action).label}”", code="role_not_allowed")


def _require_lead_unit(ticket: Ticket, by: Staff, action: str) -> int:
    """Only the lead unit's staff act on a dispatched ticket (Art. 12: one lead, others assist); returns its id."""
    _require_role(by, UNIT_ROLES, action)
    if by.unit_id is None or by.unit_id != ticket.lead_unit_id:
        raise Forbidden(f"只有牵头承办单位可以执行“{Action(action).label}”", code="not_lead_unit")
    return by.unit_id


def _check_transition(ticket: Ticket, action: str, to: str) -> None:
    allowed = TRANSITIONS[action].get(ticket.status, frozenset())
    if to not in allowed:
        raise TransitionNotAllowed(
            f"工单当前状态为“{Status(ticket.status).label}”，不能执行“{Action(action).label}”",
            status=str(ticket.status), action=str(action),
        )


def _text(value: str | None, field: str, label: str, *, required: bool = True, max_chars: int = 2000) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"请填写{label}", field=field, code="required")
    if len(text) > max_chars:
        raise InvalidInput(f"{label}不能超过{max_chars}字", field=field, code="too_long")
    return text


def _event(ticket: Ticket, action: str, by: Staff | None, *, frm: str, to: str, at: dt.datetime, reason: str = "",
           article: str = "", data: dict[str, Any] | None = None) -> Event:
    return Event.objects.create(
        ticket=ticket, action=action, from_status=frm, to_status=to, actor=by,
        actor_unit=getattr(by, "unit", None) if by is not None else None, at=at, reason=reason, article=article,
        data=data or {},
    )


def _move(ticket: Ticket, action: str, by: Staff | None, *, to: str, now: dt.datetime, reason: str = "",
          article: str = "", data: dict[str, Any] | None = None, **fields: Any) -> Event:
    """Compare-and-swap the ticket row and write its one event; must run inside `transaction.atomic`."""
    _check_transition(ticket, action, to)
    frm = ticket.status
    changed = Ticket.objects.filter(pk=ticket.pk, status=frm, version=ticket.version).update(
        status=to, version=F("version") + 1, updated_at=now, **fields
    )
    if changed != 1:
        # Someone else moved the ticket between our read and this write (STYLE 2).
        raise ConcurrentChange("工单已被他人处理，请刷新后重试")
    ticket.status = to
    ticket.version += 1
    for name, value in fields.items():
        setattr(ticket, name, value)
    return _event(ticket, action, by, frm=frm, to=to, at=now, reason=reason, article=article, data=data)


def _estimated(*dues: Any) -> bool:
    """Whether a deadline this transition sets crosses a year with no published calendar (DESIGN §4). Only the
    clocks set now count: a flag from an earlier clock clears once the running one is exact."""
    return any(getattr(due, "estimated", False) for due in dues)


def _outbox(kind: str, **payload: Any) -> None:
    Outbox.objects.create(kind=kind, payload=payload)


# ---------------------------------------------------------------- intake (Art. 9-12)


def _next_number(now: dt.datetime) -> str:
    day = timezone.localtime(now).date()
    # The UPDATE takes the row lock, so concurrent intakes get distinct numbers on both databases.
    if not TicketCounter.objects.filter(day=day).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                TicketCounter.objects.create(day=day, last=1)
        except IntegrityError:
            TicketCounter.objects.filter(day=day).update(last=F("last") + 1)
    last = TicketCounter.objects.get(day=day).last
    return f"{day:%Y%m%d}{last:06d}"


def _requester(data: dict[str, Any] | None) -> Requester | None:
    if not data:
        return None
    phone = (data.get("phone") or "").strip()
    if phone and not is_valid_phone(phone):
        raise InvalidInput("电话号码格式不正确", field="requester.phone", code="invalid_phone")
    name = _text(data.get("name"), "requester.name", "姓名", required=False, max_chars=100)
    id_number = _text(data.get("id_number"), "requester.id_number", "证件号码", required=False, max_chars=32)
    address = _text(data.get("address"), "requester.address", "住址", required=False, max_chars=300)
    if not (name or phone or id_number):
        return None
    return Requester.objects.create(
        name=name, phone=normalise_phone(phone), id_number=id_number, address=address,
        is_company=bool(data.get("is_company")), ip=str(data.get("ip") or ""),  # Requester.save validates the IP
    )


def create_ticket(*, by: Staff | None, channel: str, request_type: str, content: str, address: str = "",
                  topic: Topic | None = None, region: Unit | None = None, requester: dict[str, Any] | None = None,
                  title: str = "", is_confidential: bool = False, is_complex: bool = False) -> Ticket:
    """Accept a contact as a ticket waiting for dispatch; the 2-hour dispatch clock starts now (Art. 11, 13)."""
    if by is not None:
        _require_role(by, INTAKE_ROLES, Action.ACCEPT)
    if channel not in Channel.values:
        raise InvalidInput("来源渠道不正确", field="channel", code="invalid_channel")
    if request_type not in RequestType.values:
        raise InvalidInput("诉求类型不正确", field="request_type", code="invalid_request_type")
    content = _text(content, "content", "诉求内容", max_chars=MAX_CONTENT_CHARS)
    address = _text(address, "address", "事发地点", required=False, max_chars=300)
    title = _text(title, "title", "标题", required=False, max_chars=120) or content[:30]
    if region is not None and region.kind != UnitKind.COUNTY:
        raise InvalidInput("所属区县必须是县市区", field="region", code="invalid_region")
    now = timezone.now()
    # Art. 23: complaints about illegal building, demolition, fumes and noise are confidential without asking.
    confidential = is_confidential or bool(topic and topic.always_confidential)
    due = compute(load_calendar(), Clock.DISPATCH, now)
    with transaction.atomic():
        ticket = Ticket.objects.create(
            number=_next_number(now), channel=channel, request_type=request_type, topic=topic, title=title,
            content=content, address=address, region=region, requester=_requester(requester),
            is_confidential=confidential, is_complex=is_complex, status=Status.PENDING_DISPATCH, created_by=by,
            created_at=now, dispatch_due=due.at,
        )
        _event(ticket, Action.ACCEPT, by, frm="", to=Status.PENDING_DISPATCH, at=now, article="第十一条",
               data={"channel": channel})
    return ticket


def decline(ticket: Ticket, *, by: Staff, reason_code: str, explanation: str) -> Ticket:
    """Not accepted for one of the ten reasons of Art. 10, with the explanation told to the requester."""
    _require_role(by, INTAKE_ROLES, Action.DECLINE)
    if reason_code not in DeclineReason.values:
        raise InvalidInput("请选择第十条规定的不予受理原因（1-10）", field="reason_code", code="invalid_reason_code")
    explanation = _text(explanation, "explanation", "告知服务对象的说明")
    now = timezone.now()
    with transaction.atomic():
        _move(ticket, Action.DECLINE, by, to=Status.DECLINED, now=now, reason=explanation,
              article=f"第十条第{_cn_number(int(reason_code))}项", decline_reason=reason_code, explanation=explanation,
              closed_at=now, data={"reason_code": reason_code})
    return ticket


def answer(ticket: Ticket, *, by: Staff, text: str, article_ref: str = "") -> Ticket:
    """Answered on the spot from the knowledge base, or after consulting a unit (Art. 12.1, 14.1)."""
    _require_role(by, INTAKE_ROLES, Action.ANSWER)
    text = _text(text, "answer", "答复内容")
    now = timezone.now()
    with transaction.atomic():
        _move(ticket, Action.ANSWER, by, to=Status.ANSWERED, now=now, reason=text, article="第十二条第一项",
              answer=text, closed_at=now, data={"knowledge_article": article_ref} if article_ref else None)
    return ticket


def consult(ticket: Ticket, *, by: Staff, unit: Unit, note: str = "") -> Ticket:
    """Consult a unit with the requester's consent and answer within 24 clock hours (Art. 12.1)."""
    _require_role(by, INTAKE_ROLES, Action.CONSULT)
    _require_active_unit(unit, "unit")
    now = timezone.now()
    due = compute(load_calendar(), Clock.CONSULT, now)
    with transaction.atomic():
        _move(ticket, Action.CONSULT, by, to=Status.CONSULTING, now=now, reason=note, article="第十二条第一项",
              consult_unit=unit, consult_due=due.at, data={"unit": unit.code})
    return ticket


def _require_active_unit(unit: Unit | None, field: str) -> Unit:
    if unit is None or not unit.is_active or unit.kind == UnitKind.HOTLINE:
        raise InvalidInput("请选择有效的承办单位", field=field, code="invalid_unit")
    return unit


def dispatch(ticket: Ticket, *, by: Staff, lead_unit: Unit, assisting_units: Sequence[Unit] = (),
             note: str = "") -> Ticket:
    """Send to one lead unit and optional assisting units; the 1-working-day signing clock starts (Art. 12, 13)."""
    _require_role(by, DISPATCH_ROLES, Action.DISPATCH)
    _require_active_unit(lead_unit, "lead_unit")
    assisting = list(dict.fromkeys(assisting_units))
    for unit in assisting:
        _require_active_unit(unit, "assisting_units")
    if lead_unit in assisting:
        raise InvalidInput("牵头单位不能同时为会同单位", field="assisting_units", code="lead_also_assisting")
    now = timezone.now()
    calendar = load_calendar()
    sign_due = compute(calendar, Clock.SIGN, now)
    arrival_due = None
    if ticket.topic is not None and ticket.topic.needs_arrival_within_hour:
        arrival_due = compute(calendar, Clock.ARRIVAL, now).at  # Art. 20: fumes and noise, on site within 1 hour.
    with transaction.atomic():
        _move(ticket, Action.DISPATCH, by, to=Status.DISPATCHED, now=now, reason=note, article="第十三条",
              lead_unit=lead_unit, dispatched_at=now, sign_due=sign_due.at, signed_at=None, deemed_signed=False,
              desk_return_due=None, return_due=None, handling_due=None, handling_days=None, arrival_due=arrival_due,
              arrived_at=None, due_estimated=_estimated(sign_due),
              data={"lead_unit": lead_unit.code, "assisting_units": [u.code for u in assisting]})
        Assignment.objects.filter(ticket=ticket, is_active=True).update(is_active=False, ended_at=now)
        Assignment.objects.create(ticket=ticket, unit=lead_unit, role=AssignmentRole.LEAD, dispatched_at=now,
                                  dispatched_by=by)
        for unit in assisting:
            Assignment.objects.create(ticket=ticket, unit=unit, role=AssignmentRole.ASSIST, dispatched_at=now,
                                      dispatched_by=by)
    return ticket


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
    return {
        "signed_at": signed_at, "desk_return_due": desk_due, "return_due": return_due.at,
        "handling_days": days, "handling_due": handling_due.at,
        "due_estimated": _estimated(handling_due, return_due), "_article": article,
    }


def sign(ticket: Ticket, *, by: Staff) -> Ticket:
    """The lead unit acknowledges receipt within 1 working day; the handling clock starts (Art. 13, 14)."""
    _require_lead_unit(ticket, by, Action.SIGN)
    now = timezone.now()
    fields = _start_handling(ticket, now)
    article = fields.pop("_article")
    with transaction.atomic():
        _move(ticket, Action.SIGN, by, to=Status.IN_PROGRESS, now=now, article=f"第十三条、{article}",
              data={"late": bool(ticket.sign_due and now >= ticket.sign_due)}, **fields)
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
              deemed_signed=True, **fields)
    return ticket


def request_return(ticket: Ticket, *, by: Staff, kind: str, reason: str, basis: str, suggested_unit: Unit | None = None,
                   photos: Sequence[UploadedFile] = ()) -> ReturnRequest:
    """Say a ticket is not the unit's: on the signing day from the desk, or within 2 working days after on-site
    verification with a suggested unit, and photos for manholes, poles and the like (Art. 13)."""
    unit_id = _require_lead_unit(ticket, by, Action.REQUEST_RETURN)
    reason = _text(reason, "reason", "退回理由")
    basis = _text(basis, "basis", "退回依据")
    now = timezone.now()
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


def review_return(ticket: Ticket, *, by: Staff, approve: bool, note: str = "") -> Ticket:
    """Approve (back to dispatch with the suggested unit preselected) or reject (the unit carries on) (Art. 13)."""
    _require_role(by, REVIEW_ROLES, Action.REVIEW_RETURN)
    rr = ticket.return_requests.filter(state=ReviewState.PENDING).order_by("-requested_at").first()
    if rr is None:
        raise TransitionNotAllowed("没有待审核的退回申请", code="no_pending_return")
    if not approve:
        note = _text(note, "note", "不通过的理由")
    now = timezone.now()
    with transaction.atomic():
        if approve:
            dispatch_due = compute(load_calendar(), Clock.DISPATCH, now)
            _move(ticket, Action.REVIEW_RETURN, by, to=Status.PENDING_DISPATCH, now=now, reason=note,
                  article="第十三条", lead_unit=None, suggested_unit=rr.suggested_unit, dispatch_due=dispatch_due.at,
                  data={"return_request": rr.pk, "approved": True})
            Assignment.objects.filter(ticket=ticket, is_active=True).update(is_active=False, ended_at=now)
            _expire_pending_extensions(ticket, now, "工单退回重新派单，延期申请失效")
        else:
            _move(ticket, Action.REVIEW_RETURN, by, to=rr.prior_status, now=now, reason=note, article="第十三条",
                  data={"return_request": rr.pk, "approved": False})
        updated = ReturnRequest.objects.filter(pk=rr.pk, state=ReviewState.PENDING).update(
            state=ReviewState.APPROVED if approve else ReviewState.REJECTED, reviewed_by=by, reviewed_at=now,
            review_note=note,
        )
        if updated != 1:
            raise ConcurrentChange("退回申请已被他人审核")
    return ticket


def _expire_pending_extensions(ticket: Ticket, now: dt.datetime, note: str) -> None:
    # A pending request belongs to the handling period it was made in; once that period ends (returned or resolved)
    # approving it would move the next unit's or the rework's deadline from a stale `old_due` (Art. 14).
    ExtensionRequest.objects.filter(ticket=ticket, state=ReviewState.PENDING).update(
        state=ReviewState.REJECTED, reviewed_at=now, review_note=note)


def _handling_due(ticket: Ticket) -> dt.datetime | None:
    return ticket.rework_due or ticket.handling_due


def request_extension(ticket: Ticket, *, by: Staff, working_days: int, reason: str) -> ExtensionRequest:
    """Ask once, before the deadline, for at most 10 more working days (Art. 14)."""
    unit_id = _require_lead_unit(ticket, by, Action.REQUEST_EXTENSION)
    reason = _text(reason, "reason", "延期理由")
    # bool is an int in Python; `True` must not pass as "1 working day".
    valid = isinstance(working_days, int) and not isinstance(working_days, bool)
    if not valid or not 1 <= working_days <= MAX_EXTENSION_WORKING_DAYS:
        raise InvalidInput(f"延期天数须为1至{MAX_EXTENSION_WORKING_DAYS}个工作日", field="working_days",
                           code="invalid_extension_days")
    now = timezone.now()
    due = _handling_due(ticket)
    if due is None or now >= due:
        raise TransitionNotAllowed("延期申请须在办理时限届满前提出", code="deadline_passed")
    if ticket.extension_count >= MAX_EXTENSIONS or ticket.extension_requests.exclude(
            state=ReviewState.REJECTED).exists():
        raise TransitionNotAllowed("每件工单原则上只能延期1次", code="extension_used")
    with transaction.atomic():
        er = ExtensionRequest.objects.create(ticket=ticket, unit_id=unit_id, working_days=working_days,
                                             reason=reason, old_due=due, requested_by=by, requested_at=now)
        _move(ticket, Action.REQUEST_EXTENSION, by, to=ticket.status, now=now, reason=reason, article="第十四条",
              data={"extension_request": er.pk, "working_days": working_days})
    return er


def review_extension(ticket: Ticket, *, by: Staff, approve: bool, note: str = "") -> Ticket:
    """Approve (the deadline moves and the requester is told) or reject (the unit carries on) (Art. 14)."""
    _require_role(by, REVIEW_ROLES, Action.REVIEW_EXTENSION)
    er = ticket.extension_requests.filter(state=ReviewState.PENDING).first()
    if er is None:
        raise TransitionNotAllowed("没有待审核的延期申请", code="no_pending_extension")
    if not approve:
        note = _text(note, "note", "不通过的理由")
    now = timezone.now()
    fields: dict[str, Any] = {}
    new_due = None
    if approve:
        # N more working days counted from the last day of the old period, not from its 24:00 boundary.
        due = load_calendar().add_working_days(er.old_due - dt.timedelta(microseconds=1), er.working_days)
        new_due = due.at
        fields = {"extension_count": ticket.extension_count + 1, "due_estimated": _estimated(due)}
        fields["rework_due" if ticket.rework_due else "handling_due"] = new_due
    with transaction.atomic():
        _move(ticket, Action.REVIEW_EXTENSION, by, to=ticket.status, now=now, reason=note, article="第十四条",
              data={"extension_request": er.pk, "approved": approve,
                    "new_due": new_due.isoformat() if new_due else None}, **fields)
        if ExtensionRequest.objects.filter(pk=er.pk, state=ReviewState.PENDING).update(
                state=ReviewState.APPROVED if approve else ReviewState.REJECTED, reviewed_by=by, reviewed_at=now,
                review_note=note, new_due=new_due) != 1:
            raise ConcurrentChange("延期申请已被他人审核")
        if approve and ticket.requester_id:
            _outbox("sms.extension", ticket=ticket.number, requester=ticket.requester_id,
                    new_due=new_due.isoformat() if new_due else "")
    return ticket


def reply(ticket: Ticket, *, by: Staff, handler_name: str, handled_at: dt.datetime, process: str, result: str,
          contact_note: str, contacted: bool = True) -> Reply:
    """The unit's report: who, when, how, the result and how the requester was contacted (Art. 15)."""
    unit_id = _require_lead_unit(ticket, by, Action.REPLY)
    handler_name = _text(handler_name, "handler_name", "办理机构或人员", max_chars=100)
    process = _text(process, "process", "办理过程")
    result = _text(result, "result", "办理结果")
    contact_note = _text(contact_note, "contact_note", "联系服务对象情况")
    now = timezone.now()
    if handled_at is None or handled_at.tzinfo is None or handled_at > now + dt.timedelta(minutes=5):
        raise InvalidInput("办理时间须为带时区的过去时间", field="handled_at", code="invalid_handled_at")
    with transaction.atomic():
        rep = Reply.objects.create(ticket=ticket, unit_id=unit_id, handler_name=handler_name,
                                   handled_at=handled_at, process=process, result=result, contact_note=contact_note,
                                   contacted=contacted, submitted_by=by, submitted_at=now)
        _move(ticket, Action.REPLY, by, to=Status.REPLIED, now=now, reason=result, article="第十五条",
              replied_at=now, data={"reply": rep.pk, "late": bool(_handling_due(ticket) and
                                                                   now >= _handling_due(ticket))})  # type: ignore[operator]
    return rep


def review_reply(ticket: Ticket, *, by: Staff, approve: bool, note: str = "") -> Ticket:
    """Approve (resolved) or reject (back to the unit under the original deadline) (Art. 16)."""
    _require_role(by, REVIEW_ROLES, Action.REVIEW_REPLY)
    rep = ticket.replies.filter(state=ReviewState.PENDING).order_by("-submitted_at").first()
    if rep is None:
        raise TransitionNotAllowed("没有待审核的办结反馈", code="no_pending_reply")
    if not approve:
        note = _text(note, "note", "不通过的理由")
    now = timezone.now()
    with transaction.atomic():
        if approve:
            _move(ticket, Action.REVIEW_REPLY, by, to=Status.RESOLVED, now=now, reason=note, article="第十六条",
                  resolved_at=now, data={"reply": rep.pk, "approved": True})
            _expire_pending_extensions(ticket, now, "工单已办结，延期申请失效")
        else:
            _move(ticket, Action.REVIEW_REPLY, by, to=Status.IN_PROGRESS, now=now, reason=note, article="第十六条",
                  data={"reply": rep.pk, "approved": False})
        if Reply.objects.filter(pk=rep.pk, state=ReviewState.PENDING).update(
                state=ReviewState.APPROVED if approve else ReviewState.REJECTED, reviewed_by=by, reviewed_at=now,
                review_note=note) != 1:
            raise ConcurrentChange("办结反馈已被他人审核")
    return ticket


def follow_up(ticket: Ticket, *, by: Staff, reached: bool, satisfaction: str = "", unit_contacted: bool = False,
              unit_at_fault: bool = False, note: str = "") -> FollowUp:
    """Record the follow-up call (Art. 17): satisfied, or dissatisfied not through the unit, closes the ticket;
    dissatisfied through the unit's fault waits for `rework`; three unanswered calls close it as unreached.
    On a merged ticket it is that requester's own call about the original's result (`_follow_up_merged`)."""
    _require_role(by, FOLLOWUP_ROLES, Action.FOLLOW_UP)
    if reached and satisfaction not in Satisfaction.values:
        raise InvalidInput("请选择满意度（五级）", field="satisfaction", code="invalid_satisfaction")
    if not reached:
        satisfaction, unit_at_fault = "", False
    dissatisfied = satisfaction in DISSATISFIED_LEVELS
    unit_at_fault = unit_at_fault and dissatisfied
    if ticket.status == Status.MERGED:
        return _follow_up_merged(ticket, by=by, reached=reached, satisfaction=satisfaction,
                                 unit_contacted=unit_contacted, unit_at_fault=unit_at_fault, note=note)
    # Only calls about the current resolution count: a rework restarts the three-call allowance.
    unreached_before = _follow_ups_since_resolution(ticket).filter(reached=False).count()
    now = timezone.now()
    if reached:
        to = Status.RESOLVED if unit_at_fault else Status.CLOSED
    else:
        to = Status.CLOSED if unreached_before + 1 >= FOLLOW_UP_UNREACHED_LIMIT else Status.RESOLVED
    with transaction.atomic():
        fu = FollowUp.objects.create(ticket=ticket, requester_id=ticket.requester_id, agent=by, at=now, reached=reached,
                                     satisfaction=satisfaction, unit_contacted=unit_contacted,
                                     unit_at_fault=unit_at_fault, note=_text(note, "note", "回访记录", required=False))
        _move(ticket, Action.FOLLOW_UP, by, to=to, now=now, reason=note, article="第十七条",
              closed_at=now if to == Status.CLOSED else None,
              data={"follow_up": fu.pk, "satisfaction": satisfaction, "reached": reached,
                    "unit_contacted": unit_contacted, "unit_at_fault": unit_at_fault})
    return fu


def merged_follow_up_due(ticket: Ticket) -> bool:
    """A merged requester is owed a call once the original is resolved, until reached or three calls went
    unanswered (Art. 17; 并单: every requester keeps their own follow-up)."""
    if ticket.status != Status.MERGED or ticket.merged_into is None:
        return False
    if ticket.merged_into.status not in (Status.RESOLVED, Status.CLOSED):
        return False
    calls = ticket.follow_ups.all()
    return not calls.filter(reached=True).exists() and calls.count() < FOLLOW_UP_UNREACHED_LIMIT


def _follow_up_merged(ticket: Ticket, *, by: Staff, reached: bool, satisfaction: str, unit_contacted: bool,
                      unit_at_fault: bool, note: str) -> FollowUp:
    """Record a merged requester's call; the merged ticket keeps its status, the original is not moved by it."""
    if not merged_follow_up_due(ticket):
        raise TransitionNotAllowed("原工单办结后才能回访并单的服务对象，且每位服务对象只回访一次",
                                   code="merged_follow_up_not_due")
    now = timezone.now()
    with transaction.atomic():
        fu = FollowUp.objects.create(ticket=ticket, requester_id=ticket.requester_id, agent=by, at=now, reached=reached,
                                     satisfaction=satisfaction, unit_contacted=unit_contacted,
                                     unit_at_fault=unit_at_fault, note=_text(note, "note", "回访记录", required=False))
        _move(ticket, Action.FOLLOW_UP, by, to=Status.MERGED, now=now, reason=note, article="第十七条",
              data={"follow_up": fu.pk, "satisfaction": satisfaction, "reached": reached, "merged_into":
                    ticket.merged_into.number if ticket.merged_into else "", "unit_contacted": unit_contacted,
                    "unit_at_fault": unit_at_fault})
    return fu


def _follow_ups_since_resolution(ticket: Ticket) -> Any:
    # Calls about the current resolution are those after the call that sent the ticket back last time; ids, not
    # times, order them, so two actions within one clock tick are still told apart.
    last_rework = ticket.events.filter(action=Action.REWORK).order_by("-id").values_list("data", flat=True).first()
    qs = ticket.follow_ups.all()
    return qs.filter(pk__gt=last_rework["follow_up"]) if last_rework else qs


def rework(ticket: Ticket, *, by: Staff, note: str = "") -> Ticket:
    """Send back to the lead unit after a dissatisfied follow-up through the unit's fault; 5 working days (Art. 17)."""
    _require_role(by, FOLLOWUP_ROLES + REVIEW_ROLES, Action.REWORK)
    # The at-fault call must be about the current resolution; an older one was already used by an earlier rework.
    latest = _follow_ups_since_resolution(ticket).order_by("-at", "-id").first()
    if latest is None or not latest.unit_at_fault:
        raise TransitionNotAllowed("只有因承办单位主观原因导致回访不满意的工单才能发回重办",
                                   code="rework_not_justified")
    now = timezone.now()
    due = compute(load_calendar(), Clock.REWORK, now)
    with transaction.atomic():
        _move(ticket, Action.REWORK, by, to=Status.IN_PROGRESS, now=now, reason=note, article="第十七条",
              rework_count=ticket.rework_count + 1, rework_due=due.at, resolved_at=None,
              due_estimated=_estimated(due), data={"follow_up": latest.pk})
    return ticket


def merge(ticket: Ticket, *, by: Staff, into: Ticket, note: str = "") -> Ticket:
    """Join a repeated request to the original ticket; the requester keeps their own follow-up (Art. 10.4)."""
    _require_role(by, INTAKE_ROLES, Action.MERGE)
    while into.merged_into_id is not None:  # merge into the root so chains stay one level deep
        into = Ticket.objects.get(pk=into.merged_into_id)
    if into.pk == ticket.pk:
        raise InvalidInput("不能并入本工单", field="into", code="merge_into_self")
    if into.status in (Status.DECLINED, Status.HANDED_OFF):
        raise InvalidInput("不能并入不予受理或已转出的工单", field="into", code="merge_target_invalid")
    now = timezone.now()
    with transaction.atomic():
        # Tickets already merged into this one follow it to the root, so every chain stays one level deep.
        children = Ticket.objects.filter(merged_into=ticket)
        repointed = list(children.values_list("number", flat=True))
        _move(ticket, Action.MERGE, by, to=Status.MERGED, now=now, reason=note, article="第十条第四项",
              merged_into=into, closed_at=now, data={"into": into.number, "repointed": repointed})
        children.update(merged_into=into)
    return ticket


def hand_off(ticket: Ticket, *, by: Staff, line: str, summary: str) -> HandOff:
    """Transfer an emergency to 110, 119, 120 or 122 and record time, line, operator and summary (Art. 7)."""
    _require_role(by, INTAKE_ROLES, Action.HAND_OFF)
    if line not in EmergencyLine.values:
        raise InvalidInput("联动线路须为110、119、120或122", field="line", code="invalid_line")
    summary = _text(summary, "summary", "转出摘要")
    now = timezone.now()
    with transaction.atomic():
        _move(ticket, Action.HAND_OFF, by, to=Status.HANDED_OFF, now=now, reason=summary, article="第七条",
              handed_off_to=line, closed_at=now, data={"line": line})
        return HandOff.objects.create(ticket=ticket, line=line, summary=summary, operator=by, at=now)


def record_contact_attempt(ticket: Ticket, *, by: Staff, method: str, reached: bool, note: str = "") -> ContactAttempt:
    """One attempt to reach the requester; an unreachable consultation needs three in 24 hours (Art. 14.2)."""
    if by is not None and by.is_hotline:
        _require_role(by, INTAKE_ROLES + FOLLOWUP_ROLES, Action.CONTACT_ATTEMPT)
    else:
        _require_lead_unit(ticket, by, Action.CONTACT_ATTEMPT)
    if method not in ("call", "sms"):
        raise InvalidInput("联系方式须为回拨电话或短信", field="method", code="invalid_method")
    now = timezone.now()
    with transaction.atomic():
        attempt = ContactAttempt.objects.create(ticket=ticket, by=by, at=now, method=method, reached=reached,
                                                note=_text(note, "note", "备注", required=False, max_chars=200))
        _move(ticket, Action.CONTACT_ATTEMPT, by, to=ticket.status, now=now, reason=note, article="第十四条第二项",
              data={"method": method, "reached": reached})
    return attempt


def record_arrival(ticket: Ticket, *, by: Staff, remote: bool = False, note: str = "") -> Ticket:
    """On-site arrival (or remote handling) for fumes and noise, due within 1 hour of dispatch (Art. 20)."""
    _require_role(by, UNIT_ROLES, Action.ARRIVE)
    # Lead and assisting units alike may be the ones on site.
    if by.unit_id is None or not ticket.assignments.filter(is_active=True, unit_id=by.unit_id).exists():
        raise Forbidden("只有承办本工单的单位可以记录到场处置", code="not_assigned_unit")
    if ticket.arrived_at is not None:
        raise TransitionNotAllowed("已记录到场处置", code="already_arrived")
    now = timezone.now()
    with transaction.atomic():
        _move(ticket, Action.ARRIVE, by, to=ticket.status, now=now, reason=note, article="第二十条", arrived_at=now,
              data={"remote": remote, "late": bool(ticket.arrival_due and now >= ticket.arrival_due)})
    return ticket


# ---------------------------------------------------------------- clock alerts (used by sweeps)


def record_alert(ticket: Ticket, *, clock: str, kind: str, due: dt.datetime, now: dt.datetime) -> bool:
    """Record that `clock` is near (warning) or past (breach) its due time; False if already recorded."""
    try:
        with transaction.atomic():
            ClockAlert.objects.create(ticket=ticket, clock=clock, kind=kind, due=due, unit_id=ticket.lead_unit_id,
                                      created_at=now)
            _event(ticket, Action.MARK_OVERDUE if kind == AlertKind.BREACH else Action.WARN, None,
                   frm=ticket.status, to=ticket.status, at=now, article=_clock_article(clock),
                   data={"clock": clock, "due": due.isoformat()})
    except IntegrityError:
        return False
    return True


def _clock_article(clock: str) -> str:
    from hotline.deadlines.policy import RULES

    return RULES[Clock(clock)].article


def is_open(ticket: Ticket) -> bool:
    return ticket.status in OPEN_STATUSES


_CN_DIGITS = "零一二三四五六七八九十"


def _cn_number(n: int) -> str:
    return _CN_DIGITS[n] if 0 <= n <= 10 else str(n)
