"""Follow-up and rework (Art. 17): the call, every merged requester's own call, and sending back to the unit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from hotline.deadlines.policy import Clock, compute
from hotline.deadlines.store import load_calendar
from hotline.directory.choices import FOLLOWUP_ROLES, REVIEW_ROLES
from hotline.lib.errors import Conflict, InvalidInput, TransitionNotAllowed
from hotline.tickets.choices import (
    DISSATISFIED_LEVELS,
    Action,
    Fault,
    FollowUpChannel,
    Satisfaction,
    Status,
    UnitContactMethod,
)
from hotline.tickets.models import Assignment, FollowUp, Ticket

if TYPE_CHECKING:
    from hotline.deadlines.calendar import Due
    from hotline.directory.models import Staff

from hotline.tickets.workflow._core import _check_transition, _estimated, _event, _move, _require_role, _text

FOLLOW_UP_UNREACHED_LIMIT = 3  # After three unanswered follow-up calls the ticket is filed as unreached.


@dataclass(frozen=True)
class Answers:
    """What a reached requester answered (Art. 17), checked: nothing here is ever defaulted."""

    satisfaction: str = ""
    solved: bool | None = None
    unit_contacted: bool | None = None
    unit_contact_method: str = ""
    fault: str = ""

    @property
    def dissatisfied(self) -> bool:
        return self.satisfaction in DISSATISFIED_LEVELS

    @property
    def unit_at_fault(self) -> bool:
        return self.dissatisfied and self.fault == Fault.UNIT


def _answers(*, satisfaction: str, solved: bool | None, unit_contacted: bool | None, unit_contact_method: str,
             fault: str) -> Answers:
    if satisfaction not in Satisfaction.values:
        raise InvalidInput("请选择满意度（五级）", field="satisfaction", code="invalid_satisfaction")
    if not isinstance(solved, bool):
        raise InvalidInput("请填写问题是否已解决", field="solved", code="required")
    # Art. 17: the call asks whether the unit contacted the requester; an unanswered question is not a "no".
    if not isinstance(unit_contacted, bool):
        raise InvalidInput("请填写承办单位是否联系过服务对象（第十七条）", field="unit_contacted", code="required")
    if unit_contacted and unit_contact_method not in UnitContactMethod.values:
        raise InvalidInput("请选择承办单位联系服务对象的方式", field="unit_contact_method", code="required")
    dissatisfied = satisfaction in DISSATISFIED_LEVELS
    if dissatisfied and fault not in Fault.values:
        raise InvalidInput("不满意时请选择原因（承办单位、政策、服务对象或客观条件）", field="fault", code="required")
    return Answers(satisfaction=satisfaction, solved=solved, unit_contacted=unit_contacted,
                   unit_contact_method=unit_contact_method if unit_contacted else "",
                   fault=fault if dissatisfied else "")


def follow_up_data(fu: FollowUp) -> dict[str, Any]:
    """What every FOLLOW_UP event carries about its record, whatever the channel: statistics and the supervision
    sweep (Art. 24(3): dissatisfied again after rework, the unit at fault) read this shape from the event log."""
    return {"follow_up": fu.pk, "channel": fu.channel, "reached": fu.reached, "satisfaction": fu.satisfaction,
            "solved": fu.solved, "unit_contacted": fu.unit_contacted, "fault": fu.fault,
            "unit_at_fault": fu.unit_at_fault}


def follow_up(ticket: Ticket, *, by: Staff, reached: bool, satisfaction: str = "", solved: bool | None = None,
              unit_contacted: bool | None = None, unit_contact_method: str = "", fault: str = "",
              note: str = "") -> FollowUp:
    """Record the follow-up call (Art. 17): satisfied, or dissatisfied not through the unit, closes the ticket;
    dissatisfied through the unit's fault sends it back for rework in the same step (two events, one transaction);
    three unanswered calls close it as unreached. On a merged ticket it is that requester's own call about the
    original's result (`_follow_up_merged`)."""
    _require_role(by, FOLLOWUP_ROLES, Action.FOLLOW_UP)
    if not isinstance(reached, bool):
        raise InvalidInput("请填写是否联系上服务对象", field="reached", code="required")
    answers = Answers()
    if reached:
        answers = _answers(satisfaction=satisfaction, solved=solved, unit_contacted=unit_contacted,
                           unit_contact_method=unit_contact_method, fault=fault)
    note = _text(note, "note", "回访记录", required=False)
    if ticket.status == Status.MERGED:
        return _follow_up_merged(ticket, by=by, reached=reached, answers=answers, note=note)
    if ticket.status != Status.RESOLVED:
        _check_transition(ticket, Action.FOLLOW_UP, Status.CLOSED)
    # Only calls about the current resolution count: a rework restarts the three-call allowance.
    unreached_before = _follow_ups_since_resolution(ticket).filter(channel=FollowUpChannel.CALL,
                                                                    reached=False).count()
    now = timezone.now()
    if reached:
        to = Status.RESOLVED if answers.unit_at_fault else Status.CLOSED
    else:
        to = Status.CLOSED if unreached_before + 1 >= FOLLOW_UP_UNREACHED_LIMIT else Status.RESOLVED
    rework_due = compute(load_calendar(), Clock.REWORK, now) if answers.unit_at_fault else None
    with transaction.atomic():
        fu = _create(ticket, by=by, channel=FollowUpChannel.CALL, now=now, reached=reached, answers=answers,
                     note=note)
        _move(ticket, Action.FOLLOW_UP, by, to=to, now=now, reason=note, article="第十七条",
              closed_at=now if to == Status.CLOSED else None, data=follow_up_data(fu))
        if to == Status.CLOSED:
            # The units' part is finished: the ticket leaves their open work, they stay its handlers (interp. 88).
            Assignment.objects.filter(ticket=ticket, is_active=True, finished_at__isnull=True).update(finished_at=now)
        if rework_due is not None:
            _rework(ticket, by=by, follow_up=fu, now=now, due=rework_due, note=note)
    return fu


