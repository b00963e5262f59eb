"""Monthly statistics at scale (issue #12): a generated history of N tickets on PostgreSQL, then the timings.

    createdb -h 127.0.0.1 -U postgres hotline_bench_stats
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hotline_bench_stats \\
        .venv/bin/python bench/bench_statistics.py --tickets 1000000
    dropdb -h 127.0.0.1 -U postgres hotline_bench_stats

Goals: statistics of an open month < 5 s, and at most 3 × one plain read of that month's events timed in the same
run; closing a month and producing the bulletin < 30 s; reading a published month < 200 ms.

The history is written with COPY, not through the workflow (a million tickets through the workflow would take
hours): tickets, lead assignments and events that look like the workflow's (ACCEPT, DISPATCH, SIGN or DEEM_SIGNED,
returns, extensions, REPLY with `due`/`late`, MARK_OVERDUE, REVIEW_REPLY, FOLLOW_UP, REWORK). Events go in
unsealed (no chain position or MAC): the append-only trigger refuses only UPDATE and DELETE, so COPY may insert,
and `session_replication_role = replica` skips the foreign-key triggers while loading. `hotline verify-chain`
would list every generated event as unsealed: use a throw-away database. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, models  # noqa: E402

from hotline.directory.choices import Role, UnitKind  # noqa: E402
from hotline.directory.models import Staff, Topic, Unit  # noqa: E402
from hotline.reports import closing  # noqa: E402
from hotline.reports.bulletin import render_all  # noqa: E402
from hotline.reports.facts import Period  # noqa: E402
from hotline.reports.models import MonthClose  # noqa: E402
from hotline.tickets.models import Assignment, Event, Ticket  # noqa: E402

UTC = dt.UTC
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
CHANNELS = ["phone"] * 6 + ["web", "wechat", "app", "sms"]
TYPES = ["consultation", "help", "complaint", "complaint", "report", "suggestion"]
LEVELS = ["5"] * 5 + ["4"] * 3 + ["3", "2", "1"]


class Copier:
    """COPY rows of one model: every concrete column, the ones not given filled with the field's default."""

    def __init__(self, model: type[models.Model], *, with_id: bool = False) -> None:
        # Without explicit ids the table's sequence numbers the rows.
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.table = model._meta.db_table
        self.columns = [f.column for f in self.fields]
        self.template: list[Any] = [self._default(f) for f in self.fields]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}

    @staticmethod
    def _default(field: models.Field) -> Any:
        if field.null:
            return None
        value = field.get_default()
        if isinstance(value, dict | list):
            return json.dumps(value)
        return "" if value is None else value

    def row(self, **values: Any) -> list[Any]:
        row = list(self.template)
        for name, value in values.items():
            row[self.index[name]] = value
        return row

    def load(self, rows: list[list[Any]]) -> None:
        cols = ", ".join(f'"{c}"' for c in self.columns)
        with connection.cursor() as cursor, cursor.copy(f'COPY "{self.table}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)


def directory() -> dict[str, Any]:
    hotline = Unit.objects.create(code="hotline", name="市政务热线服务中心", kind=UnitKind.HOTLINE)
    units = []
    for i in range(11):
        units.append(Unit.objects.create(code=f"county{i}", name=f"第{i + 1}县市区", kind=UnitKind.COUNTY))
    for i in range(45):
        units.append(Unit.objects.create(code=f"dept{i}", name=f"市直部门{i + 1}", kind=UnitKind.CITY_DEPARTMENT,
                                         responds_24h=i < 5))
    for i in range(8):
        units.append(Unit.objects.create(code=f"util{i}", name=f"公用事业{i + 1}", kind=UnitKind.UTILITY))
    for i in range(6):
        units.append(Unit.objects.create(code=f"prov{i}", name=f"部省属单位{i + 1}", kind=UnitKind.PROVINCIAL))
    topics = []
    for r in range(10):
        root = Topic.objects.create(code=f"{r:02d}", name=f"事项大类{r + 1}")
        topics += [Topic.objects.create(code=f"{r:02d}{c:02d}", name=f"事项{r + 1}-{c + 1}", parent=root,
                                        default_unit=units[(r * 6 + c) % len(units)]) for c in range(6)]

    def person(name: str, role: str, unit: Unit) -> Staff:
        return Staff.objects.create_user(username=name, password="bench-Pass-2026", role=role, unit=unit)

    handlers = {u.pk: person(f"h-{u.code}", Role.UNIT_HANDLER, u) for u in units}
    return {"hotline": hotline, "units": units, "topics": topics, "handlers": handlers,
            "dispatcher": person("dispatcher", Role.DISPATCHER, hotline),
            "reviewer": person("reviewer", Role.REVIEWER, hotline),
            "followup": person("followup", Role.FOLLOWUP, hotline),
            "manager": person("manager", Role.MANAGER, hotline)}


def generate(n: int, first: dt.datetime, last: dt.datetime, world: dict[str, Any]) -> int:
    """Write n tickets spread evenly over [first, last) with their events; returns the number of events."""
    rng = random.Random(12345)
    tickets, assignments, events = Copier(Ticket, with_id=True), Copier(Assignment), Copier(Event)
    span = (last - first).total_seconds()
    hotline, dispatcher, reviewer, followup = (world["hotline"].pk, world["dispatcher"].pk, world["reviewer"].pk,
                                               world["followup"].pk)
    counties = [u for u in world["units"] if u.kind == UnitKind.COUNTY]
    total_events, batch = 0, 50_000
    t_rows: list[list[Any]] = []
    a_rows: list[list[Any]] = []
    e_rows: list[list[Any]] = []

    def ev(tid: int, action: str, frm: str, to: str, at: dt.datetime, actor: int | None, unit: int | None,
           **data: Any) -> None:
        e_rows.append(events.row(ticket_id=tid, action=action, from_status=frm, to_status=to, actor_id=actor,
                                 actor_unit_id=unit, at=at, data=json.dumps(data, ensure_ascii=False)))

    for tid in range(1, n + 1):
        t0 = first + dt.timedelta(seconds=span * (tid - 1) / n + rng.random() * 60)
        topic = rng.choice(world["topics"])
        unit = topic.default_unit if rng.random() < 0.7 else rng.choice(world["units"])
        handler = world["handlers"][unit.pk].pk
        status, fields = "closed", {}
        roll = rng.random()
        if roll < 0.03:
            ev(tid, "decline", "", "declined", t0, dispatcher, hotline, reason_code=rng.choice("1234589"))
            status = "declined"
        else:
            ev(tid, "accept", "", "pending_dispatch", t0, dispatcher, hotline)
            if roll < 0.11:
                ev(tid, "answer", "pending_dispatch", "answered", t0 + 10 * dt.timedelta(minutes=1), dispatcher,
                   hotline)
                status = "answered"
            else:
                status, fields = _handled(tid, t0, unit.pk, handler, rng, ev, a_rows, assignments, dispatcher,
                                          reviewer, followup, hotline)
        t_rows.append(tickets.row(id=tid, number=f"B{tid:013d}", channel=rng.choice(CHANNELS),
                                  request_type=rng.choice(TYPES), topic_id=topic.pk, content="生成的诉求",
                                  region_id=rng.choice(counties).pk if rng.random() < 0.8 else None, status=status,
                                  created_at=t0, updated_at=t0, lead_unit_id=fields.get("lead"),
                                  created_by_id=dispatcher))
        if len(e_rows) >= batch:
            _flush(tickets, t_rows, assignments, a_rows, events, e_rows)
            total_events += len(e_rows)
            t_rows, a_rows, e_rows = [], [], []
            if tid % 100_000 < 8_000:
                print(f"  {tid:,} tickets, {total_events:,} events", flush=True)
    _flush(tickets, t_rows, assignments, a_rows, events, e_rows)
    return total_events + len(e_rows)


def _flush(*pairs: Any) -> None:
    # Tickets first: assignments and events point at them.
    for copier, rows in zip(pairs[::2], pairs[1::2], strict=True):
        copier.load(rows)


def _handled(tid: int, t0: dt.datetime, unit: int, handler: int, rng: random.Random, ev: Any, a_rows: list,
             assignments: Copier, dispatcher: int, reviewer: int, followup: int,
             hotline: int) -> tuple[str, dict[str, Any]]:
    dispatched = t0 + dt.timedelta(minutes=rng.randint(10, 180))
    ev(tid, "dispatch", "pending_dispatch", "dispatched", dispatched, dispatcher, hotline,
       due=(t0 + 2 * H).isoformat(), late=dispatched >= t0 + 2 * H)
    a_rows.append(assignments.row(ticket_id=tid, unit_id=unit, role="lead", dispatched_at=dispatched,
                                  dispatched_by_id=dispatcher))
    sign_due = dispatched + D
    if rng.random() < 0.03:
        ev(tid, "request_return", "dispatched", "return_requested", dispatched + 2 * H, handler, unit)
        ev(tid, "review_return", "return_requested", "pending_dispatch", dispatched + 5 * H, reviewer, hotline,
           approved=True)
        return "pending_dispatch", {}
    if rng.random() < 0.9:
        signed = dispatched + dt.timedelta(hours=rng.uniform(0.2, 26))
        ev(tid, "sign", "dispatched", "in_progress", signed, handler, unit, due=sign_due.isoformat(),
           late=signed >= sign_due)
    else:
        signed = sign_due + dt.timedelta(minutes=5)
        ev(tid, "deem_signed", "dispatched", "in_progress", signed, None, None, due=sign_due.isoformat(), late=True)
    due = signed + 7 * D
    if rng.random() < 0.05:
        ev(tid, "request_extension", "in_progress", "in_progress", signed + 2 * D, handler, unit)
        ev(tid, "review_extension", "in_progress", "in_progress", signed + 3 * D, reviewer, hotline, approved=True)
        due += 10 * D
    replied = signed + dt.timedelta(days=rng.uniform(0.5, 8.5))
    if replied >= due:
        ev(tid, "mark_overdue", "in_progress", "in_progress", due + H, None, None, clock="handling",
           due=due.isoformat())
    ev(tid, "reply", "in_progress", "replied", replied, handler, unit, clock="handling", due=due.isoformat(),
       late=replied >= due)
    ev(tid, "review_reply", "replied", "resolved", replied + 4 * H, reviewer, hotline, approved=True)
    reached = rng.random() < 0.9
    level = rng.choice(LEVELS) if reached else ""
    at_fault = level in ("1", "2") and rng.random() < 0.5
    ev(tid, "follow_up", "resolved", "resolved" if at_fault else "closed", replied + D, followup, hotline,
       reached=reached, satisfaction=level, unit_contacted=rng.random() < 0.92, unit_at_fault=at_fault)
    if at_fault:
        ev(tid, "rework", "resolved", "in_progress", replied + D + H, followup, hotline)
        return "in_progress", {"lead": unit}
    return "closed", {"lead": unit}


def drop_indexes(tables: tuple[str, ...]) -> list[str]:
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


def timed(label: str, fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<52} {elapsed:8.3f} s", flush=True)
    return elapsed, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--month", default="2026-10", help="the month to measure and close (YYYY-MM)")
    parser.add_argument("--skip-load", action="store_true", help="reuse the history already in the database")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("DATABASE_URL must point to a PostgreSQL database made for this benchmark")
    year, month = closing.parse_month(args.month)
    period = Period.month(year, month)
    end = period.bounds[1].astimezone(UTC)
    start = Period.month(*closing.previous(year, month, args.months - 1)).bounds[0].astimezone(UTC)
    if not args.skip_load:
        call_command("migrate", verbosity=0)
        world = directory()
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        dropped = drop_indexes(("tickets_event", "tickets_assignment", "tickets_ticket"))
        elapsed, n_events = timed(f"generate {args.tickets:,} tickets by COPY",
                                  lambda: generate(args.tickets, start, end, world))
        timed(f"rebuild {len(dropped)} indexes", lambda: rebuild(dropped))
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = origin")
            for table in ("tickets_ticket", "tickets_assignment", "tickets_event"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            timed("VACUUM ANALYZE", lambda: cursor.execute("VACUUM ANALYZE"))
        print(f"history: {args.tickets:,} tickets, {n_events:,} events over {args.months} months")
    else:
        MonthClose.objects.filter(year=year, month=month).delete()  # measured again from scratch
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")  # PostgreSQL's JIT more than doubles these queries (docs/statistics.md)
    manager = Staff.objects.get(username="manager")
    low, high = period.bounds
    month_events = Event.objects.filter(at__gte=low, at__lt=high).count()
    print(f"{args.month}: {month_events:,} events")
    plain, _ = timed("plain read of the month's events", lambda: list(
        Event.objects.filter(at__gte=low, at__lt=high).values_list("id", "ticket_id", "action", "at",
                                                                   "actor_unit_id", "data")))
    stats, _ = timed("statistics of the open month (all units, scores)", lambda: closing.build_snapshot(year, month))
    print(f"{'ratio statistics / plain read':<52} {stats / plain:8.2f} ×  (goal ≤ 3)")
    close_s, close = timed("close the month (compute and freeze)", lambda: closing.close_month(year, month, by=manager))
    files_s, _ = timed("produce the bulletin (DOCX, PDF, XLSX with charts)", lambda: render_all(close))
    print(f"{'close + bulletin':<52} {close_s + files_s:8.3f} s  (goal < 30)")
    closing.review_month(year, month, by=manager, typical_cases="生成数据，无典型案例。")
    timed("publish (renders and keeps the files)", lambda: closing.publish_month(year, month, by=manager))
    reads = [timed("read the published month", lambda: closing.month_snapshot(year, month))[0] for _ in range(3)]
    print(f"{'read the published month, best of 3':<52} {min(reads) * 1000:8.1f} ms (goal < 200)")


if __name__ == "__main__":
    main()
