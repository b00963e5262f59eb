"""Difficult matters (疑难事项, Art. 19): the pool, the coordination meeting, and the decision that fixes the owner and
re-dispatches the ticket through the ticket workflow, optionally writing the dispatch catalogue's next version; or,
still undetermined, a city leader named and a trigger-(4) case opened ("谁主管、谁包办"). A decision naming a unit
that had returned the ticket records 推诿 for the assessment (Art. 27). One sealed event per action."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from hotline.directory.choices import UnitKind
from hotline.directory.models import Unit
from hotline.intake import catalogue
from hotline.lib.errors import ConcurrentChange, InvalidInput, TransitionNotAllowed
from hotline.supervision import cases
from hotline.supervision._core import event, require_supervisor, text
from hotline.supervision.choices import CaseAction, CoordinationStatus, FlagSource, Method, Trigger
from hotline.supervision.models import Coordination, Shirk
from hotline.tickets import workflow
from hotline.tickets.choices import OPEN_STATUSES, Action, ReviewState
from hotline.tickets.models import Event, ReturnRequest, Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff


def _limits() -> tuple[int, int]:
    return (int(getattr(settings, "DIFFICULT_MATTER_PASSES", 3)), int(getattr(settings, "DIFFICULT_MATTER_REWORKS", 3)))


def passes(ticket: Ticket) -> int:
    """How often the ticket changed hands: approved returns and coordination re-dispatches."""
    return ticket.events.filter(Q(action=Action.REVIEW_RETURN, data__approved=True) | Q(action=Action.REDISPATCH)
                                ).count()


def difficult_q() -> Q:
    """Tickets the pool takes by itself (settings; WAVE2 §3): ≥3 approved returns or re-dispatches, or ≥3 reworks."""
    most_passes, most_reworks = _limits()
    moved = (Event.objects.filter(ticket=OuterRef("pk")).filter(
        Q(action=Action.REVIEW_RETURN, data__approved=True) | Q(action=Action.REDISPATCH))
        .order_by().values("ticket").annotate(n=Count("pk")).filter(n__gte=most_passes))
    return Q(status__in=OPEN_STATUSES) & (Q(rework_count__gte=most_reworks) | Q(Exists(moved)))


def _flag(ticket: Ticket, *, by: Staff | None, source: str, reason: str, now: dt.datetime) -> Coordination:
    try:
        with transaction.atomic():
            coord = Coordination.objects.create(ticket=ticket, source=source, flag_reason=reason, flagged_by=by,
                                                flagged_at=now)
            event(coordination=coord, action=CaseAction.FLAG, by=by, frm="", to=CoordinationStatus.POOL, at=now,
                  reason=reason, article="第十九条", data={"ticket": ticket.number, "source": source})
    except IntegrityError:
        raise TransitionNotAllowed("该工单已在疑难工单池中", code="already_flagged") from None
    return coord


def flag(ticket: Ticket, *, by: Staff, reason: str) -> Coordination:
    """Put a ticket in the pool by hand: responsibility unclear or shared (Art. 19)."""
    require_supervisor(by, CaseAction.FLAG)
    return _flag(ticket, by=by, source=FlagSource.MANUAL, reason=text(reason, "reason", "列入原因", max_chars=200),
                 now=timezone.now())


def flag_one_difficult(now: dt.datetime | None = None) -> bool:
    """Sweep: put one ticket that keeps bouncing in the pool (handle one, return bool)."""
    now = now or timezone.now()
    ticket = (Ticket.objects.filter(difficult_q()).exclude(Exists(Coordination.objects.filter(ticket=OuterRef("pk"))))
              .order_by("id").first())
    if ticket is None:
        return False
    reason = f"退回或改派{passes(ticket)}次、重办{ticket.rework_count}次"
    with contextlib.suppress(TransitionNotAllowed):  # another worker flagged it first
        _flag(ticket, by=None, source=FlagSource.AUTO, reason=reason, now=now)
    return True


def _cas(coord: Coordination, to: str, **fields: object) -> None:
    if coord.status != CoordinationStatus.POOL:
        raise TransitionNotAllowed(f"该疑难事项已处理（{coord.get_status_display()}）", code="coordination_decided")
    if Coordination.objects.filter(pk=coord.pk, status=CoordinationStatus.POOL, version=coord.version).update(
            status=to, version=F("version") + 1, **fields) != 1:
        raise ConcurrentChange("该疑难事项已被他人处理，请刷新后重试")
    coord.refresh_from_db()


def record_meeting(coord: Coordination, *, by: Staff, meeting_at: dt.datetime, units_present: Sequence[Unit],
                   minutes: str) -> Coordination:
    """The coordination meeting: when, which units came, the minutes (Art. 19: 召集相关职能部门研究协调)."""
    require_supervisor(by, CaseAction.MEETING)
    minutes = text(minutes, "minutes", "会议纪要", max_chars=5000)
    if not units_present:
        raise InvalidInput("请选择参会单位", field="units_present", code="units_required")
    if meeting_at.tzinfo is None:
        raise InvalidInput("会议时间须带时区", field="meeting_at", code="invalid_meeting_at")
    now = timezone.now()
    with transaction.atomic():
        _cas(coord, CoordinationStatus.POOL, meeting_at=meeting_at, minutes=minutes)
        coord.units_present.set(units_present)
        event(coordination=coord, action=CaseAction.MEETING, by=by, frm=CoordinationStatus.POOL,
              to=CoordinationStatus.POOL, at=now, reason=minutes[:200], article="第十九条",
              data={"meeting_at": meeting_at.astimezone(dt.UTC).isoformat(),
                    "units_present": [u.code for u in units_present]})
    return coord


def decide(coord: Coordination, *, by: Staff, lead_unit: Unit, assisting_units: Sequence[Unit] = (), basis: str,
           update_catalogue: bool = False) -> Coordination:
    """Fix the owner: re-dispatch the ticket to it (the sign clock starts again), record 推诿 for each unit named
    that had returned the ticket, and when asked write the catalogue's next version for the ticket's topic."""
    require_supervisor(by, CaseAction.DECIDE)
    basis = text(basis, "basis", "确定依据")
    ticket = coord.ticket
    if update_catalogue and ticket.topic is None:
        raise InvalidInput("工单没有事项分类，不能更新派单目录", field="update_catalogue", code="no_topic")
    named = [lead_unit, *assisting_units]
    shirkers = list(Unit.objects.filter(pk__in=ReturnRequest.objects.filter(
        ticket=ticket, state=ReviewState.APPROVED, unit__in=named).values("unit")))
    now = timezone.now()
    with transaction.atomic():
        _cas(coord, CoordinationStatus.DECIDED, lead_unit=lead_unit, basis=basis, decided_by=by, decided_at=now,
             catalogue_changed=update_catalogue)
        coord.assisting_units.set(assisting_units)
        workflow.redispatch(ticket, by=by, lead_unit=lead_unit, assisting_units=assisting_units, basis=basis)
        for unit in shirkers:
            Shirk.objects.create(unit=unit, ticket=ticket, coordination=coord, at=now)
        if update_catalogue and ticket.topic is not None:
            region = ticket.region if ticket.region and ticket.region.kind == UnitKind.COUNTY else None
            catalogue.set_rule(topic=ticket.topic, region=region, lead_unit=lead_unit,
                               assisting_units=assisting_units, by=by, note=f"疑难事项协调：{basis}"[:200])
        event(coordination=coord, action=CaseAction.DECIDE, by=by, frm=CoordinationStatus.POOL,
              to=CoordinationStatus.DECIDED, at=now, reason=basis, article="第十九条、第二十七条" if shirkers
              else "第十九条", data={"lead_unit": lead_unit.code, "assisting_units": [u.code for u in assisting_units],
                                     "shirk": [u.code for u in shirkers], "catalogue": update_catalogue})
    return coord


def undetermined(coord: Coordination, *, by: Staff, leader: str, note: str = "") -> Coordination:
    """Still undetermined after coordination: name the city leader and open a trigger-(4) case by letter, on the
    principle "谁主管、谁包办" (Art. 19, 24(4))."""
    require_supervisor(by, CaseAction.UNDETERMINED)
    leader = text(leader, "leader", "提请督办的市政府领导", max_chars=100)
    ticket = coord.ticket
    units = list(coord.units_present.all()) or ([ticket.lead_unit] if ticket.lead_unit else [])
    now = timezone.now()
    with transaction.atomic():
        case = cases.open_case(by=by, trigger=Trigger.ASSIGNED, method=Method.LETTER, tickets=[ticket],
                               units=units, title=f"疑难事项提请市政府领导督办：{ticket.title or ticket.content[:40]}",
                               evidence={"document_number": f"协调未果，提请{leader}督办（第十九条）"}, now=now)
        _cas(coord, CoordinationStatus.UNDETERMINED, leader=leader, case=case, decided_by=by, decided_at=now)
        event(coordination=coord, action=CaseAction.UNDETERMINED, by=by, frm=CoordinationStatus.POOL,
              to=CoordinationStatus.UNDETERMINED, at=now, reason=note, article="第十九条、第二十四条第四项",
              data={"leader": leader, "case": case.number})
    return coord
