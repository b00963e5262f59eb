"""Timed jobs as "handle one, return bool" functions (STYLE 6); safe to run twice and from two workers at once.

`SCHEDULE` is the whole schedule; the embedded loop (`run_all`) and Celery beat both read it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from hotline.deadlines.policy import RULES, Clock
from hotline.lib.errors import ConcurrentChange, TransitionNotAllowed
from hotline.tickets import outbox, workflow
from hotline.tickets.choices import AlertKind, Status
from hotline.tickets.models import ClockAlert, Ticket

log = logging.getLogger(__name__)

# Which stored column each clock reads, and in which statuses it is running.
CLOCK_COLUMNS: dict[Clock, tuple[str, tuple[str, ...], Q]] = {
    Clock.DISPATCH: ("dispatch_due", (Status.PENDING_DISPATCH,), Q()),
    Clock.CONSULT: ("consult_due", (Status.CONSULTING,), Q()),
    Clock.SIGN: ("sign_due", (Status.DISPATCHED,), Q()),
    Clock.HANDLING: ("handling_due", (Status.IN_PROGRESS, Status.RETURN_REQUESTED), Q(rework_due__isnull=True)),
    Clock.REWORK: ("rework_due", (Status.IN_PROGRESS,), Q()),
    Clock.ARRIVAL: ("arrival_due", (Status.DISPATCHED, Status.IN_PROGRESS), Q(arrived_at__isnull=True)),
}


def running(clock: Clock) -> Q:
    """Tickets on which `clock` is running now."""
    column, statuses, extra = CLOCK_COLUMNS[clock]
    return Q(status__in=statuses, **{f"{column}__isnull": False}) & extra


def overdue_q(now: dt.datetime) -> Q:
    """Tickets with any running clock past its due time (the "overdue" filter of lists and the API)."""
    q = Q(pk__in=[])
    for clock, (column, _statuses, _extra) in CLOCK_COLUMNS.items():
        q |= running(clock) & Q(**{f"{column}__lte": now})
    return q


def deem_one_signed(now: dt.datetime | None = None) -> bool:
    """Deem one unsigned ticket signed whose signing deadline has passed (Art. 13)."""
    now = now or timezone.now()
    ticket = Ticket.objects.filter(status=Status.DISPATCHED, sign_due__lte=now).select_related("topic").first()
    if ticket is None:
        return False
    try:
        workflow.deem_signed(ticket, now=now)
    except ConcurrentChange:
        log.info("deem_one_signed: %s moved by someone else", ticket.number)  # the next query will not pick it again
    except TransitionNotAllowed:
        # The query and the workflow disagree about this ticket: stop here rather than retry it for ever.
        log.warning("deem_one_signed: the workflow refused %s", ticket.number)
        return False
    return True


def _alert_one(kind: str, now: dt.datetime) -> bool:
    for clock, (column, _statuses, _extra) in CLOCK_COLUMNS.items():
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
    """Record one breached deadline (dispatch, consult, handling, rework, arrival) as an alert and an event."""
    return _alert_one(AlertKind.BREACH, now or timezone.now())


def warn_one(now: dt.datetime | None = None) -> bool:
    """Record one deadline about to pass (within the clock's warning period)."""
    return _alert_one(AlertKind.WARNING, now or timezone.now())


# The whole schedule: job name -> (function, interval in seconds). Celery beat gets one entry per job.
SCHEDULE: dict[str, tuple[Callable[[dt.datetime | None], bool], int]] = {
    "deem_signed": (deem_one_signed, 60),
    "mark_overdue": (mark_one_overdue, 60),
    "warn": (warn_one, 300),
    "outbox": (outbox.send_one, 30),  # SMS after commit (STYLE 4)
}

MAX_PER_RUN = 10_000


def run_job(name: str, now: dt.datetime | None = None) -> int:
    """Call one job until it reports nothing left (bounded); returns how many items it handled."""
    func, _interval = SCHEDULE[name]
    count = 0
    while count < MAX_PER_RUN and func(now):
        count += 1
    return count


def run_all(now: dt.datetime | None = None) -> dict[str, int]:
    """Every job once, in schedule order (the `hotline sweep` command and the embedded loop)."""
    return {name: run_job(name, now) for name in SCHEDULE}


def loop(stop: threading.Event, interval: float) -> None:
    """The embedded server's timer: every job, then a pause, until `stop` is set. An error is logged, and the next
    round runs anyway: one bad row must not silence deadlines for everyone."""
    while not stop.is_set():
        try:
            counts = run_all()
            if any(counts.values()):
                log.info("定时任务：%s", counts)
        except Exception:
            log.exception("定时任务执行出错，%s 秒后重试", interval)
        finally:
            close_old_connections()  # the thread's connection; a dropped one is reopened next round
        stop.wait(interval)


def start_loop(interval: float) -> tuple[threading.Thread, threading.Event]:
    """Start `loop` in a daemon thread (it dies with the server); set the event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(target=loop, args=(stop, interval), name="hotline-sweeps", daemon=True)
    thread.start()
    return thread, stop
