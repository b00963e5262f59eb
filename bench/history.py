"""A generated ticket history at city scale, shared by `bench/generate.py` and `bench/bench_statistics.py`.

Rows go in with PostgreSQL's COPY, not through the workflow (a million tickets through the workflow would take
hours), but they look like the workflow's: each ticket lives its life from its intake moment — accepted or declined,
answered or dispatched, signed or deemed signed, returns, extensions, replies with `due`/`late`, overdue marks,
reviews, follow-up calls, reworks — and stops where the generation's `now` falls, so its status, stored deadlines
and the records beside it (assignments, pending returns and extensions, replies waiting for review, follow-ups)
are those of that moment: old tickets closed, recent ones spread over every open status, a few long overdue.
Requesters are encrypted under the loaded key exactly as `Requester.save()` does, so the pages decrypt them.

Events go in unsealed (no chain position or MAC): the append-only trigger refuses only UPDATE and DELETE, so COPY
may insert, and `session_replication_role = replica` skips the foreign-key triggers while loading. `hotline
verify-chain` would list every generated event as unsealed: use a throw-away database. Deadlines are plain hours
and days, not the working-day calendar: the shapes of the queries matter here, not the exact minute.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.db import connection, models

from hotline.deadlines.calendar import LOCAL_TZ
from hotline.demo import directory as demo_directory
from hotline.demo import texts
from hotline.directory.choices import UnitKind
from hotline.directory.models import Platform, Staff, Topic, Unit
from hotline.tickets.choices import UNIT_ACTIONS
from hotline.tickets.models import (
    Assignment,
    Event,
    ExtensionRequest,
    FollowUp,
    Reply,
    Requester,
    ReturnRequest,
    Ticket,
    TicketCounter,
)
from hotline.vault.crypto import binding, encrypt
from hotline.vault.keys import keyring, phone_lookup_hash

UTC = dt.UTC
MIN = dt.timedelta(minutes=1)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
CHANNELS = ["phone"] * 6 + ["web", "wechat", "app", "sms"]
TYPES = ["consultation", "help", "complaint", "complaint", "report", "suggestion"]
LEVELS = ["5"] * 5 + ["4"] * 3 + ["3", "2", "1"]
PASSWORD = "bench-Pass-2026"  # every generated account; throw-away databases only
REQUESTER_TABLE = Requester._meta.db_table
DUMPS = json.JSONEncoder(ensure_ascii=False).encode  # one encoder for millions of small dicts
TABLES = ("tickets_ticket", "tickets_assignment", "tickets_event", "tickets_requester", "tickets_followup",
          "tickets_reply", "tickets_returnrequest", "tickets_extensionrequest", "tickets_unitticket")


class Copier:
    """COPY rows of one model: every concrete column, the ones not given filled with the field's default."""

    def __init__(self, model: type[models.Model], *, with_id: bool = False) -> None:
        # Without explicit ids the table's sequence numbers the rows.
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.table = model._meta.db_table
        self.columns = [f.column for f in self.fields]
        self.template: list[Any] = [self._default(f) for f in self.fields]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self.rows: list[list[Any]] = []
        self.total = 0

    @staticmethod
    def _default(field: models.Field) -> Any:
        if field.null:
            return None
        value = field.get_default()
        if isinstance(value, dict | list):
            return json.dumps(value)
        return "" if value is None else value

    def add(self, **values: Any) -> None:
        row = list(self.template)
        for name, value in values.items():
            row[self.index[name]] = value
        self.rows.append(row)

    def flush(self) -> None:
        cols = ", ".join(f'"{c}"' for c in self.columns)
        with connection.cursor() as cursor, cursor.copy(f'COPY "{self.table}" ({cols}) FROM STDIN') as copy:
            for row in self.rows:
                copy.write_row(row)
        self.total += len(self.rows)
        self.rows = []


# ---------------------------------------------------------------- the directory


