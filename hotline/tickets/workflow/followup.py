"""Follow-up and rework (Art. 17): the call, every merged requester's own call, and sending back to the unit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from hotline.deadlines.policy import Clock, compute
from hotline.deadlines.store import load_calendar
from hotline.directory.choices import FOLLOWUP_ROLES, REVIEW_ROLES
from hotline.lib.errors import InvalidInput, TransitionNotAllowed
from hotline.tickets.choices import DISSATISFIED_LEVELS, Action, Satisfaction, Status
from hotline.tickets.models import FollowUp, Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff

from hotline.tickets.workflow._core import _estimated, _move, _require_role, _text

FOLLOW_UP_UNREACHED_LIMIT = 3  # After three unanswered follow-up calls the ticket is filed as unreached.


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
    _require_role(by, FOLLOWUP_ROLES | REVIEW_ROLES, Action.REWORK)
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