def _create(ticket: Ticket, *, by: Staff | None, channel: str, now: Any, reached: bool, answers: Answers,
            note: str) -> FollowUp:
    appeal_due = None
    if answers.dissatisfied:
        appeal_due = compute(load_calendar(), Clock.APPEAL, now, amount=settings.APPEAL_WINDOW_WORKING_DAYS).at
    return FollowUp.objects.create(
        ticket=ticket, requester_id=ticket.requester_id, channel=channel, agent=by, at=now, reached=reached,
        satisfaction=answers.satisfaction, solved=answers.solved, unit_contacted=answers.unit_contacted,
        unit_contact_method=answers.unit_contact_method, fault=answers.fault, unit_at_fault=answers.unit_at_fault,
        note=note, appeal_due=appeal_due)


RATING_CHANNELS = frozenset({FollowUpChannel.PORTAL, FollowUpChannel.SMS})


def record_rating(ticket: Ticket, *, channel: str, satisfaction: str, solved: bool | None = None,
                  comment: str = "") -> FollowUp:
    """The requester's own rating from the portal or by SMS, a follow-up record of its channel (Art. 17 全面回访).

    It moves no status: the agent still calls and sees it first; a later call takes precedence in the statistics.
    Nobody is asked whose fault a dissatisfied rating is, so it never sends the ticket back; the unit may appeal it."""
    if channel not in RATING_CHANNELS:
        raise InvalidInput("评价渠道不正确", field="channel", code="invalid_channel")
    if ticket.status not in (Status.RESOLVED, Status.CLOSED):
        raise TransitionNotAllowed("工单办结后才能评价", code="not_resolved")
    if satisfaction not in Satisfaction.values:
        raise InvalidInput("请选择满意度", field="satisfaction", code="invalid_satisfaction")
    if solved is not None and not isinstance(solved, bool):
        raise InvalidInput("问题是否解决须为是或否", field="solved", code="invalid_input")
    answers = Answers(satisfaction=satisfaction, solved=solved)
    now = timezone.now()
    try:
        with transaction.atomic():
            fu = _create(ticket, by=None, channel=channel, now=now, reached=True, answers=answers,
                         note=(comment or "").strip()[:500])
            _event(ticket, Action.FOLLOW_UP, None, frm=ticket.status, to=ticket.status, at=now, reason=fu.note,
                   article="第十七条", data=follow_up_data(fu))
    except IntegrityError as exc:
        # One rating per ticket and channel; two submissions at once: the constraint lets one win.
        raise Conflict("该工单已评价", code="already_rated") from exc
    return fu


