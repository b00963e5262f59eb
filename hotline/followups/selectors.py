"""Reads of the follow-up side: the desk's queue with its follow-up clock, the follow-up records of a ticket, the
appeals a user may see (queue, unit tab, ledger with filters) and raw versus assessed satisfaction (Art. 17, 25)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from hotline.deadlines.calendar import LOCAL_TZ
from hotline.followups.appeals import appealable, lead_unit_id
from hotline.followups.models import Appeal
from hotline.followups.ratings import counted
from hotline.tickets.access import visible_tickets
from hotline.tickets.choices import DISSATISFIED_LEVELS, AppealState
from hotline.tickets.models import FollowUp, Ticket
from hotline.tickets.selectors import to_follow_up

if TYPE_CHECKING:
    from hotline.directory.models import Staff


@dataclass(frozen=True)
class DeskRow:
    """One ticket to call: since when it waits, its follow-up deadline, and ratings the requester already left."""

    ticket: Ticket
    waiting_since: dt.datetime | None
    due: dt.datetime | None
    overdue: bool
    ratings: list[FollowUp]
    calls: int


def desk_queue(user: Staff, now: dt.datetime) -> list[DeskRow]:
    """Resolved tickets and merged requesters owed a call, the longest waiting first, each with its stored follow-up
    deadline, set by the resolution (the original's, for a merged requester, read from the original; Art. 17)."""
    qs = (to_follow_up(visible_tickets(user), now)
          .select_related("lead_unit", "merged_into", "requester")
          .annotate(waiting=Coalesce(F("resolved_at"), F("merged_into__resolved_at")),
                    due=Coalesce(F("merged_into__follow_up_due"), F("follow_up_due")))
          .order_by(F("waiting").asc(nulls_last=True), "created_at"))
    rows = []
    for ticket in qs[:200]:
        waiting = getattr(ticket, "waiting", None)
        due = getattr(ticket, "due", None)
        records = list(ticket.follow_ups.order_by("at", "id"))
        rows.append(DeskRow(ticket=ticket, waiting_since=waiting, due=due, overdue=bool(due and now >= due),
                            ratings=[r for r in records if r.channel != "call"],
                            calls=sum(1 for r in records if r.channel == "call")))
    return rows


def records(ticket: Ticket) -> QuerySet[FollowUp]:
    """Every follow-up record of a ticket, calls and ratings, oldest first, with its appeal if any."""
    return ticket.follow_ups.select_related("agent", "appeal").order_by("at", "id")


def appealable_ratings(user: Staff, now: dt.datetime) -> list[FollowUp]:
    """Dissatisfied ratings of tickets the user's unit led, still inside the appeal window and not appealed."""
    if user.unit_id is None:
        return []
    qs = (FollowUp.objects.filter(ticket__in=visible_tickets(user), satisfaction__in=DISSATISFIED_LEVELS,
                                  appeal_due__gt=now, appeal__isnull=True)
          .select_related("ticket", "ticket__merged_into").order_by("appeal_due"))
    return [fu for fu in qs if lead_unit_id(fu.ticket) == user.unit_id and appealable(fu, now)]


@dataclass(frozen=True)
class AppealFilter:
    """The ledger's filters; each None or empty means "any"."""

    state: str = ""
    ground: str = ""
    unit: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def appeals(user: Staff, f: AppealFilter | None = None) -> QuerySet[Appeal]:
    """The appeals `user` may see (a unit: its own tickets'), filtered, newest first."""
    qs = Appeal.objects.filter(ticket__in=visible_tickets(user)).select_related(
        "ticket", "unit", "follow_up", "filed_by", "reviewer")
    f = f or AppealFilter()
    if f.state:
        qs = qs.filter(state=f.state)
    if f.ground:
        qs = qs.filter(ground=f.ground)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.since:
        qs = qs.filter(filed_at__gte=dt.datetime.combine(f.since, dt.time(), tzinfo=LOCAL_TZ))
    if f.until:
        qs = qs.filter(filed_at__lt=dt.datetime.combine(f.until + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_TZ))
    return qs.order_by("-filed_at", "-id")


def pending_appeals(user: Staff) -> QuerySet[Appeal]:
    """The reviewer's queue: undecided appeals, the oldest first."""
    return appeals(user, AppealFilter(state=AppealState.PENDING)).order_by("filed_at", "id")


@dataclass(frozen=True)
class Satisfaction:
    """Raw and assessed satisfaction of a set of follow-up records (Art. 17, 25)."""

    valid: int
    satisfied: int
    dissatisfied: int
    excluded: int

    @staticmethod
    def _rate(num: int, den: int) -> Decimal | None:
        if den <= 0:
            return None  # no valid rating: "—", not 100 %
        return (Decimal(100) * num / den).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def raw(self) -> Decimal | None:
        return self._rate(self.satisfied, self.valid)

    @property
    def assessed(self) -> Decimal | None:
        """An upheld appeal takes the rating out of the denominator (WAVE2 §2 default; see docs/regulation.md)."""
        return self._rate(self.satisfied, self.valid - self.excluded)


def satisfaction(qs: QuerySet[FollowUp]) -> Satisfaction:
    """Counted records (a later call takes precedence over the requester's own rating) with a satisfaction level;
    satisfied = 非常满意, 满意, 基本满意."""
    rows = counted(qs).exclude(satisfaction="")
    valid = rows.count()
    dissatisfied = rows.filter(satisfaction__in=DISSATISFIED_LEVELS).count()
    excluded = rows.filter(Q(excluded_from_assessment=True)).count()
    return Satisfaction(valid=valid, satisfied=valid - dissatisfied, dissatisfied=dissatisfied, excluded=excluded)
