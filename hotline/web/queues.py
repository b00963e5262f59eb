"""How the screens show the work queues of `hotline.tickets.selectors`: rows per tab and each role's first tab."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from hotline.tickets.models import Ticket
from hotline.tickets.selectors import DESK_QUEUES, INBOX_QUEUES, Queue, counts_up_to, tab_counts

__all__ = ["DESK_QUEUES", "INBOX_QUEUES", "QUEUE_ROWS", "TAB_COUNT_CAP", "Queue", "find", "source", "tabs"]

QUEUE_ROWS = 50  # a tab shows the most urgent rows; the ticket list pages through the rest

# Which tab a role sees first.
DEFAULT_TAB: dict[str, str] = {"reviewer": "review", "followup": "followup"}


TAB_COUNT_CAP = 999  # a tab shows "999+" beyond this: counting a month of a city's resolutions on every load is waste


def tabs(queues: tuple[Queue, ...], qs: QuerySet[Ticket], now: dt.datetime, *, together: bool = False,
         history: QuerySet[Ticket] | None = None) -> list[tuple[Queue, int]]:
    """Every tab with the number of tickets in it. Each tab is counted on its own plan up to `TAB_COUNT_CAP` + 1
    (unordered, so the count stops at the first rows found), all in one statement (`selectors.counts_up_to`), or,
    `together`, the tabs of open work in one aggregate (`selectors.tab_counts`) and the history tab alone: a unit's
    tabs, where each count would otherwise hash the unit's assignments again. The history tabs count `history` when
    it is given."""
    counts = tab_counts(queues, qs, now) if together else {}
    counts |= counts_up_to({queue.key: queue.select(source(queue, qs, history), now)
                            for queue in queues if queue.key not in counts}, TAB_COUNT_CAP)
    return [(queue, counts[queue.key]) for queue in queues]


def source(queue: Queue, qs: QuerySet[Ticket], history: QuerySet[Ticket] | None) -> QuerySet[Ticket]:
    """What `queue` reads: `history` for a history tab when it is given (a unit's recently finished work), else
    `qs`."""
    return history if history is not None and queue.history else qs


def find(queues: tuple[Queue, ...], key: str | None, role: str) -> Queue:
    """The tab named `key`, else the role's default, else the first."""
    by_key = {q.key: q for q in queues}
    return by_key.get(key or "") or by_key.get(DEFAULT_TAB.get(role, "")) or queues[0]
