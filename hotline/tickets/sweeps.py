"""The tickets' timed jobs as "handle one, return bool" functions (STYLE 6); safe to run twice and from two workers
at once. The whole schedule, with every app's jobs, is declared in `hotline.ops.schedule`.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Exists, OuterRef
from django.utils import timezone

from hotline.deadlines.policy import RULES, Clock
from hotline.lib.errors import ConcurrentChange, TransitionNotAllowed
from hotline.tickets import workflow
from hotline.tickets.choices import AlertKind, Status
from hotline.tickets.models import ClockAlert, Ticket
from hotline.tickets.selectors import SWEPT_CLOCK_COLUMNS, running

log = logging.getLogger(__name__)

def deem_one_signed(now: dt.datetime | None = None) -> bool:
    """Deem one unsigned ticket signed whose signing deadline has passed (Art. 13)."""
    now = now or timezone.now()
    # Ordered by the deadline, so the (status, sign_due) index finds the earliest due at once; the model's default
    # order (newest first) would walk every ticket's creation time to learn that nothing is due.
    # A ticket handed down or passed up to another platform is deemed signed by it the same way (Art. 30).
    ticket = (Ticket.objects.filter(status__in=(Status.DISPATCHED, Status.TRANSFERRING), sign_due__lte=now)
              .select_related("topic", "platform").order_by("sign_due", "pk").first())
    if ticket is None:
        return False
    try:
        if ticket.status == Status.TRANSFERRING:
            workflow.sign_transfer(ticket, by=None, now=now)
        else:
            workflow.deem_signed(ticket, now=now)
    except ConcurrentChange:
        log.info("deem_one_signed: %s moved by someone else", ticket.number)  # the next query will not pick it again
    except TransitionNotAllowed:
        # The query and the workflow disagree about this ticket: stop here rather than retry it for ever.
        log.warning("deem_one_signed: the workflow refused %s", ticket.number)
        return False
    return True


def _alert_one(kind: str, now: dt.datetime) -> bool:
    for clock, (column, _statuses, _extra) in SWEPT_CLOCK_COLUMNS.items():
        if clock == Clock.SIGN and kind == AlertKind.BREACH:
            continue  # an unsigned ticket past its deadline is deemed signed instead (Art. 13)
        window = {f"{column}__lte": now} if kind == AlertKind.BREACH else {
            f"{column}__gt": now, f"{column}__lte": now + RULES[clock].warn_before}
        already = ClockAlert.objects.filter(ticket=OuterRef("pk"), clock=clock.value, kind=kind,
                                            due=OuterRef(column))
        ticket = Ticket.objects.filter(running(clock), **window).exclude(Exists(already)).order_by(column).first()
        if ticket is not None:
            workflow.record_alert(ticket, clock=clock.value, kind=kind, due=getattr(ticket, column), now=now)
            return True
    return False


def mark_one_overdue(now: dt.datetime | None = None) -> bool:
    """Record one breached deadline (dispatch, consult, handling, rework, arrival, follow-up) as an alert and an
    event."""
    return _alert_one(AlertKind.BREACH, now or timezone.now())


def warn_one(now: dt.datetime | None = None) -> bool:
    """Record one deadline about to pass (within the clock's warning period)."""
    return _alert_one(AlertKind.WARNING, now or timezone.now())
