"""Every supervision-case action, one function each (STYLE 1-3), the only writer of `SupervisionCase.status`.

Each checks the actor's role, the case's status against `CASE_TRANSITIONS` and the rule's own conditions, moves the
row by compare-and-swap on (status, version) and writes one sealed `CaseEvent` in the same transaction (Art. 24).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hotline.deadlines.policy import (
    MAX_SUPERVISION_EXTENSION_WORKING_DAYS,
    SUPERVISION_ARTICLE,
    supervision_working_days,
)
from hotline.deadlines.store import load_calendar
from hotline.directory.choices import UnitKind
from hotline.directory.models import Unit
from hotline.lib.errors import ConcurrentChange, InvalidInput, TransitionNotAllowed
from hotline.supervision._core import days, event, move, require_supervisor, require_target_unit, text
from hotline.supervision.choices import (
    EVIDENCE,
    EVIDENCE_FIELDS,
    TRIGGER_ARTICLES,
    CaseAction,
    CaseStatus,
    Method,
    Trigger,
    UrgeMethod,
)
from hotline.supervision.models import CaseCounter, CaseExtension, CaseReply, SupervisionCase, UrgeAttempt
from hotline.tickets.choices import OPEN_STATUSES, ReviewState
from hotline.tickets.models import Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff


def _next_number(now: dt.datetime) -> str:
    """督办〔YYYY〕第N号, numbered per year; the UPDATE takes the row lock, so two openings get two numbers."""
    year = timezone.localtime(now).year
    if not CaseCounter.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                CaseCounter.objects.create(year=year, last=1)
        except IntegrityError:
            CaseCounter.objects.filter(year=year).update(last=F("last") + 1)
    return f"督办〔{year}〕第{CaseCounter.objects.get(year=year).last}号"


def _evidence(trigger: str, given: dict[str, Any] | None) -> dict[str, str]:
    """The evidence the trigger needs (文号, media link, deduction notice…), every listed field filled in."""
    given = dict(given or {})
    unknown = set(given) - EVIDENCE_FIELDS
    if unknown:
        raise InvalidInput(f"不支持的依据材料字段：{'、'.join(sorted(unknown))}", field="evidence",
                           code="invalid_evidence")
    out: dict[str, str] = {}
    for name, label in EVIDENCE.get(trigger, ()):
        value = given.get(name)
        if not isinstance(value, str):
            value = ""
        out[name] = text(value, f"evidence.{name}", label, max_chars=500)
    link = out.get("media_link", "")
    if link and not link.startswith(("http://", "https://")):
        raise InvalidInput("报道链接须以 http:// 或 https:// 开头", field="evidence.media_link", code="invalid_link")
    return out


def _units(tickets: Sequence[Ticket], units: Sequence[Unit] | None) -> list[Unit]:
    chosen = list(dict.fromkeys(units or [t.lead_unit for t in tickets if t.lead_unit is not None]))
    if not chosen:
        raise InvalidInput("请选择督办对象单位", field="units", code="units_required")
    for unit in chosen:
        if not unit.is_active or unit.kind == UnitKind.HOTLINE:
            raise InvalidInput("请选择有效的督办对象单位", field="units", code="invalid_unit")
    return chosen


def open_case(*, by: Staff | None, trigger: str, method: str, tickets: Sequence[Ticket], title: str = "",
              units: Sequence[Unit] | None = None, evidence: dict[str, Any] | None = None,
              now: dt.datetime | None = None) -> SupervisionCase:
    """Open a case on one or more tickets for one of the eight matters of Art. 24; the due is 5 working days for
    system supervision and 10 for the other methods. `by=None` is an automatic trigger (a sweep)."""
    if by is not None:
        require_supervisor(by, CaseAction.OPEN)
    elif trigger not in (Trigger.OVERDUE, Trigger.HOTSPOT, Trigger.DISSATISFIED_AFTER_REWORK):
        raise InvalidInput("只有逾期、热点、重办后仍不满意可由系统自动督办", field="trigger", code="invalid_trigger")
    if trigger not in Trigger.values:
        raise InvalidInput("请选择督办情形（第二十四条所列八类）", field="trigger", code="invalid_trigger")
    if method not in Method.values:
        raise InvalidInput("请选择督办方式", field="method", code="invalid_method")
    tickets = list(dict.fromkeys(tickets))
    if not tickets:
        raise InvalidInput("督办件须关联至少一件工单", field="tickets", code="tickets_required")
    found = _evidence(trigger, evidence)
    targets = _units(tickets, units)
    title = text(title or tickets[0].title or tickets[0].content[:60], "title", "督办事项", max_chars=200)
    now = now or timezone.now()
    amount = supervision_working_days(method)
    due = load_calendar().add_working_days(now, amount)
    with transaction.atomic():
        case = SupervisionCase.objects.create(
            number=_next_number(now), title=title, trigger=trigger, evidence=found, method=method,
            automatic=by is None, opened_by=by, opened_at=now, due_days=amount, due_at=due.at,
            due_estimated=due.estimated)
        case.tickets.set(tickets)
        case.units.set(targets)
        event(case=case, action=CaseAction.OPEN, by=by, frm="", to=CaseStatus.OPEN, at=now,
              article=f"{TRIGGER_ARTICLES[trigger]}、{SUPERVISION_ARTICLE}",
              data={"trigger": trigger, "method": method, "tickets": [t.number for t in tickets],
                    "units": [u.code for u in targets], "due": due.at.astimezone(dt.UTC).isoformat(),
                    "working_days": amount, "evidence": found})
    return case


def join(case: SupervisionCase, *, tickets: Sequence[Ticket], by: Staff | None,
         now: dt.datetime | None = None) -> SupervisionCase:
    """Add tickets to a live case: a hotspot that keeps growing stays one case (第二十四条第二项)."""
    if by is not None:
        require_supervisor(by, CaseAction.JOIN)
    new = [t for t in dict.fromkeys(tickets) if not case.tickets.filter(pk=t.pk).exists()]
    if not new:
        raise InvalidInput("这些工单已在本督办件中", field="tickets", code="already_in_case")
    now = now or timezone.now()
    with transaction.atomic():
        move(case, CaseAction.JOIN, by, now=now, article="第二十四条第二项",
             data={"tickets": [t.number for t in new]})
        case.tickets.add(*new)
        extra = [t.lead_unit for t in new if t.lead_unit is not None]
        case.units.add(*extra)
    return case


def urge(case: SupervisionCase, *, by: Staff, method: str, person_reached: str, promise: str = "",
         unit: Unit | None = None) -> UrgeAttempt:
    """Log one urge (催办): how, when, the person reached and what they promised; the case stays where it is."""
    require_supervisor(by, CaseAction.URGE)
    if method not in UrgeMethod.values:
        raise InvalidInput("请选择催办方式", field="method", code="invalid_method")
    person = text(person_reached, "person_reached", "联系人", max_chars=100)
    promise = text(promise, "promise", "承诺事项", required=False)
    if unit is not None and not case.units.filter(pk=unit.pk).exists():
        raise InvalidInput("催办单位须为本督办件的督办对象", field="unit", code="invalid_unit")
    now = timezone.now()
    with transaction.atomic():
        attempt = UrgeAttempt.objects.create(case=case, by=by, at=now, method=method, unit=unit,
                                             person_reached=person, promise=promise)
        move(case, CaseAction.URGE, by, now=now, reason=promise,
             data={"urge": attempt.pk, "method": method, "person_reached": person,
                   "unit": unit.code if unit else ""})
    return attempt


def reply(case: SupervisionCase, *, by: Staff, actions_taken: str, result: str, evidence: str = "") -> CaseReply:
    """A target unit answers: what was done, the result and the evidence (Art. 24)."""
    unit_id = require_target_unit(case, by, CaseAction.REPLY)
    actions_taken = text(actions_taken, "actions_taken", "办理措施")
    result = text(result, "result", "办理结果")
    evidence = text(evidence, "evidence", "佐证材料", required=False)
    now = timezone.now()
    with transaction.atomic():
        rep = CaseReply.objects.create(case=case, unit_id=unit_id, actions_taken=actions_taken, result=result,
                                       evidence=evidence, by=by, at=now)
        move(case, CaseAction.REPLY, by, now=now, reason=result, answered_at=now,
             data={"reply": rep.pk, "due": case.current_due.astimezone(dt.UTC).isoformat(),
                   "late": now >= case.current_due})
    return rep


def _pending_reply(case: SupervisionCase) -> CaseReply:
    rep = case.replies.filter(state=ReviewState.PENDING).order_by("-at", "-id").first()
    if rep is None:
        raise TransitionNotAllowed("没有待审核的督办反馈", code="no_pending_reply")
    return rep


def accept(case: SupervisionCase, *, by: Staff, note: str = "") -> SupervisionCase:
    """Close the case on the unit's answer; every ticket of it must be dealt with first, so one closed ticket of
    a hotspot case leaves the case open (Art. 24)."""
    require_supervisor(by, CaseAction.ACCEPT)
    open_numbers = list(case.tickets.filter(status__in=OPEN_STATUSES).values_list("number", flat=True))
    if open_numbers:
        raise TransitionNotAllowed(f"督办件所涉工单尚未全部办结：{'、'.join(sorted(open_numbers))}",
                                   code="tickets_open", tickets=sorted(open_numbers))
    rep = case.replies.filter(state=ReviewState.PENDING).order_by("-at", "-id").first()
    if rep is None and case.status != CaseStatus.ESCALATED:
        raise TransitionNotAllowed("没有待审核的督办反馈", code="no_pending_reply")
    now = timezone.now()
    note = text(note, "note", "审核意见", required=False)
    with transaction.atomic():
        move(case, CaseAction.ACCEPT, by, now=now, reason=note, closed_at=now,
             data={"reply": rep.pk if rep else None})
        if rep is not None and CaseReply.objects.filter(pk=rep.pk, state=ReviewState.PENDING).update(
                state=ReviewState.APPROVED, review_note=note) != 1:
            raise ConcurrentChange("督办反馈已被他人审核")
    return case


def send_back(case: SupervisionCase, *, by: Staff, note: str) -> SupervisionCase:
    """Refuse the answer: the case goes back to the unit under the same due (Art. 24)."""
    require_supervisor(by, CaseAction.SEND_BACK)
    rep = _pending_reply(case)
    note = text(note, "note", "退回理由")
    now = timezone.now()
    with transaction.atomic():
        move(case, CaseAction.SEND_BACK, by, now=now, reason=note, answered_at=None, data={"reply": rep.pk})
        if CaseReply.objects.filter(pk=rep.pk, state=ReviewState.PENDING).update(
                state=ReviewState.REJECTED, review_note=note) != 1:
            raise ConcurrentChange("督办反馈已被他人审核")
    return case


def request_extension(case: SupervisionCase, *, by: Staff, working_days: int, reason: str) -> CaseExtension:
    """A complex case may ask once, before its due, for at most 10 more working days (Art. 24)."""
    unit_id = require_target_unit(case, by, CaseAction.REQUEST_EXTENSION)
    working_days = days(working_days, "working_days", MAX_SUPERVISION_EXTENSION_WORKING_DAYS, "延期天数")
    reason = text(reason, "reason", "延期理由")
    now = timezone.now()
    if now >= case.current_due:
        raise TransitionNotAllowed("延期申请须在督办时限届满前提出", code="deadline_passed")
    if case.extensions.exclude(state=ReviewState.REJECTED).exists():
        raise TransitionNotAllowed("督办事项只能申请延期一次", code="extension_used")
    with transaction.atomic():
        ext = CaseExtension.objects.create(case=case, unit_id=unit_id, working_days=working_days, reason=reason,
                                           old_due=case.due_at, requested_by=by, requested_at=now)
        move(case, CaseAction.REQUEST_EXTENSION, by, now=now, reason=reason,
             data={"extension": ext.pk, "working_days": working_days})
    return ext


def review_extension(case: SupervisionCase, *, by: Staff, approve: bool, note: str = "") -> SupervisionCase:
    """Approve (the due moves by the days asked, counted from the last day of the first period) or reject."""
    require_supervisor(by, CaseAction.REVIEW_EXTENSION)
    ext = case.extensions.filter(state=ReviewState.PENDING).first()
    if ext is None:
        raise TransitionNotAllowed("没有待审核的延期申请", code="no_pending_extension")
    if not isinstance(approve, bool):
        raise InvalidInput("审核结果须为 true 或 false", field="approve", code="invalid_input")
    note = text(note, "note", "不通过的理由", required=not approve)
    now = timezone.now()
    fields: dict[str, Any] = {}
    new_due = None
    if approve:
        due = load_calendar().extend(ext.old_due, ext.working_days)
        new_due = due.at
        fields = {"extended_due_at": new_due, "due_estimated": due.estimated}
    with transaction.atomic():
        move(case, CaseAction.REVIEW_EXTENSION, by, now=now, reason=note,
             data={"extension": ext.pk, "approved": approve,
                   "new_due": new_due.astimezone(dt.UTC).isoformat() if new_due else None}, **fields)
        if CaseExtension.objects.filter(pk=ext.pk, state=ReviewState.PENDING).update(
                state=ReviewState.APPROVED if approve else ReviewState.REJECTED, reviewed_by=by, reviewed_at=now,
                review_note=note, new_due=new_due) != 1:
            raise ConcurrentChange("延期申请已被他人审核")
    return case


def escalate(case: SupervisionCase, *, by: Staff, note: str) -> SupervisionCase:
    """Still unresolved after supervision: the hotline's authority reports it to the city government's inspection
    office (第二十四条). Not before the due (with any extension); once per case."""
    require_supervisor(by, CaseAction.ESCALATE)
    note = text(note, "note", "呈报说明")
    now = timezone.now()
    if case.escalated_at is not None:
        raise TransitionNotAllowed("该督办件已呈报市政府督查室", code="already_escalated")
    if now < case.current_due:
        raise TransitionNotAllowed("督办时限届满前不能呈报市政府督查室", code="not_due_yet")
    with transaction.atomic():
        move(case, CaseAction.ESCALATE, by, now=now, reason=note, escalated_at=now, escalated_by=by,
             escalation_note=note, data={"due": case.current_due.astimezone(dt.UTC).isoformat()})
    return case
