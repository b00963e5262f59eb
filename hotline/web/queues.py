"""The work queues of the hotline desk and the unit inbox: which tickets each tab holds, in what order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from hotline.tickets.choices import ReviewState, Status
from hotline.tickets.models import ExtensionRequest, FollowUp, Ticket
from hotline.tickets.sweeps import overdue_q

QUEUE_ROWS = 50  # a tab shows the most urgent rows; the ticket list pages through the rest
RECENT_DAYS = 30


@dataclass(frozen=True)
class Queue:
    """One tab: a key for the URL, a Chinese label and the filter over the user's visible tickets."""

    key: str
    label: str
    select: Callable[[QuerySet[Ticket], dt.datetime], QuerySet[Ticket]]


def _status(*statuses: str, order: str = "created_at") -> Callable[[QuerySet[Ticket], dt.datetime], QuerySet[Ticket]]:
    return lambda qs, now: qs.filter(status__in=statuses).order_by(order)


def _pending_extension(qs: QuerySet[Ticket], now: dt.datetime) -> QuerySet[Ticket]:
    pending = ExtensionRequest.objects.filter(ticket=OuterRef("pk"), state=ReviewState.PENDING)
    return qs.filter(Exists(pending)).order_by("handling_due")


def _to_follow_up(qs: QuerySet[Ticket], now: dt.datetime) -> QuerySet[Ticket]:
    """Resolved tickets, and merged ones whose original is resolved and whose requester has not been reached yet
    (并单: every requester keeps their own follow-up, Art. 17)."""
    reached = FollowUp.objects.filter(ticket=OuterRef("pk"), reached=True)
    merged_due = Q(status=Status.MERGED, merged_into__status__in=(Status.RESOLVED, Status.CLOSED)) & ~Q(Exists(reached))
    return qs.filter(Q(status=Status.RESOLVED) | merged_due).order_by("resolved_at", "created_at")


def _overdue(qs: QuerySet[Ticket], now: dt.datetime) -> QuerySet[Ticket]:
    return qs.filter(overdue_q(now)).order_by("created_at")


def _recently_done(qs: QuerySet[Ticket], now: dt.datetime) -> QuerySet[Ticket]:
    since = now - dt.timedelta(days=RECENT_DAYS)
    return qs.filter(status__in=(Status.RESOLVED, Status.CLOSED), resolved_at__gte=since).order_by("-resolved_at")


# The hotline desk (Art. 11-17): intake to dispatch, reviews of returns, extensions and replies, follow-up calls.
DESK_QUEUES: tuple[Queue, ...] = (
    Queue("dispatch", "待派单", _status(Status.PENDING_DISPATCH, Status.CONSULTING, order="dispatch_due")),
    Queue("returns", "退回待审", _status(Status.RETURN_REQUESTED, order="updated_at")),
    Queue("extensions", "延期待审", _pending_extension),
    Queue("review", "办结待审", _status(Status.REPLIED, order="replied_at")),
    Queue("followup", "待回访", _to_follow_up),
    Queue("overdue", "已超时", _overdue),
)

# The unit inbox (Art. 13-15): sign within 1 working day, handle, reply.
INBOX_QUEUES: tuple[Queue, ...] = (
    Queue("sign", "待签收", _status(Status.DISPATCHED, order="sign_due")),
    Queue("progress", "办理中", _status(Status.IN_PROGRESS, order="handling_due")),
    Queue("returned", "退回待审", _status(Status.RETURN_REQUESTED, order="updated_at")),
    Queue("replied", "已反馈待审", _status(Status.REPLIED, order="replied_at")),
    Queue("done", "近期办结", _recently_done),
)

# Which tab a role sees first.
DEFAULT_TAB: dict[str, str] = {"reviewer": "review", "followup": "followup"}


def tabs(queues: tuple[Queue, ...], qs: QuerySet[Ticket], now: dt.datetime) -> list[tuple[Queue, int]]:
    """Every tab with the number of tickets in it."""
    return [(queue, queue.select(qs, now).count()) for queue in queues]


def find(queues: tuple[Queue, ...], key: str | None, role: str) -> Queue:
    """The tab named `key`, else the role's default, else the first."""
    by_key = {q.key: q for q in queues}
    return by_key.get(key or "") or by_key.get(DEFAULT_TAB.get(role, "")) or queues[0]
