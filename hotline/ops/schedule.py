"""The whole schedule of timed jobs in one place (STYLE 6), and the runners that the embedded loop, `hotline sweep`
and Celery beat share. It sits above the apps, like the URL map, so it may list every app's jobs."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections

from hotline.api.idempotency import forget_one as forget_idempotency_keys
from hotline.channels.services import purge_one_nonce
from hotline.intake import hotspots
from hotline.knowledge.sweeps import expire_one as expire_one_article
from hotline.supervision import sweeps as supervision
from hotline.supervision.coordination import flag_one_difficult
from hotline.tickets import outbox
from hotline.tickets.sweeps import deem_one_signed, mark_one_overdue, warn_one

log = logging.getLogger(__name__)

# The whole schedule: job name -> (function, interval in seconds). Celery beat gets one entry per job.
SCHEDULE: dict[str, tuple[Callable[[dt.datetime | None], bool], int]] = {
    "deem_signed": (deem_one_signed, 60),
    "mark_overdue": (mark_one_overdue, 60),
    "warn": (warn_one, 300),
    "outbox": (outbox.send_one, 30),  # SMS after commit (STYLE 4)
    # Art. 22: emergency answer lists (答疑清单) and out-of-date articles expire by themselves.
    "knowledge_expire": (expire_one_article, 300),
    "purge_nonces": (purge_one_nonce, 600),  # 110 transfers' nonces, once past the replay window (Art. 7)
    "supervise_overdue": (supervision.supervise_one_overdue, 300),  # Art. 24(1)
    "supervise_dissatisfied": (supervision.supervise_one_dissatisfied, 300),  # Art. 24(3)
    # Art. 24(2): the week's hotspots for the desk's alert and the hotspot page, computed here, not in a page view.
    "hotspots": (hotspots.refresh, hotspots.CACHE_SECONDS),
    "supervise_hotspots": (supervision.supervise_one_hotspot, 1800),  # Art. 24(2): clusters a week, so seldom
    "flag_difficult": (flag_one_difficult, 600),  # Art. 19: tickets that keep bouncing join the pool
    "forget_idempotency_keys": (forget_idempotency_keys, 3600),  # API retries are answered for 24 hours
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
