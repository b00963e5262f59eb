"""Automatic triggers (Art. 24(1)-(3)): overdue tickets, growing hotspots and dissatisfaction after rework through
the unit's fault. Each fires exactly once per rule and ticket (a unique `TriggerRecord`), and either opens a system
supervision case at once or proposes one in the supervisor's queue (`SUPERVISION_AUTO_MODE`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from hotline.lib.errors import InvalidInput, TransitionNotAllowed
from hotline.supervision import cases
from hotline.supervision._core import auto_mode, require_supervisor, text
from hotline.supervision.choices import LIVE_STATUSES, CaseAction, Method, ProposalState, Trigger
from hotline.supervision.models import SupervisionCase, TriggerRecord
from hotline.tickets.models import Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff, Unit

TITLES = {
    Trigger.OVERDUE: "逾期未办结：{title}",
    Trigger.HOTSPOT: "集中投诉热点：{title}",
    Trigger.DISSATISFIED_AFTER_REWORK: "重办后仍不满意：{title}",
}


def _title(rule: str, tickets: Sequence[Ticket], matter: str = "") -> str:
    first = tickets[0]
    return TITLES[Trigger(rule)].format(title=matter or first.title or first.content[:40])[:200]


def fire(rule: str, tickets: Sequence[Ticket], *, now: dt.datetime, group: str = "", matter: str = "") -> bool:
    """Record that `rule` fired for `tickets`; open the case or leave it proposed. False if another worker (or an
    earlier round) already recorded one of them: the rule never fires twice for a ticket."""
    try:
        with transaction.atomic():
            records = [TriggerRecord.objects.create(rule=rule, ticket=t, group=group, state=ProposalState.PROPOSED,
                                                    fired_at=now) for t in tickets]
            # A hotspot still waiting for dispatch has no unit to supervise yet: it stays a proposal.
            if auto_mode() == "open" and any(t.lead_unit_id for t in tickets):
                case = cases.open_case(by=None, trigger=rule, method=Method.SYSTEM, tickets=tickets,
                                       title=_title(rule, tickets, matter), now=now)
                TriggerRecord.objects.filter(pk__in=[r.pk for r in records]).update(
                    state=ProposalState.OPENED, case=case, decided_at=now)
    except IntegrityError:
        return False
    return True


def proposals() -> list[list[TriggerRecord]]:
    """The supervisor's queue: proposed records grouped as they fired (a hotspot's tickets together)."""
    groups: dict[tuple[str, str], list[TriggerRecord]] = {}
    for record in TriggerRecord.objects.filter(state=ProposalState.PROPOSED).select_related("ticket").order_by(
            "fired_at", "id"):
        key = (record.rule, record.group or f"ticket:{record.ticket_id}")
        groups.setdefault(key, []).append(record)
    return list(groups.values())


def _proposal(record_id: int) -> list[TriggerRecord]:
    record = TriggerRecord.objects.filter(pk=record_id).first()
    if record is None:
        raise InvalidInput("自动督办提议不存在", field="proposal", code="unknown_proposal")
    if record.state != ProposalState.PROPOSED:
        raise TransitionNotAllowed("该提议已处理", code="proposal_decided")
    qs = TriggerRecord.objects.filter(state=ProposalState.PROPOSED, rule=record.rule)
    qs = qs.filter(group=record.group) if record.group else qs.filter(pk=record.pk)
    return list(qs.select_related("ticket", "ticket__lead_unit"))


def open_proposal(record_id: int, *, by: Staff, method: str = Method.SYSTEM,
                  units: Sequence[Unit] | None = None) -> SupervisionCase:
    """The supervisor opens the proposed case (all tickets of its group together), naming the units when the
    tickets have no lead unit yet."""
    require_supervisor(by, CaseAction.OPEN)
    records = _proposal(record_id)
    now = timezone.now()
    tickets = [r.ticket for r in records]
    with transaction.atomic():
        if TriggerRecord.objects.filter(pk__in=[r.pk for r in records], state=ProposalState.PROPOSED).update(
                state=ProposalState.OPENED, decided_by=by, decided_at=now) != len(records):
            raise TransitionNotAllowed("该提议已被他人处理", code="proposal_decided")
        case = cases.open_case(by=by, trigger=records[0].rule, method=method, tickets=tickets, units=units,
                               title=_title(records[0].rule, tickets), now=now)
        TriggerRecord.objects.filter(pk__in=[r.pk for r in records]).update(case=case)
    return case


def dismiss_proposal(record_id: int, *, by: Staff, note: str) -> int:
    """The supervisor decides not to supervise; the rule still counts as fired for these tickets."""
    require_supervisor(by, CaseAction.OPEN)
    note = text(note, "note", "不予督办的理由")
    records = _proposal(record_id)
    return TriggerRecord.objects.filter(pk__in=[r.pk for r in records], state=ProposalState.PROPOSED).update(
        state=ProposalState.DISMISSED, decided_by=by, decided_at=timezone.now(), note=note)


def live_case_with(rule: str, tickets: Sequence[Ticket]) -> SupervisionCase | None:
    """A live case of `rule` that already holds one of `tickets` (a hotspot that keeps growing)."""
    return (SupervisionCase.objects.filter(trigger=rule, status__in=LIVE_STATUSES, tickets__in=list(tickets))
            .order_by("opened_at").first())