@dataclass
class World:
    """The units, topics and staff the history is written for, as ids (the loop must not touch the ORM)."""

    hotline: int
    dispatcher: int
    reviewer: int
    followup: int
    counties: list[tuple[int, str, list[str]]]  # (unit id, name, towns)
    topics: list[tuple[int, str, int]]  # (topic id, code, city unit id)
    local: dict[tuple[int, str], int]  # (county id, topic code) -> the county department that handles it
    handlers: dict[int, int]  # unit id -> its handler's staff id
    platform: int  # the city platform, which receives and holds every generated ticket


def ensure_directory() -> World:
    """The demo's directory (Shaoyang's units, topics, staff; every password `PASSWORD`), built when the database
    holds no units; an existing directory is read as it is."""
    if not Unit.objects.exists():
        hashed = make_password(PASSWORD)
        names = [name for name, _, _ in demo_directory.HOTLINE_STAFF] + ["admin"]
        units = demo_directory.build_units()
        demo_directory.build_topics(units)
        demo_directory.build_staff(units, hashes=dict.fromkeys(names, hashed), handler_hash=hashed)
    units = {u.code: u for u in Unit.objects.all()}
    staff = {s.username: s.pk for s in Staff.objects.all()}
    specs = {s.code: s for s in demo_directory.TOPICS}
    counties = [(u.pk, u.name, [c.name.removeprefix(u.name) for c in units.values()
                                if c.parent_id == u.pk and c.kind == UnitKind.TOWN])
                for u in units.values() if u.kind == UnitKind.COUNTY]
    topics = [(t.pk, t.code, t.default_unit_id) for t in Topic.objects.filter(parent__isnull=False)
              if t.code in texts.REQUESTS and t.default_unit_id]
    local = {}
    for county_id, _name, _towns in counties:
        county = next(u for u in units.values() if u.pk == county_id)
        for t in Topic.objects.filter(pk__in=[t[0] for t in topics]):
            local[(county_id, t.code)] = demo_directory.county_department(units, county, t, specs).pk
    handlers = {u.pk: staff[f"h-{u.code}"] for u in units.values() if f"h-{u.code}" in staff}
    return World(hotline=units["hotline"].pk, dispatcher=staff["dispatcher"], reviewer=staff["reviewer"],
                 followup=staff["followup"], counties=counties, topics=topics, local=local, handlers=handlers,
                 platform=Platform.objects.get(parent__isnull=True).pk)


# ---------------------------------------------------------------- one ticket's life


@dataclass
class Life:
    """One ticket's events up to `now`; `status` and `cols` follow them."""

    tid: int
    now: dt.datetime
    events: Copier
    status: str = ""
    cols: dict[str, Any] = field(default_factory=dict)
    last_at: dt.datetime | None = None
    count: int = 0
    lead: int | None = None  # the lead unit from the last dispatch, which the next events are about

    def ev(self, action: str, to: str, at: dt.datetime, actor: int | None, unit: int | None, **data: Any) -> bool:
        """Record the event if it happened before `now`; False (and nothing written) when it lies in the future."""
        if at > self.now:
            return False
        # `Event.about_unit` as `Event.save()` writes it: the acting unit for a unit's own action, else the lead unit
        # then (an approved return's review is still the returning unit's: the re-dispatch comes after it).
        about = unit if action in UNIT_ACTIONS else self.lead
        self.events.add(ticket_id=self.tid, action=action, from_status=self.status, to_status=to, actor_id=actor,
                        actor_unit_id=unit, about_unit_id=about, at=at, data=DUMPS(data))
        self.status, self.last_at, self.count = to, at, self.count + 1
        return True


