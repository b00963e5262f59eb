"""Where each measured page spends its time, in-process: the pages of `bench/bench_pages.py` rendered through
Django's test client on one database, with every SQL statement timed. On a shared machine a page's wall time
says little; its SQL time and the slowest statement say which query to look at with EXPLAIN.

    DATABASE_URL=postgres://…/hotline_1m HOTLINE_DATA_DIR=<the generator's data directory> \\
        .venv/bin/python bench/page_sql.py [--only desk] [--repeat 3]

Prints, per page: the best of `--repeat` wall times, the CPU this process spent on that run (Python: the view,
the ORM and the template; PostgreSQL's own work is another process), the SQL time and statement count of that run,
and its slowest statement. `--profile N` prints the N functions with the most cumulative time of one more run.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
os.environ.setdefault("HOTLINE_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench import bench_pages  # noqa: E402
from hotline.directory.models import Staff  # noqa: E402


class Timer:
    """An execute wrapper that records (seconds, sql) of every statement."""

    def __init__(self) -> None:
        self.statements: list[tuple[float, str]] = []
        self.raw: list[tuple[str, Any]] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        self.raw.append((sql, None if many else params))
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((time.perf_counter() - start, sql % tuple(
                repr(p) for p in params) if params and not many else sql))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="only pages whose name contains this")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--show", action="store_true", help="print each page's slowest statement in full")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile one more run of each page and print its N costliest functions")
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"),
                        help="order the profile by time including callees (cumulative) or by own time (tottime)")
    parser.add_argument("--explain", type=int, default=0, metavar="N",
                        help="print the EXPLAIN ANALYZE of each page's N slowest statements")
    parser.add_argument("--plan", action="store_true",
                        help="re-run each SELECT under EXPLAIN ANALYZE and split its time into planning and execution")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    code, unit_id, number = bench_pages.facts(url)
    target = bench_pages.Target("db", "", code, unit_id, number)
    desk, unit = Client(), Client()
    desk.force_login(Staff.objects.get(username="dispatcher"))
    unit.force_login(Staff.objects.get(username=f"h-{code}"))
    token_of = {name: Client().post("/api/v1/auth/token", {"username": name, "password": bench_pages.stack.PASSWORD},
                                    content_type="application/json").json()["token"]
                for name in ("dispatcher", f"h-{code}")}
    print(f"{'page':<26} {'wall ms':>8} {'cpu ms':>8} {'sql ms':>8} {'stmts':>6}  slowest statement")
    for name, who, path in bench_pages.pages(target):
        if args.only and args.only not in name:
            continue
        if who.startswith("api") or who == "unit-api":
            client = Client()
            user = "dispatcher" if who == "api" else f"h-{code}"
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_of[user]}"
        else:
            client = desk if who == "desk" else unit
        best: tuple[float, float, Timer] | None = None
        for _ in range(args.repeat):
            timer = Timer()
            start, cpu_start = time.perf_counter(), time.thread_time()
            with connection.execute_wrapper(timer):
                answer = client.get(path)
            wall, cpu = time.perf_counter() - start, time.thread_time() - cpu_start
            if answer.status_code != 200:
                print(f"{name:<26} answered {answer.status_code}")
                break
            if best is None or wall < best[0]:
                best = (wall, cpu, timer)
        if best is None:
            continue
        wall, cpu, timer = best
        sql = sum(s for s, _ in timer.statements)
        slow_s, slow_sql = max(timer.statements, default=(0.0, ""))
        print(f"{name:<26} {wall * 1000:8.0f} {cpu * 1000:8.0f} {sql * 1000:8.0f} {len(timer.statements):6d}  "
              f"{slow_s * 1000:.0f} ms: {' '.join(slow_sql.split())[:160]}", flush=True)
        if args.show:
            print(f"    {slow_sql}", flush=True)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(client.get, path)
            pstats.Stats(profiler, stream=sys.stdout).sort_stats(args.sort).print_stats(args.profile)
        if args.explain:
            slowest = sorted(zip(timer.statements, timer.raw, strict=True), key=lambda pair: -pair[0][0])
            with connection.cursor() as cursor:
                for (seconds, _), (statement, params) in slowest[:args.explain]:
                    if not statement.lstrip().upper().startswith("SELECT"):
                        continue
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                    print(f"  -- {seconds * 1000:.0f} ms: {' '.join(statement.split())}")
                    print("\n".join("    " + line for (line,) in cursor.fetchall()), flush=True)
        if args.plan:
            planning = execution = 0.0
            worst = (0.0, "")
            with connection.cursor() as cursor:
                for statement, params in timer.raw:
                    if not statement.lstrip().upper().startswith("SELECT"):
                        continue
                    cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params)
                    plan = cursor.fetchone()[0][0]
                    planning += plan["Planning Time"]
                    execution += plan["Execution Time"]
                    worst = max(worst, (plan["Planning Time"], statement))
            print(f"    planning {planning:.0f} ms, execution {execution:.0f} ms; most planning "
                  f"{worst[0]:.0f} ms: {' '.join(worst[1].split())[:120]}", flush=True)


if __name__ == "__main__":
    main()
