"""How the screens show the work queues of `hotline.tickets.selectors`: rows per tab and each role's first tab."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from hotline.tickets.models import Ticket
from hotline.tickets.selectors import DESK_QUEUES, INBOX_QUEUES, Queue

__all__ = ["DESK_QUEUES", "INBOX_QUEUES", "QUEUE_ROWS", "TAB_COUNT_CAP", "Queue", "find", "tabs"]

QUEUE_ROWS = 50  # a tab shows the most urgent rows; the ticket list pages through the rest

# Which tab a role sees first.
DEFAULT_TAB: dict[str, str] = {"reviewer": "review", "followup": "followup"}


TAB_COUNT_CAP = 999  # a tab shows "999+" beyond this: counting a month of a city's resolutions on every load is waste


def tabs(queues: tuple[Queue, ...], qs: QuerySet[Ticket], now: dt.datetime) -> list[tuple[Queue, int]]:
    """Every tab with the number of tickets in it, counted up to `TAB_COUNT_CAP` + 1 (unordered, so the count
    stops at the first rows found)."""
    return [(queue, queue.select(qs, now).order_by()[:TAB_COUNT_CAP + 1].count()) for queue in queues]


def find(queues: tuple[Queue, ...], key: str | None, role: str) -> Queue:
    """The tab named `key`, else the role's default, else the first."""
    by_key = {q.key: q for q in queues}
    return by_key.get(key or "") or by_key.get(DEFAULT_TAB.get(role, "")) or queues[0]