class Generator:
    """Writes tickets with everything beside them, batch by batch, through one Copier per table."""

    def __init__(self, world: World, now: dt.datetime, *, seed: int = 12345) -> None:
        self.world, self.now, self.rng = world, now, random.Random(seed)
        self.tickets = Copier(Ticket, with_id=True)
        self.requesters = Copier(Requester, with_id=True)
        self.assignments, self.events = Copier(Assignment), Copier(Event)
        self.follow_ups, self.replies = Copier(FollowUp), Copier(Reply)
        self.returns, self.extensions = Copier(ReturnRequest), Copier(ExtensionRequest)
        self.counters: dict[dt.date, int] = {}
        self.requester_ids: list[int] = []
        self.ring = keyring()

    def copiers(self) -> list[Copier]:
        # Parents first: tickets point at requesters, everything else at tickets.
        return [self.requesters, self.tickets, self.assignments, self.events, self.follow_ups, self.replies,
                self.returns, self.extensions]

    def run(self, n: int, first: dt.datetime, progress: Callable[[int], None] | None = None) -> None:
        """Write n tickets created evenly over [first, now)."""
        span = (self.now - first).total_seconds()
        for tid in range(1, n + 1):
            self.ticket(tid, first + dt.timedelta(seconds=span * (tid - 1) / n + self.rng.random() * 60))
            if len(self.events.rows) >= 50_000:
                self.flush()
                if progress:
                    progress(tid)
        self.flush()
        self.save_counters()

    def flush(self) -> None:
        for copier in self.copiers():
            copier.flush()

    def requester(self) -> int | None:
        """A new requester one time in two, a caller seen before otherwise, none for one contact in ten."""
        roll = self.rng.random()
        if roll < 0.1:
            return None
        if roll < 0.55 and self.requester_ids:
            return self.rng.choice(self.requester_ids[-5000:])  # repeat callers call about recent matters
        rid, uid = len(self.requester_ids) + 1, uuid.uuid4()
        clear = {**texts.requester(self.rng, rid),
                 "address": f"{self.rng.choice(texts.ROADS)}{self.rng.randint(1, 300)}号"}
        # Sealed as `Requester.save()` seals them: AES-GCM under the current key, bound to table, column and uid.
        cells = {name: encrypt(value, binding(REQUESTER_TABLE, name, uid), self.ring) for name, value in clear.items()}
        self.requesters.add(id=rid, uid=uid, phone_hash=phone_lookup_hash(clear["phone"]), created_at=self.now,
                            **cells)
        self.requester_ids.append(rid)
        return rid

    def number(self, at: dt.datetime) -> str:
        day = at.astimezone(LOCAL_TZ).date()
        self.counters[day] = self.counters.get(day, 0) + 1
        return f"{day:%Y%m%d}{self.counters[day]:06d}"

    def save_counters(self) -> None:
        # New intake continues each day's sequence after the generated numbers.
        TicketCounter.objects.bulk_create([TicketCounter(day=d, last=n) for d, n in self.counters.items()],
                                          update_conflicts=True, unique_fields=["day"], update_fields=["last"])

    def ticket(self, tid: int, t0: dt.datetime) -> None:
        w, rng = self.world, self.rng
        topic_id, code, city_unit = rng.choice(w.topics)
        county_id, county, towns = rng.choice(w.counties)
        unit = w.local.get((county_id, code), city_unit) if rng.random() < 0.85 else city_unit
        title, content, address = texts.request_text(rng, code, county, rng.choice(towns or [""]))
        life = Life(tid, self.now, self.events)
        life.cols.update(dispatch_due=t0 + 2 * H)
        roll = rng.random()
        if roll < 0.03:
            life.ev("decline", "declined", t0, w.dispatcher, w.hotline, reason_code=rng.choice("1234589"))
            life.cols.update(decline_reason=rng.choice("1234589"), explanation="不属于热线受理范围，已告知。")
        else:
            life.ev("accept", "pending_dispatch", t0, w.dispatcher, w.hotline)
            if roll < 0.10:
                if life.ev("answer", "answered", t0 + 10 * MIN, w.dispatcher, w.hotline):
                    life.cols.update(answer=rng.choice(texts.ANSWERS))
            elif roll < 0.11:  # a unit is consulted first (Art. 14.2), then the hotline answers
                life.cols.update(consult_unit_id=unit, consult_due=t0 + D)
                if life.ev("consult", "consulting", t0 + 15 * MIN, w.dispatcher, w.hotline) and life.ev(
                        "answer", "answered", t0 + dt.timedelta(hours=rng.uniform(1, 20)), w.dispatcher, w.hotline):
                    life.cols.update(answer=rng.choice(texts.CONSULT_ANSWERS))
            elif roll < 0.115 and tid > 1:  # the same matter called in again: merged into the earlier ticket
                if life.ev("merge", "merged", t0 + 5 * MIN, w.dispatcher, w.hotline, into=tid - 1):
                    life.cols["merged_into_id"] = tid - 1
                    if t0 + 10 * D <= self.now:  # the requester's own follow-up call (Art. 17, 并单)
                        self.follow_ups.add(ticket_id=tid, agent_id=w.followup, at=t0 + 10 * D, reached=True,
                                            satisfaction="5", solved=True, unit_contacted=True)
            elif roll < 0.117:  # an emergency handed to 110/119/120 (Art. 7)
                if life.ev("hand_off", "handed_off", t0 + 2 * MIN, w.dispatcher, w.hotline, line="110"):
                    life.cols["handed_off_to"] = "110"
            else:
                self.handled(life, t0, unit, again=city_unit if city_unit != unit else None)
        self.tickets.add(id=tid, number=self.number(t0), channel=rng.choice(CHANNELS), request_type=rng.choice(TYPES),
                         topic_id=topic_id, title=title, content=content, address=address, region_id=county_id,
                         requester_id=self.requester(), status=life.status, version=life.count,
                         created_by_id=w.dispatcher, created_at=t0, updated_at=life.last_at or t0,
                         platform_id=w.platform, received_by_id=w.platform, **life.cols)

    def finish(self, tid: int, at: dt.datetime) -> None:
        """The ticket is closed: its active assignments are finished at that moment, as the follow-up does."""
        rows, index = self.assignments.rows, self.assignments.index
        for row in reversed(rows):
            if row[index["ticket_id"]] != tid:
                break
            if row[index["is_active"]]:
                row[index["finished_at"]] = at

    def handled(self, life: Life, t0: dt.datetime, unit: int, *, again: int | None = None) -> None:
        w, rng, tid = self.world, self.rng, life.tid
        handler = w.handlers[unit]
        dispatched = (life.last_at or t0) + dt.timedelta(minutes=rng.randint(10, 180))
        life.lead = unit  # the dispatch is about the unit it names, and so is everything until the next one
        if not life.ev("dispatch", "dispatched", dispatched, w.dispatcher, w.hotline,
                       due=(t0 + 2 * H).isoformat(), late=dispatched >= t0 + 2 * H):
            return
        sign_due = dispatched + D
        life.cols.update(lead_unit_id=unit, dispatched_at=dispatched, sign_due=sign_due)
        self.assignments.add(ticket_id=tid, unit_id=unit, role="lead", dispatched_at=dispatched,
                             dispatched_by_id=w.dispatcher)
        if again is not None and rng.random() < 0.03:
            asked = dispatched + 2 * H
            if life.ev("request_return", "return_requested", asked, handler, unit):
                pending = not life.ev("review_return", "pending_dispatch", dispatched + 5 * H, w.reviewer, w.hotline,
                                      approved=True)
                self.returns.add(ticket_id=tid, unit_id=unit, kind="desk", reason=texts.RETURN_REASONS[0],
                                 basis="职责分工", prior_status="dispatched", requested_by_id=handler,
                                 requested_at=asked, state="pending" if pending else "approved",
                                 reviewed_by_id=None if pending else w.reviewer,
                                 reviewed_at=None if pending else dispatched + 5 * H)
                if not pending:  # the returned unit's part ends; the hotline dispatches to the city unit
                    self.assignments.rows[-1][self.assignments.index["is_active"]] = False
                    self.assignments.rows[-1][self.assignments.index["ended_at"]] = dispatched + 5 * H
                    life.cols.update(dispatch_due=dispatched + 7 * H)
                    self.handled(life, t0, again)
            return
        if rng.random() < 0.9:
            signed = dispatched + dt.timedelta(hours=rng.uniform(0.2, 26))
            ok = life.ev("sign", "in_progress", signed, handler, unit, due=sign_due.isoformat(),
                         late=signed >= sign_due)
        else:
            signed = sign_due + 5 * MIN  # the sweep's deemed signing (Art. 13)
            ok = life.ev("deem_signed", "in_progress", signed, None, None, due=sign_due.isoformat(), late=True)
            life.cols["deemed_signed"] = ok
        if not ok:
            return
        due = signed + 7 * D
        life.cols.update(signed_at=signed, handling_days=5, handling_due=due)
        self.handling(life, signed, due, unit, handler)

    def handling(self, life: Life, signed: dt.datetime, due: dt.datetime, unit: int, handler: int) -> None:
        w, rng, tid = self.world, self.rng, life.tid
        if rng.random() < 0.05:
            asked = signed + 2 * D
            if life.ev("request_extension", "in_progress", asked, handler, unit):
                pending = not life.ev("review_extension", "in_progress", signed + 3 * D, w.reviewer, w.hotline,
                                      approved=True)
                self.extensions.add(ticket_id=tid, unit_id=unit, working_days=10, reason=texts.EXTENSION_REASONS[0],
                                    old_due=due, new_due=None if pending else due + 10 * D, requested_by_id=handler,
                                    requested_at=asked, state="pending" if pending else "approved",
                                    reviewed_by_id=None if pending else w.reviewer,
                                    reviewed_at=None if pending else signed + 3 * D)
                if not pending:
                    due += 10 * D
                    life.cols.update(handling_due=due, extension_count=1)
        # One in 400 is never answered: the long overdue tail a real city carries.
        stuck = rng.random() < 0.0025
        replied = signed + dt.timedelta(days=rng.uniform(0.5, 8.5) + (10_000 if stuck else 0))
        if min(replied, self.now) >= due:
            life.ev("mark_overdue", "in_progress", due + H, None, None, clock="handling", due=due.isoformat())
        if not life.ev("reply", "replied", replied, handler, unit, clock="handling", due=due.isoformat(),
                       late=replied >= due):
            return
        life.cols["replied_at"] = replied
        reviewed = replied + 4 * H
        if not life.ev("review_reply", "resolved", reviewed, w.reviewer, w.hotline, approved=True):
            self.replies.add(ticket_id=tid, unit_id=unit, handler_name="承办人", handled_at=replied,
                             process=texts.REPLIES[0], result=texts.REPLIES[0], contact_note=texts.CONTACT_NOTES[0],
                             submitted_by_id=handler, submitted_at=replied)
            return
        life.cols["resolved_at"] = reviewed
        self.follow_up(life, replied + D, unit, handler)

    def follow_up(self, life: Life, at: dt.datetime, unit: int, handler: int, *, final: bool = False) -> None:
        w, rng, tid = self.world, self.rng, life.tid
        reached = rng.random() < 0.9
        level = rng.choice(LEVELS) if reached else ""
        at_fault = not final and level in ("1", "2") and rng.random() < 0.5
        contacted = rng.random() < 0.92
        if not life.ev("follow_up", "resolved" if at_fault else "closed", at, w.followup, w.hotline, reached=reached,
                       satisfaction=level, unit_contacted=contacted, unit_at_fault=at_fault):
            return
        self.follow_ups.add(ticket_id=tid, agent_id=w.followup, at=at, reached=reached, satisfaction=level,
                            solved=level in ("4", "5") if reached else None,
                            unit_contacted=contacted if reached else None, unit_at_fault=at_fault)
        if not at_fault:
            life.cols["closed_at"] = at
            self.finish(tid, at)
        elif life.ev("rework", "in_progress", at + H, w.followup, w.hotline):
            # Sent back once (Art. 17); the unit replies again and the second follow-up closes it.
            due = at + 5 * D
            life.cols.update(rework_count=1, rework_due=due, resolved_at=None)
            replied = at + dt.timedelta(days=rng.uniform(1, 4))
            if life.ev("reply", "replied", replied, handler, unit, clock="rework", due=due.isoformat(),
                       late=replied >= due):
                life.cols["replied_at"] = replied
                if life.ev("review_reply", "resolved", replied + 4 * H, w.reviewer, w.hotline, approved=True):
                    life.cols["resolved_at"] = replied + 4 * H
                    self.follow_up(life, replied + D, unit, handler, final=True)