def owe_merged_calls(original: Ticket) -> int:
    """Store on each requester merged into `original` whether they are owed their own call, by the rule of
    `merged_follow_up_due`: their `follow_up_due` holds the original's while owed and is empty otherwise, so the
    desk's follow-up queue reads an index instead of every merged ticket in history (Art. 17, 并单). Called by every
    transition that changes the rule's inputs: the original resolved or reworked, a merge, a merged requester's call.
    Returns the number owed."""
    children = Ticket.objects.filter(merged_into=original, status=Status.MERGED)
    if original.status not in (Status.RESOLVED, Status.CLOSED):
        children.exclude(follow_up_due=None).update(follow_up_due=None)
        return 0
    reached = FollowUp.objects.filter(ticket=OuterRef("pk"), reached=True)
    owed = list(children.exclude(Exists(reached)).annotate(calls=Count("follow_ups"))
                .filter(calls__lt=FOLLOW_UP_UNREACHED_LIMIT).values_list("pk", flat=True))
    # A ticket resolved before the follow-up clock was stored has no due; its resolution moment marks it instead.
    due = original.follow_up_due or original.resolved_at or original.closed_at or timezone.now()
    children.filter(pk__in=owed).update(follow_up_due=due)
    children.exclude(pk__in=owed).exclude(follow_up_due=None).update(follow_up_due=None)
    return len(owed)


def merged_follow_up_due(ticket: Ticket) -> bool:
    """A merged requester is owed a call once the original is resolved, until reached or three calls went
    unanswered (Art. 17; 并单: every requester keeps their own follow-up)."""
    if ticket.status != Status.MERGED or ticket.merged_into is None:
        return False
    if ticket.merged_into.status not in (Status.RESOLVED, Status.CLOSED):
        return False
    calls = ticket.follow_ups.all()
    return not calls.filter(reached=True).exists() and calls.count() < FOLLOW_UP_UNREACHED_LIMIT


def _follow_up_merged(ticket: Ticket, *, by: Staff, reached: bool, answers: Answers, note: str) -> FollowUp:
    """Record a merged requester's call; the merged ticket keeps its status, the original is not moved by it."""
    if not merged_follow_up_due(ticket):
        raise TransitionNotAllowed("原工单办结后才能回访并单的服务对象，且每位服务对象只回访一次",
                                   code="merged_follow_up_not_due")
    now = timezone.now()
    with transaction.atomic():
        fu = _create(ticket, by=by, channel=FollowUpChannel.CALL, now=now, reached=reached, answers=answers,
                     note=note)
        data = {**follow_up_data(fu), "merged_into": ticket.merged_into.number if ticket.merged_into else ""}
        _move(ticket, Action.FOLLOW_UP, by, to=Status.MERGED, now=now, reason=note, article="第十七条", data=data)
        if ticket.merged_into is not None:
            owe_merged_calls(ticket.merged_into)
    return fu


def _follow_ups_since_resolution(ticket: Ticket) -> Any:
    # Calls about the current resolution are those after the call that sent the ticket back last time; ids, not
    # times, order them, so two actions within one clock tick are still told apart.
    last_rework = ticket.events.filter(action=Action.REWORK).order_by("-id").values_list("data", flat=True).first()
    qs = ticket.follow_ups.all()
    return qs.filter(pk__gt=last_rework["follow_up"]) if last_rework else qs


def rework(ticket: Ticket, *, by: Staff, note: str = "") -> Ticket:
    """Send back to the lead unit after a dissatisfied follow-up through the unit's fault; 5 working days (Art. 17).
    A call recorded at the unit's fault does this itself; this is for a reviewer's later decision on an older one."""
    _require_role(by, FOLLOWUP_ROLES | REVIEW_ROLES, Action.REWORK)
    # The at-fault call must be about the current resolution; an older one was already used by an earlier rework.
    latest = _follow_ups_since_resolution(ticket).filter(channel=FollowUpChannel.CALL).order_by("-at", "-id").first()
    if latest is None or not latest.unit_at_fault:
        raise TransitionNotAllowed("只有因承办单位主观原因导致回访不满意的工单才能发回重办",
                                   code="rework_not_justified")
    now = timezone.now()
    with transaction.atomic():
        _rework(ticket, by=by, follow_up=latest, now=now, due=compute(load_calendar(), Clock.REWORK, now), note=note)
    return ticket


def _rework(ticket: Ticket, *, by: Staff, follow_up: FollowUp, now: Any, due: Due, note: str) -> None:
    _require_role(by, FOLLOWUP_ROLES | REVIEW_ROLES, Action.REWORK)
    _move(ticket, Action.REWORK, by, to=Status.IN_PROGRESS, now=now, reason=note, article="第十七条",
          rework_count=ticket.rework_count + 1, rework_due=due.at, resolved_at=None, follow_up_due=None,
          due_estimated=_estimated(due), data={"follow_up": follow_up.pk})
    owe_merged_calls(ticket)  # the original is open again: its merged requesters wait for the next resolution
