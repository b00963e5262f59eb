"""The hotline's reviews (Art. 13, 14, 16): of a return, of an extension, of a reply."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hotline.deadlines.policy import Clock, compute
from hotline.deadlines.store import load_calendar
from hotline.directory.choices import REVIEW_ROLES
from hotline.lib.errors import ConcurrentChange, TransitionNotAllowed
from hotline.tickets.choices import Action, FollowUpChannel, ReviewState, Status
from hotline.tickets.models import (
    Assignment,
    ExtensionRequest,
    FollowUp,
    Reply,
    Requester,
    ReturnRequest,
    Ticket,
)

if TYPE_CHECKING:
    from hotline.directory.models import Staff

from hotline.tickets.workflow._core import _estimated, _expire_pending_extensions, _move, _outbox, _require_role, _text
from hotline.tickets.workflow.followup import owe_merged_calls


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


def review_reply(ticket: Ticket, *, by: Staff, approve: bool, note: str = "") -> Ticket:
    """Approve (resolved) or reject (back to the unit under the original deadline) (Art. 16)."""
    _require_role(by, REVIEW_ROLES, Action.REVIEW_REPLY)
    rep = ticket.replies.filter(state=ReviewState.PENDING).order_by("-submitted_at").first()
    if rep is None:
        raise TransitionNotAllowed("没有待审核的办结反馈", code="no_pending_reply")
    if not approve:
        note = _text(note, "note", "不通过的理由")
    now = timezone.now()
    follow_up_due = compute(load_calendar(), Clock.FOLLOW_UP, now, amount=settings.FOLLOW_UP_WORKING_DAYS) \
        if approve else None
    with transaction.atomic():
        if approve:
            assert follow_up_due is not None
            _move(ticket, Action.REVIEW_REPLY, by, to=Status.RESOLVED, now=now, reason=note, article="第十六条",
                  resolved_at=now, follow_up_due=follow_up_due.at,
                  data={"reply": rep.pk, "approved": True, "follow_up_due": follow_up_due.at.isoformat()})
            _expire_pending_extensions(ticket, now, "工单已办结，延期申请失效")
            _invite_rating(ticket)
            owe_merged_calls(ticket)
        else:
            _move(ticket, Action.REVIEW_REPLY, by, to=Status.IN_PROGRESS, now=now, reason=note, article="第十六条",
                  data={"reply": rep.pk, "approved": False})
        if Reply.objects.filter(pk=rep.pk, state=ReviewState.PENDING).update(
                state=ReviewState.APPROVED if approve else ReviewState.REJECTED, reviewed_by=by, reviewed_at=now,
                review_note=note) != 1:
            raise ConcurrentChange("办结反馈已被他人审核")
    return ticket


def _invite_rating(ticket: Ticket) -> None:
    # Art. 17 全面回访: the requester is invited to rate by SMS at resolution, after commit through the outbox; the
    # reply becomes a follow-up record of the SMS channel. One rating per channel, so no second invitation after a
    # rework once the requester has answered.
    has_phone = (ticket.requester_id is not None
                 and Requester.objects.filter(pk=ticket.requester_id).exclude(phone_hash="").exists())
    if has_phone and not FollowUp.objects.filter(ticket=ticket, channel=FollowUpChannel.SMS).exists():
        _outbox("sms.rating", ticket=ticket.number, requester=ticket.requester_id)
