"""Monthly statistics at scale (issue #12): a generated history of N tickets on PostgreSQL, then the timings.

    createdb -h 127.0.0.1 -U postgres hotline_bench_stats
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hotline_bench_stats \\
        .venv/bin/python bench/bench_statistics.py --tickets 1000000
    dropdb -h 127.0.0.1 -U postgres hotline_bench_stats

Goals: statistics of an open month < 5 s, and at most 3 × one plain read of that month's events timed in the same
run; closing a month and producing the bulletin < 30 s; reading a published month < 200 ms.

The history is the one `bench/generate.py` writes (`bench/history.py`: COPY, unsealed events, a throw-away
database), up to the end of the measured month; `--skip-load` measures a database already generated, e.g. by
`bench/generate.py --tickets 1000000 --months 24`. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench import history  # noqa: E402
from bench.history import timed  # noqa: E402
from hotline.directory.models import Staff  # noqa: E402
from hotline.reports import closing  # noqa: E402
from hotline.reports.bulletin import render_all  # noqa: E402
from hotline.reports.facts import Period  # noqa: E402
from hotline.reports.models import MonthClose  # noqa: E402
from hotline.tickets.models import Event  # noqa: E402

UTC = dt.UTC


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
        history.load(args.tickets, start, end, history.ensure_directory())
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
