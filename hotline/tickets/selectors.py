"""Every read of tickets in one place: the scope a user reads within, the work queues, the list filter and the
overdue predicate, shared by the screens, the API and reports (STYLE 7).

A `Scope` says which tickets a reader may see: every ticket for the city platform's hotline staff, the tickets a
county sub-centre (and the platforms below it) holds for that sub-centre's desk staff (Art. 30), the tickets a unit
is or was assigned or consulted on for the unit's staff (interpretation 89), nothing for anyone else.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, Count, Exists, F, Func, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.functions import StrIndex

from hotline.deadlines.calendar import LOCAL_TZ
from hotline.deadlines.policy import Clock
from hotline.directory.models import Platform, Unit
from hotline.tickets.choices import ReviewState, Status
from hotline.tickets.models import Assignment, ConsultationAnswer, Event, ExtensionRequest, Ticket, UnitTicket

if TYPE_CHECKING:
    from hotline.directory.models import Staff



# ---------------------------------------------------------------- scope


@dataclass(frozen=True)
class Scope:
    """Which tickets a reader may see: `city` (every ticket), those held by `platforms` (a county sub-centre and the
    platforms below it), one `unit`'s, or none."""

    city: bool = False
    unit_id: int | None = None
    platforms: tuple[int, ...] = ()

    @classmethod
    def of(cls, user: Staff | None) -> Scope:
        """The scope of a logged-in staff member (DESIGN §5): the city platform's hotline sees every ticket, a county
        sub-centre's desk its platform's, a unit its own tickets."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls()
        if user.is_hotline:
            if user.platform.is_root:
                return cls(city=True)
            return cls(platforms=tuple(user.platform.subtree_ids()))
        return cls(unit_id=user.unit_id)

    @property
    def sub_centre(self) -> bool:
        """A county (or township) sub-centre's desk: hotline work, but only over its own platforms (Art. 30)."""
        return bool(self.platforms)

    def tickets(self) -> QuerySet[Ticket]:
        """The tickets in scope. A unit's are those it is or was assigned and those the hotline consulted it on
        (Art. 12(1)), one `UnitTicket` row each: an EXISTS over them alone is a semi-join, so no join multiplies the
        rows, and PostgreSQL reads the newest tickets and stops after a page or a capped count."""
        qs = Ticket.objects.select_related("topic", "lead_unit", "region")
        if self.city:
            return qs
        if self.platforms:
            return qs.filter(platform_id__in=self.platforms)
        if self.unit_id is None:
            return qs.none()
        return qs.filter(Exists(UnitTicket.objects.filter(ticket=OuterRef("pk"), unit_id=self.unit_id)))

    def current_work(self) -> QuerySet[Ticket]:
        """A unit's current work, what its inbox tabs of open work are drawn from (Art. 13-15): the tickets it holds
        an assignment on that has neither ended nor finished, and those the hotline is consulting it on. A return
        approved, or a re-dispatch, ends the assignment, so a ticket that went on to another unit leaves this unit's
        tabs (it stays in its list and history); the ticket closed finishes it (interpretation 88). The index of
        those assignments holds a few thousand rows for the biggest unit however long its history. For other
        scopes, the tickets in scope."""
        return self._held(Q(finished_at__isnull=True))

    def finished_since(self, since: dt.datetime) -> QuerySet[Ticket]:
        """What the unit's recently finished tab (近期办结) is drawn from: the tickets it held to the end, still open
        or closed from `since` on (interpretation 88), in the same scope as its open tabs. For other scopes, the
        tickets in scope. (The consultations' OR also keeps PostgreSQL walking the tab's index, newest first,
        testing each ticket against the hashed assignments: a join here misjudged how many rows match and sorted
        all of them.)"""
        return self._held(Q(finished_at__isnull=True) | Q(finished_at__gte=since))

    def _held(self, finish: Q) -> QuerySet[Ticket]:
        """The tickets the unit holds an assignment on that has not ended, its finish as `finish` says, and those
        whose consultation with it is open (Art. 12(1): once the operator answers or dispatches, the consulted
        unit has nothing left to do on it, interpretation 81, though it stays in its list). For other scopes, the
        tickets in scope."""
        if self.unit_id is None:
            return self.tickets()
        held = Assignment.objects.filter(finish, ticket=OuterRef("pk"), unit_id=self.unit_id, is_active=True)
        consulted = Q(consult_unit_id=self.unit_id, status=Status.CONSULTING)
        return Ticket.objects.select_related("topic", "lead_unit", "region").filter(Exists(held) | consulted)

    def units(self) -> QuerySet[Unit]:
        """The units a reader may see and a desk may dispatch to: every unit for the city, a sub-centre's platforms'
        units, the unit's own for its staff."""
        if self.city:
            return Unit.objects.all()
        if self.platforms:
            return Unit.objects.filter(platform_id__in=self.platforms)
        return Unit.objects.filter(pk=self.unit_id or 0)

    def platforms_visible(self) -> QuerySet[Platform]:
        """The platforms a reader may see: every one for the city, a sub-centre's own subtree, a unit's platform."""
        if self.city:
            return Platform.objects.all()
        if self.platforms:
            return Platform.objects.filter(pk__in=self.platforms)
        return Platform.objects.filter(pk__in=Unit.objects.filter(pk=self.unit_id or 0).values("platform_id"))


