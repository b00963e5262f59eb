"""Supervision's timed jobs as "handle one, return bool" functions (STYLE 6), safe to run twice and from two
workers at once: the unique trigger record decides who handled a ticket. Scheduled in `hotline.ops.schedule`."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from hotline.deadlines.policy import Clock
from hotline.intake.hotspots import find_hotspots
from hotline.lib.errors import InvalidInput
from hotline.supervision import cases, triggers
from hotline.supervision.choices import ProposalState, Trigger
from hotline.supervision.models import TriggerRecord
from hotline.tickets.models import Ticket
from hotline.tickets.selectors import dissatisfied_after_rework_q, running

log = logging.getLogger(__name__)


def _untriggered(rule: str) -> Q:
    return ~Q(Exists(TriggerRecord.objects.filter(rule=rule, ticket=OuterRef("pk"))))


def supervise_one_overdue(now: dt.datetime | None = None) -> bool:
    """Art. 24(1): one ticket past its handling or rework deadline, not yet supervised for it."""
    now = now or timezone.now()
    late = (running(Clock.HANDLING) & Q(handling_due__lte=now)) | (running(Clock.REWORK) & Q(rework_due__lte=now))
    ticket = (Ticket.objects.filter(late).filter(_untriggered(Trigger.OVERDUE)).select_related("lead_unit")
              .order_by("handling_due", "id").first())
    if ticket is None:
        return False
    triggers.fire(Trigger.OVERDUE, [ticket], now=now)
    return True


def supervise_one_dissatisfied(now: dt.datetime | None = None) -> bool:
    """Art. 24(3): one ticket dissatisfied again after rework through the unit's fault."""
    now = now or timezone.now()
    ticket = (Ticket.objects.filter(dissatisfied_after_rework_q()).filter(
        _untriggered(Trigger.DISSATISFIED_AFTER_REWORK)).select_related("lead_unit").order_by("id").first())
    if ticket is None:
        return False
    triggers.fire(Trigger.DISSATISFIED_AFTER_REWORK, [ticket], now=now)
    return True


def supervise_one_hotspot(now: dt.datetime | None = None) -> bool:
    """Art. 24(2): one growing hotspot with tickets not yet supervised: they join the live case that holds its
    other tickets, or fire the rule for the hotspot as a whole."""
    now = now or timezone.now()
    for spot in find_hotspots(now):
        if spot.growth <= 0:
            continue
        done = set(TriggerRecord.objects.filter(rule=Trigger.HOTSPOT, ticket__in=spot.tickets)
                   .values_list("ticket_id", flat=True))
        new = [t for t in spot.tickets if t.pk not in done]
        if not new:
            continue
        case = triggers.live_case_with(Trigger.HOTSPOT, spot.tickets) if done else None
        if case is None:
            return triggers.fire(Trigger.HOTSPOT, new, now=now, group=spot.key, matter=f"{spot.place}{spot.matter}")
        TriggerRecord.objects.bulk_create([TriggerRecord(
            rule=Trigger.HOTSPOT, ticket=t, group=spot.key, state=ProposalState.OPENED, case=case, fired_at=now,
            decided_at=now) for t in new], ignore_conflicts=True)
        with contextlib.suppress(InvalidInput):  # another worker added them first
            cases.join(case, tickets=new, by=None, now=now)
        return True
    return False