# ---------------------------------------------------------------- loading


def drop_indexes(tables: tuple[str, ...] = TABLES) -> list[str]:
    """Drop the plain (non-constraint) indexes of `tables`, returning their definitions: building an index once
    after the load is much faster than keeping it up to date row by row."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexname NOT IN "
                       "(SELECT conname FROM pg_constraint)", [list(tables)])
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


def rebuild(definitions: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for definition in definitions:
            cursor.execute(definition)


def timed(label: str, fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<52} {elapsed:8.3f} s", flush=True)
    return elapsed, result


# What `workflow.owe_merged_calls` stores as it goes (Art. 17, 并单), set at once: a merged requester not reached,
# with fewer than three calls, whose original is resolved or closed, carries the original's follow-up due.
OWED_MERGED_SQL = """
UPDATE tickets_ticket m SET follow_up_due = COALESCE(o.follow_up_due, o.resolved_at, o.closed_at)
FROM tickets_ticket o
WHERE m.merged_into_id = o.id AND m.status = 'merged' AND o.status IN ('resolved', 'closed')
  AND NOT EXISTS (SELECT 1 FROM tickets_followup f WHERE f.ticket_id = m.id AND f.reached)
  AND (SELECT count(*) FROM tickets_followup f WHERE f.ticket_id = m.id) < 3"""


def mark_owed_merged() -> None:
    with connection.cursor() as cursor:
        cursor.execute(OWED_MERGED_SQL)


def readable_by_units() -> None:
    """Which units may read each ticket (`UnitTicket`), derived from the assignments and consultations written, by
    the migration that introduced it."""
    importlib.import_module("hotline.tickets.migrations.0028_unit_ticket").record(django_apps, connection)


def load(n: int, first: dt.datetime, now: dt.datetime, world: World, *, seed: int = 12345) -> Generator:
    """Write n tickets over [first, now) with indexes dropped and rebuilt, sequences moved on, then VACUUM ANALYZE."""
    if Ticket.objects.exists():
        raise SystemExit("the database already holds tickets: generate into an empty one")
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    dropped = drop_indexes()
    gen = Generator(world, now, seed=seed)

    def progress(tid: int) -> None:
        if tid % 100_000 < 8_000:
            print(f"  {tid:,} tickets, {gen.events.total:,} events", flush=True)

    timed(f"generate {n:,} tickets by COPY", lambda: gen.run(n, first, progress))
    timed("tickets each unit may read", readable_by_units)
    timed(f"rebuild {len(dropped)} indexes", lambda: rebuild(dropped))
    timed("merged requesters owed a call", mark_owed_merged)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = origin")
        for table in TABLES:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")
        timed("VACUUM ANALYZE", lambda: cursor.execute("VACUUM ANALYZE"))
    print(f"history: {gen.tickets.total:,} tickets, {gen.events.total:,} events, {gen.requesters.total:,} requesters, "
          f"{gen.follow_ups.total:,} follow-ups", flush=True)
    return gen