# ---------------------------------------------------------------- clocks and overdue

# Which stored column each clock reads, and in which statuses it is running.
CLOCK_COLUMNS: dict[Clock, tuple[str, tuple[str, ...], Q]] = {
    Clock.DISPATCH: ("dispatch_due", (Status.PENDING_DISPATCH,), Q()),
    Clock.CONSULT: ("consult_due", (Status.CONSULTING,), Q()),
    # A unit's signing, and a platform's signing of a ticket handed down or passed up to it (Art. 13, 30).
    Clock.SIGN: ("sign_due", (Status.DISPATCHED, Status.TRANSFERRING), Q()),
    Clock.HANDLING: ("handling_due", (Status.IN_PROGRESS, Status.RETURN_REQUESTED), Q(rework_due__isnull=True)),
    Clock.REWORK: ("rework_due", (Status.IN_PROGRESS,), Q()),
    Clock.ARRIVAL: ("arrival_due", (Status.DISPATCHED, Status.IN_PROGRESS), Q(arrived_at__isnull=True)),
    Clock.RESPONSE: ("response_due", (Status.DISPATCHED,), Q()),  # Art. 20: stopped by signing
}


# The hotline's own clocks: swept and warned like the units' clocks, but not a unit's overdue (the overdue queue,
# list filter and unit statistics read CLOCK_COLUMNS only). Merged requesters follow the original's clock.
HOTLINE_CLOCK_COLUMNS: dict[Clock, tuple[str, tuple[str, ...], Q]] = {
    Clock.FOLLOW_UP: ("follow_up_due", (Status.RESOLVED,), Q()),  # Art. 17: stopped by the closing call
}
SWEPT_CLOCK_COLUMNS = {**CLOCK_COLUMNS, **HOTLINE_CLOCK_COLUMNS}


def running(clock: Clock) -> Q:
    """Tickets on which `clock` is running now."""
    column, statuses, extra = SWEPT_CLOCK_COLUMNS[clock]
    return Q(status__in=statuses, **{f"{column}__isnull": False}) & extra


def overdue_q(now: dt.datetime) -> Q:
    """Tickets with any running clock past its due time: the overdue queue, list filter, API filter and sweeps.

    One arm per clock and status, each naming its one status (`status = %s`, never `IN`): every clock runs only
    in an open status, and PostgreSQL proves from arms of that shape, not from IN lists, that the rows lie in the
    partial index of open tickets (`ticket_open_by_created`, a few thousand rows, its clocks included), so it reads
    that index alone in `created_at` order. The earlier shape, IN lists under a `status IN (open)` of their own,
    counted the status twice: the planner expected 57 overdue tickets of a million where there were 2,439, and read
    them all from the table and sorted them for a page of 50 (7 ms against 0.1)."""
    q = Q(pk__in=[])
    for column, statuses, extra in CLOCK_COLUMNS.values():
        for status in statuses:
            q |= Q(status=status, **{f"{column}__isnull": False, f"{column}__lte": now}) & extra
    return q


# ---------------------------------------------------------------- the list filter


@dataclass(frozen=True)
class TicketFilter:
    """The ticket list's filters, one meaning for the screens and the API: `text` in the number, title, content or
    place; `unit` is the lead unit (牵头承办单位); dates are Beijing dates, both ends included."""

    text: str = ""
    status: str = ""
    unit: Unit | None = None
    overdue: bool | None = None
    created_from: dt.date | None = None
    created_to: dt.date | None = None


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=LOCAL_TZ)


