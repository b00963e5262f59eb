"""Handling (Art. 14, 15, 20, 27): extensions, the reply, contact attempts, on-site arrival, clock alerts and a
lower platform's reports."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hotline.deadlines.policy import MAX_EXTENSION_WORKING_DAYS, MAX_EXTENSIONS, Clock
from hotline.directory.choices import FOLLOWUP_ROLES, INTAKE_ROLES, UNIT_ROLES
from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets import replycheck
from hotline.tickets.choices import Action, AlertKind, ReviewState, Status
from hotline.tickets.models import ClockAlert, ContactAttempt, Event, ExtensionRequest, Reply, Ticket
from hotline.tickets.workflow.platforms import reply_goes_up

if TYPE_CHECKING:
    from hotline.directory.models import Staff

from hotline.tickets.workflow._core import (
    _against,
    _event,
    _handling_due,
    _move,
    _require_lead_unit,
    _require_role,
    _text,
)


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


def reply(ticket: Ticket, *, by: Staff, handler_name: str, handled_at: dt.datetime, process: str, result: str,
          contact_note: str, contacted: bool) -> Reply:
    """The unit's report: who, when, how, the result and how the requester was contacted (Art. 15)."""
    unit_id = _require_lead_unit(ticket, by, Action.REPLY)
    # Art. 15, 17: whether the unit reached the requester is a fact the unit states, never a default.
    if not isinstance(contacted, bool):
        raise InvalidInput("请选择是否已联系服务对象", field="contacted", code="contacted_required")
    handler_name = _text(handler_name, "handler_name", "办理机构或人员", max_chars=100)
    process = _text(process, "process", "办理过程")
    result = _text(result, "result", "办理结果")
    contact_note = _text(contact_note, "contact_note", "联系服务对象情况")
    now = timezone.now()
    _check_handled_at(ticket, handled_at, now)
    check = replycheck.check_ticket_reply(ticket, process=process, result=result)
    # Handed down by the platform that received it: the reply goes back up there for review (Art. 16, 30).
    upper = reply_goes_up(ticket)
    moved = {"platform": upper} if upper is not None else {}
    with transaction.atomic():
        rep = Reply.objects.create(ticket=ticket, unit_id=unit_id, handler_name=handler_name,
                                   handled_at=handled_at, process=process, result=result, contact_note=contact_note,
                                   contacted=contacted, submitted_by=by, submitted_at=now,
                                   check_score=check.score if check else None,
                                   check_warning=check.warning if check else "")
        _move(ticket, Action.REPLY, by, to=Status.REPLIED, now=now, reason=result, article="第十五条",
              replied_at=now, **moved,
              data={"reply": rep.pk, "clock": "rework" if ticket.rework_due else "handling",
                    **_against(_handling_due(ticket), now), **({"up_to": upper.code} if upper else {}),
                    # Counted in statistics as a review aid (Art. 27, 28(3)).
                    **({"off_topic": True} if rep.check_warning else {})})
    return rep


def _check_handled_at(ticket: Ticket, handled_at: dt.datetime | None, now: dt.datetime) -> None:
    """The handling happened while the ticket was with the unit: not before it was dispatched, not after now."""
    if handled_at is None or handled_at.tzinfo is None:
        raise InvalidInput("办理时间须带时区", field="handled_at", code="invalid_handled_at")
    if handled_at > now:
        raise InvalidInput("办理时间不能晚于当前时间", field="handled_at", code="invalid_handled_at")
    # Forms give the time to the minute: the minute of the dispatch itself is a valid handling time.
    if ticket.dispatched_at is not None and handled_at < ticket.dispatched_at.replace(second=0, microsecond=0):
        since = timezone.localtime(ticket.dispatched_at).strftime("%Y-%m-%d %H:%M")
        raise InvalidInput(f"办理时间不能早于工单转派时间（{since}）", field="handled_at", code="invalid_handled_at")
# How a requester is reached: the unit calls or texts; on a confidential ticket, whose requester the unit never sees
# (Art. 23), the hotline relays by a three-way call or a message (Art. 12(1)) and the unit records it as "relay".
CONTACT_METHODS = ("call", "sms", "relay")


def record_contact_attempt(ticket: Ticket, *, by: Staff, method: str, reached: bool, note: str = "") -> ContactAttempt:
    """One attempt to reach the requester; an unreachable consultation needs three in 24 hours (Art. 14.2)."""
    if by is not None and by.is_hotline:
        _require_role(by, INTAKE_ROLES | FOLLOWUP_ROLES, Action.CONTACT_ATTEMPT)
    else:
        _require_lead_unit(ticket, by, Action.CONTACT_ATTEMPT)
    if method not in CONTACT_METHODS:
        raise InvalidInput("联系方式须为回拨电话、短信或经热线转达", field="method", code="invalid_method")
    if method == "relay" and (by is None or by.is_hotline):
        raise InvalidInput("经热线转达由承办单位申请", field="method", code="invalid_method")
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
              data={"remote": remote, **_against(ticket.arrival_due, now)})
    return ticket


def record_alert(ticket: Ticket, *, clock: str, kind: str, due: dt.datetime, now: dt.datetime) -> bool:
    """Record that `clock` is near (warning) or past (breach) its due time; False if already recorded."""
    try:
        with transaction.atomic():
            # The follow-up clock is the hotline's own (Art. 17): its alerts are no unit's.
            unit_id = None if clock == Clock.FOLLOW_UP else ticket.lead_unit_id
            ClockAlert.objects.create(ticket=ticket, clock=clock, kind=kind, due=due, unit_id=unit_id,
                                      created_at=now)
            _event(ticket, Action.MARK_OVERDUE if kind == AlertKind.BREACH else Action.WARN, None,
                   frm=ticket.status, to=ticket.status, at=now, article=_clock_article(clock),
                   data={"clock": clock, "due": due.isoformat()})
    except IntegrityError:
        return False
    return True


def record_lower_report(ticket: Ticket, *, platform: str, action: str, status: str, at: dt.datetime,
                        note: str = "", data: dict[str, Any] | None = None) -> Event:
    """Log a lower platform's status report on a ticket we sent down (Art. 27): an event that leaves our status
    where it is; our own staff act on it through their transitions. Must run inside `transaction.atomic`."""
    return _event(ticket, Action.LOWER_REPORT, None, frm=ticket.status, to=ticket.status, at=timezone.now(),
                  reason=note, article="第二十七条",
                  data={"platform": platform, "action": action, "status": status, "at": at.isoformat(),
                        **(data or {})})


def _clock_article(clock: str) -> str:
    from hotline.deadlines.policy import RULES

    return RULES[Clock(clock)].article
