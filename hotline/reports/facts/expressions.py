"""Database expressions the facts share: which unit an event is about, which clock it completes, the deadline it
was measured against and whether it was late. Each is evaluated by the database row by row inside one aggregate
query, so no report walks the event log in Python.
"""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThanOrEqual

from hotline.deadlines.policy import Clock
from hotline.tickets.choices import UNIT_ACTIONS, Action, AssignmentRole, Status
from hotline.tickets.models import Assignment, Event, Ticket

# The events that end a desk's 2-hour dispatch clock (Art. 13): a dispatch to a unit, or a hop of the ticket to the
# platform below or above (Art. 30), whose own dispatch clock starts at its signing.
DISPATCH_CLOCK_ACTIONS = (Action.DISPATCH, Action.HAND_DOWN, Action.PASS_UP)
# The events that stop a clock; an ANSWER stops one only when it ends a consultation (Art. 12.1).
CLOCK_ACTIONS = (*DISPATCH_CLOCK_ACTIONS, Action.SIGN, Action.DEEM_SIGNED, Action.REPLY, Action.ANSWER, Action.ARRIVE)
COMPLETES_A_CLOCK = Q(action__in=(*DISPATCH_CLOCK_ACTIONS, Action.SIGN, Action.DEEM_SIGNED, Action.REPLY,
                                  Action.ARRIVE)) | Q(action=Action.ANSWER, from_status=Status.CONSULTING)


def lead_unit_at(ticket: str = "ticket") -> Subquery:
    """The ticket's lead unit at the event's moment, from the assignment rows: dispatched at or before it and not
    ended before it. An assignment ends at the same instant as the approved return that ends it, so that review
    still counts for the unit returning the ticket; on a re-dispatch the newer assignment wins. The same rule as
    `Assignment.lead_at`, which fills `Event.about_unit` when an event is written."""
    assignments = Assignment.objects.filter(
        ticket=OuterRef(ticket), role=AssignmentRole.LEAD, dispatched_at__lte=OuterRef("at"),
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gte=OuterRef("at")))
    return Subquery(assignments.order_by("-dispatched_at", "-id").values("unit")[:1], output_field=IntegerField())


def unit_of() -> Case:
    """The unit an event is about, looked up per event: the acting unit for a unit's own action, otherwise the lead
    unit at the time (None when no unit had the ticket, e.g. a dispatch clock breached before any dispatch), and
    for a merged requester's follow-up call the original's. Every event stores this as `about_unit` when it is
    written; the facts read that column. This look-up stays as its definition, which the tests hold it to."""
    lead = Coalesce(lead_unit_at(), Case(When(action=Action.FOLLOW_UP, then=lead_unit_at("ticket__merged_into"))),
                    output_field=IntegerField())
    return Case(When(action__in=UNIT_ACTIONS, then=F("actor_unit")), default=lead, output_field=IntegerField())


def about_unit() -> F:
    """The unit an event is about, as stored on it (`Event.about_unit`, the id)."""
    return F("about_unit")


def _reply_after_rework() -> Q:
    """A reply after the ticket's first rework answers the 5-working-day rework clock (Art. 17), not handling."""
    # The cheap test comes first: both databases evaluate AND left to right, so only replies run the EXISTS. The
    # bound on `at` lets the (ticket, at) index find the ticket's earlier events; `id` orders two in one instant.
    earlier_rework = Event.objects.filter(ticket=OuterRef("ticket"), at__lte=OuterRef("at"), action=Action.REWORK,
                                          id__lt=OuterRef("id"))
    return Q(Q(action=Action.REPLY), Exists(earlier_rework))


def clock_of() -> Case:
    """The clock an event completes (a `Clock` value), or "" for an event that completes none."""
    return Case(
        When(action__in=DISPATCH_CLOCK_ACTIONS, then=Value(Clock.DISPATCH.value)),
        When(action__in=(Action.SIGN, Action.DEEM_SIGNED), then=Value(Clock.SIGN.value)),
        When(_reply_after_rework(), then=Value(Clock.REWORK.value)),
        When(action=Action.REPLY, then=Value(Clock.HANDLING.value)),
        When(action=Action.ANSWER, from_status=Status.CONSULTING, then=Value(Clock.CONSULT.value)),
        When(action=Action.ARRIVE, then=Value(Clock.ARRIVAL.value)),
        default=Value(""), output_field=CharField(),
    )


def _ticket_column(name: str) -> Subquery:
    # A correlated look-up rather than a join: only events without a verdict of their own reach it, and a join made
    # PostgreSQL read the whole ticket table (a million rows) for every month's unit facts.
    return Subquery(Ticket.objects.filter(pk=OuterRef("ticket")).values(name)[:1], output_field=DateTimeField())


def _stored_due() -> Case:
    # The ticket column of the clock the event completes, chosen by action as in `clock_of`.
    return Case(
        When(action__in=DISPATCH_CLOCK_ACTIONS, then=_ticket_column("dispatch_due")),
        When(action__in=(Action.SIGN, Action.DEEM_SIGNED), then=_ticket_column("sign_due")),
        When(_reply_after_rework(), then=_ticket_column("rework_due")),
        When(action=Action.REPLY, then=_ticket_column("handling_due")),
        When(action=Action.ANSWER, then=_ticket_column("consult_due")),
        When(action=Action.ARRIVE, then=_ticket_column("arrival_due")),
        default=None, output_field=DateTimeField(),
    )


def due_of() -> Coalesce:
    """The deadline a clock-completing event was measured against (None for other events).

    The workflow writes `data["due"]` (ISO 8601) on every clock-completing event. Older events lack it: then the
    ticket's stored column for that clock stands in. That column holds the clock's latest value, so for a ticket
    dispatched twice an old first dispatch or signing is measured against the second deadline."""
    return Coalesce(Cast(KT("data__due"), DateTimeField()), _stored_due(), output_field=DateTimeField())


def late_of() -> Case:
    """Whether a clock-completing event missed its deadline (False for other events).

    A deemed signing is late by definition (Art. 13: the unit did not sign in time). Otherwise the event's own
    `data["late"]` decides, as the workflow judged it; failing that, the event is late when it happened at or after
    its due time (a deadline is kept strictly before `due`). With no due time at all it counts as on time. The
    branches are tried in order, so the fallback is computed only for events without a verdict."""
    return Case(
        When(action=Action.DEEM_SIGNED, then=Value(True)),
        When(data__late=True, then=Value(True)),
        When(data__late=False, then=Value(False)),
        When(GreaterThanOrEqual(F("at"), due_of()), then=Value(True)),
        default=Value(False), output_field=BooleanField(),
    )