def filtered(qs: QuerySet[Ticket], f: TicketFilter, now: dt.datetime) -> QuerySet[Ticket]:
    """Apply the filters; a date range is two comparisons of `created_at` with local midnights (its index applies)."""
    if f.status:
        qs = qs.filter(status=f.status)
    if f.unit is not None:
        qs = qs.filter(lead_unit=f.unit)
    if f.overdue is not None:
        qs = qs.filter(overdue_q(now)) if f.overdue else qs.exclude(overdue_q(now))
    if f.created_from:
        qs = qs.filter(created_at__gte=_local_midnight(f.created_from))
    if f.created_to:
        qs = qs.filter(created_at__lt=_local_midnight(f.created_to + dt.timedelta(days=1)))
    if f.text:
        qs = _text_search(qs, f.text)
    return qs


# Text search. On PostgreSQL the trigram indexes (migration 0014) serve a query of three characters or more; a
# two-character query (井盖, 路灯) has no trigram, so `icontains` scanned every ticket. It is answered instead from
# the distinct character pairs of the four searched columns (`ticket_bigrams_gin`, an expression index over the
# function `hotline_bigrams`): containing the pair is exactly what `icontains` asks, so the rows are the same. The
# words segmented at intake were not used: jieba cuts 路灯不亮 into 路 / 灯不亮, so "路灯" would be missed. SQLite,
# and a one-character query, keep `icontains`.
PAIR = 2


def joined_upper() -> Func:
    """Number, title, content and place joined by U+001F, upper-cased: the text `bigrams` cuts into pairs."""
    return Func(F("number"), F("title"), F("content"), F("address"), template="UPPER(%(expressions)s)",
                arg_joiner=" || E'\\x1f' || ", output_field=TextField())


def bigrams() -> Func:
    """The distinct character pairs of number, title, content and place, upper-cased like `icontains` (PostgreSQL);
    exactly the expression `ticket_bigrams_gin` indexes. Fields are joined by U+001F, which no query contains."""
    return Func(joined_upper(), function="hotline_bigrams", output_field=ArrayField(TextField()))


def _text_search(qs: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """`text` in the number, title, content or place, ignoring case (see above for two characters on PostgreSQL);
    eight digits or more begin the number (`NUMBER_START_DIGITS`)."""
    if connections[qs.db].vendor == "postgresql" and len(text) == PAIR:
        # The pair's index finds the rows; where PostgreSQL walks the newest tickets instead (a common pair, a page
        # of 25), the plain position test rejects each non-match for a microsecond before the pairs function would
        # spend some fifty cutting its text (84 ms for a page of "井盖" at a million tickets). Same rows either way.
        # The test is written `<> 0`, not `> 0`: PostgreSQL guesses a third of the rows pass a `>` it has no
        # statistics for, and all but 0.5 % pass a `<>`, so its estimate of the rows is the pairs' (`count_up_to`).
        found = Func(StrIndex(joined_upper(), Value(text.upper())), template="%(expressions)s <> 0",
                     output_field=BooleanField())
        return qs.alias(bigrams=bigrams()).filter(found, bigrams__contains=[text.upper()])  # type: ignore[misc]
    number = Q(number__startswith=text) if _number_start(text) else Q(number__icontains=text)
    return qs.filter(number | Q(title__icontains=text) | Q(content__icontains=text) | Q(address__icontains=text))


# A query of this many digits or more is the start of a ticket number (its date, then the day's sequence), as read
# from an SMS or a receipt: the number is matched from its start, on the number's own index. Containment over
# numbers read the trigram index, where every number shares the year's trigrams ("202", "026"): 5 ms a query at a
# million tickets, and growing with them. Title, content and place are still searched for the digits anywhere.
NUMBER_START_DIGITS = 8


def _number_start(text: str) -> bool:
    return len(text) >= NUMBER_START_DIGITS and text.isascii() and text.isdigit()


# Lists count at most this many rows: counting a unit's whole history (57,000 rows at a million tickets) on every
# page load scans it all, and nobody pages past the fortieth page. The web list says "1000 件以上"; the API says
# `total_capped`.
LIST_COUNT_CAP = 1000


# A two-character search common across the history (井盖: 21,582 tickets at a million) is counted from the pairs
# index's bitmap of every match, then its first 1,001 rows are read: 10 ms at a million where a week's history takes
# 1 ms, and the bitmap grows with the history. PostgreSQL's estimate of such a search (EXPLAIN: planning alone, under
# a millisecond) comes from the most common pairs it keeps with its statistics, each pair's share of a 30,000-row
# sample (井盖: 21,570 estimated, 21,582 found). When that estimate is this many times the cap, the rows are not
# counted: the answer is the "more than the cap" that counting would give. A pair outside the most common ones gets
# a small estimate and is counted as before. Longer searches are always counted: their estimate comes from
# 100-entry histograms, where one entry containing the text already reads as 1 % of the table.
ESTIMATE_TRUSTED_FACTOR = 10


def estimate_stands(text: str) -> bool:
    """Whether a list searching `text` may take a large estimate for its count (two characters, as above)."""
    return len(text) == PAIR


def estimated_rows(qs: QuerySet[Ticket]) -> int | None:
    """PostgreSQL's estimate of how many rows `qs` holds (the plan's top row count), or None on other databases."""
    if connections[qs.db].vendor != "postgresql":
        return None
    plan = json.loads(qs.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def count_up_to(qs: QuerySet[Ticket], cap: int | None = None, *, estimate: bool = False) -> tuple[int, bool]:
    """How many rows `qs` holds, counting no further than `cap` (default `LIST_COUNT_CAP`), and whether it stopped
    there. Unordered, so the count ends at the first `cap + 1` rows whichever index finds them. With `estimate`
    (`estimate_stands`), an estimate over `ESTIMATE_TRUSTED_FACTOR` times the cap stands for the count."""
    limit = LIST_COUNT_CAP if cap is None else cap
    if estimate:
        rows = estimated_rows(qs)
        if rows is not None and rows > ESTIMATE_TRUSTED_FACTOR * limit:
            return limit, True
    bounded = counts_up_to({"rows": qs}, limit)["rows"]
    return min(bounded, limit), bounded > limit


def counts_up_to(querysets: dict[str, QuerySet[Ticket]], cap: int) -> dict[str, int]:
    """How many rows each of `querysets` holds, each counted no further than `cap` + 1 as in `count_up_to`, in one
    statement: `SELECT (SELECT COUNT(*) FROM (… LIMIT cap + 1)), …`. The desk's eight tabs counted one statement at
    a time cost eight round trips and eight aggregate queries built around their subqueries, 10 of a desk page's
    36 ms of Python (issue 15); each count's plan is its own either way."""
    if not querysets:
        return {}
    parts: list[str] = []
    params: list[Any] = []
    db = next(iter(querysets.values())).db
    for qs in querysets.values():
        try:
            sql, part_params = qs.order_by().values("pk")[:cap + 1].query.get_compiler(using=db).as_sql()
        except EmptyResultSet:  # `none()`, or a filter that can hold nothing: Django writes no SQL for it
            sql, part_params = "SELECT 1 WHERE 1 = 0", ()
        # The SQL is the compiler's own, its values still parameters; only the alias is ours.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS tab{len(parts)})")  # noqa: S608
        params.extend(part_params)
    with connections[db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))


# What a row of a queue or of the ticket list shows (`web/_queue.html`, `web/_ticket_table.html`): number, time,
# type, title, topic, lead unit, status and the clock of that status (`Ticket.current_due`). A ticket holds 53
# columns, among them its content and that content's segmented words: reading them for 50 rows and building the
# models took 12 ms of a desk page's 36 ms of Python, to show none of them (issue 15).
LIST_ROW_FIELDS = ("number", "request_type", "title", "is_confidential", "status", "created_at", "topic__name",
                   "lead_unit__name", "dispatch_due", "consult_due", "response_due", "sign_due", "rework_due",
                   "handling_due")


def list_rows(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """`qs` reading only `LIST_ROW_FIELDS`, with the topic and lead unit joined."""
    return qs.select_related(None).select_related("topic", "lead_unit").only(*LIST_ROW_FIELDS)


def rows_by_id(qs: QuerySet[Ticket], start: int, stop: int, *, rows: QuerySet[Ticket] | None = None) -> list[Ticket]:
    """Rows `start` to `stop` of `qs`, in its order, read in two steps: their ids alone, which PostgreSQL takes from
    an index carrying the filtered columns without reading a row (the overdue list's 25 newest of 2,435 overdue
    tickets from `ticket_open_by_created` in 0.1 ms, where reading the rows took 5.6 ms at a million), then those
    rows by id from `rows` (default `qs`; e.g. with relations to prefetch). A row that left `qs` in between is left
    out. Other filters read rows for the ids as before, and the second step reads a page by primary key."""
    ids = list(qs.values_list("pk", flat=True)[start:stop])
    found = {ticket.pk: ticket for ticket in (qs if rows is None else rows).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def newest_after(qs: QuerySet[Ticket], last: Ticket) -> QuerySet[Ticket]:
    """The rows after `last` in newest-first order (`-created_at, -id`): the next page by key, whose cost does not
    grow with its depth as an OFFSET's does."""
    return qs.filter(Q(created_at__lt=last.created_at) | Q(created_at=last.created_at, pk__lt=last.pk))


# ---------------------------------------------------------------- work queues


@dataclass(frozen=True)
class Queue:
    """One tab: a key for the URL, a Chinese label, which of the user's visible tickets it holds (a condition, so
    every tab can be counted in one query) and their order."""

    key: str
    label: str
    where: Callable[[dt.datetime], Q]
    order: tuple[str, ...]
    # The tab holds finished tickets of a period (thousands a month), not open work: `tab_counts` leaves it out.
    history: bool = False

    def select(self, qs: QuerySet[Ticket], now: dt.datetime) -> QuerySet[Ticket]:
        """The tab's tickets among `qs`, in its order."""
        return qs.filter(self.where(now)).order_by(*self.order)


def _status(key: str, label: str, *statuses: str, order: str) -> Queue:
    return Queue(key, label, lambda now: Q(status__in=statuses), (order,))


def _pending_extension(now: dt.datetime) -> Q:
    return Q(Exists(ExtensionRequest.objects.filter(ticket=OuterRef("pk"), state=ReviewState.PENDING)))


def follow_up_q() -> Q:
    """Resolved tickets, and merged ones owed their requester's own call: the original resolved, the requester not
    reached yet and fewer than three calls made (并单, Art. 17). The workflow stores that on the merged ticket as
    the original's follow-up due (`workflow.owe_merged_calls`, the rule of `workflow.merged_follow_up_due`), so both
    halves are read from the (status, follow_up_due) index, however many merged tickets history holds."""
    return Q(status=Status.RESOLVED) | Q(status=Status.MERGED, follow_up_due__isnull=False)


FOLLOW_UP_ORDER = ("resolved_at", "created_at")


def to_follow_up(qs: QuerySet[Ticket], now: dt.datetime | None = None) -> QuerySet[Ticket]:
    """The tickets owed a follow-up call (`follow_up_q`), the longest waiting first."""
    return qs.filter(follow_up_q()).order_by(*FOLLOW_UP_ORDER)


RECENT_DAYS = 30


def recent_since(now: dt.datetime) -> dt.datetime:
    """Where the recently finished tab (近期办结) starts."""
    return now - dt.timedelta(days=RECENT_DAYS)


def _recently_done(now: dt.datetime) -> Q:
    return Q(status__in=(Status.RESOLVED, Status.CLOSED), resolved_at__gte=recent_since(now))


def _consultation_answered() -> Exists:
    """The consulted unit has answered the ticket's consultation (Art. 12(1))."""
    return Exists(ConsultationAnswer.objects.filter(ticket=OuterRef("pk"), unit=OuterRef("consult_unit")))


def _consultations(now: dt.datetime) -> Q:
    """Consultations waiting for the consulted unit's answer, the 24-hour clock first (Art. 12(1)). The queue reads
    within the unit's scope; a consulting ticket in it was consulted with that unit or one it had been assigned."""
    return Q(status=Status.CONSULTING) & ~Q(_consultation_answered())


def _consultations_answered(now: dt.datetime) -> Q:
    """Consultations the unit has answered: the operator now answers the requester within the 24 hours."""
    return Q(_consultation_answered(), status=Status.CONSULTING)


# The hotline desk (Art. 11-17): intake to dispatch, reviews of returns, extensions and replies, follow-up calls.
DESK_QUEUES: tuple[Queue, ...] = (
    _status("dispatch", "待派单", Status.PENDING_DISPATCH, Status.CONSULTING, order="dispatch_due"),
    # Handed down to a sub-centre or passed up, until the receiving platform's desk signs it (Art. 30).
    _status("transfers", "平台移交", Status.TRANSFERRING, order="sign_due"),
    _status("returns", "退回待审", Status.RETURN_REQUESTED, order="updated_at"),
    Queue("extensions", "延期待审", _pending_extension, ("handling_due",)),
    _status("review", "办结待审", Status.REPLIED, order="replied_at"),
    Queue("followup", "待回访", lambda now: follow_up_q(), FOLLOW_UP_ORDER),
    Queue("overdue", "已超时", overdue_q, ("created_at",)),
    # The unit has answered a consultation; the operator answers the requester within the 24 hours (Art. 12(1)).
    Queue("consulted", "咨询已答复", _consultations_answered, ("consult_due",)),
)

# The unit inbox (Art. 13-15): sign within 1 working day, handle, reply.
INBOX_QUEUES: tuple[Queue, ...] = (
    _status("sign", "待签收", Status.DISPATCHED, order="sign_due"),
    _status("progress", "办理中", Status.IN_PROGRESS, order="handling_due"),
    _status("returned", "退回待审", Status.RETURN_REQUESTED, order="updated_at"),
    _status("replied", "已反馈待审", Status.REPLIED, order="replied_at"),
    Queue("done", "近期办结", _recently_done, ("-resolved_at",), history=True),
    # The consulted unit's tab: the hotline's question, to answer within 24 hours (Art. 12(1)).
    Queue("consult", "咨询待答复", _consultations, ("consult_due",)),
)


def tab_counts(queues: tuple[Queue, ...], qs: QuerySet[Ticket], now: dt.datetime) -> dict[str, int]:
    """How many of `qs` each tab of open work holds (not the `history` tabs), in one query: the open tickets of any
    tab are read once and counted per tab (`COUNT(*) FILTER (WHERE …)`). A unit's open work is a semi-join over its
    open assignments, which PostgreSQL hashes (674 rows for the biggest unit at a million tickets) once instead of
    once per tab, against the open tickets read from `ticket_open_by_created` alone. A history tab would add a
    month's resolutions to the rows read."""
    wheres = {queue.key: queue.where(now) for queue in queues if not queue.history}
    any_tab = Q(pk__in=[])
    for where in wheres.values():
        any_tab |= where
    counts = qs.order_by().filter(any_tab).aggregate(
        **{f"tab_{key}": Count("pk", filter=where) for key, where in wheres.items()})
    return {key: counts[f"tab_{key}"] for key in wheres}


# ---------------------------------------------------------------- Art. 24(3): dissatisfied after rework


def dissatisfied_after_rework_q() -> Q:
    """Tickets whose requester was dissatisfied again after a rework, through the unit's fault (第二十四条第三项):
    a follow-up event marked `unit_at_fault` that comes after a rework event of the same ticket. Read from the
    event log, so the supervision sweep and the follow-up desk agree on it."""
    from hotline.tickets.choices import Action

    earlier_rework = Event.objects.filter(ticket=OuterRef("ticket"), action=Action.REWORK, id__lt=OuterRef("id"))
    at_fault = Event.objects.filter(ticket=OuterRef("pk"), action=Action.FOLLOW_UP, data__unit_at_fault=True)
    return Q(rework_count__gte=1) & Q(Exists(at_fault.filter(Exists(earlier_rework))))


def dissatisfied_after_rework(ticket: Ticket) -> bool:
    """Whether `ticket` is one of `dissatisfied_after_rework_q` (第二十四条第三项)."""
    return Ticket.objects.filter(pk=ticket.pk).filter(dissatisfied_after_rework_q()).exists()


def statuses_at(ids: Iterable[int], moment: dt.datetime) -> dict[int, str]:
    """Each ticket's status just before `moment`, replayed from the event log: the status its last event before
    `moment` left it in, or, for a ticket with none before then (history imported without its first events), the
    status its first event after found it in (or created it in). A ticket with no events at all is left out: the
    caller decides (its status of today)."""
    then: dict[int, str] = {}
    later: dict[int, str] = {}
    for ticket_id, before, after, at in (Event.objects.filter(ticket_id__in=list(ids)).exclude(to_status="")
                                         .order_by("at", "id").values_list("ticket_id", "from_status", "to_status",
                                                                           "at")):
        if at < moment:
            then[ticket_id] = after
        elif ticket_id not in then and ticket_id not in later:
            later[ticket_id] = before or after  # a first event that created it: the status it created it in
    return {**later, **then}
