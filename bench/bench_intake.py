"""Intake under load (issue #15): 1,000 tickets created through the API from 20 concurrent clients, then the same
through the call desk's form, on the production server; every accepted answer checked against the database.

    HOTLINE_DATA_DIR=… .venv/bin/python bench/bench_intake.py --database postgres://postgres@127.0.0.1:5432/hotline_1m

Run on a generated database (`bench/generate.py`: the `operator` account, password `bench-Pass-2026`). Prints the
throughput, p50/p95, and the checks: every creation answered 201 (API) or 302 to its ticket (form), as many new
rows as answers, each answered number in the database once, no number given twice.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import uuid
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import stack  # noqa: E402


def through_api(base: str, run: str, count: int, clients: int) -> list[tuple[str, float]]:
    session = stack.requests.Session()
    session.headers["Authorization"] = f"Bearer {stack.api_token(base, 'operator')}"
    sessions = [stack.clone(session) for _ in range(clients)]

    def one(i: int) -> tuple[str, float]:
        body = {"channel": "phone", "request_type": "complaint", "title": "压测来电",
                "content": f"{run}-{i} 小区路灯不亮，请尽快维修。", "address": "双清区宝庆中路1号",
                "requester": {"name": "王某某", "phone": f"1990000{i % 10000:04d}"}}
        start = time.perf_counter()
        answer = sessions[i % clients].post(f"{base}/api/v1/tickets", json=body, timeout=300)
        elapsed = time.perf_counter() - start
        return (answer.json()["number"] if answer.status_code == 201 else f"HTTP {answer.status_code}"), elapsed

    return stack.run_parallel(one, count, clients)  # type: ignore[return-value]


def through_form(base: str, run: str, count: int, clients: int) -> list[tuple[str, float]]:
    session = stack.login(base, "operator")
    sessions = [stack.clone(session) for _ in range(clients)]
    token = session.cookies.get("csrftoken") or ""

    def one(i: int) -> tuple[str, float]:
        data = {"channel": "phone", "request_type": "complaint", "title": "压测来电",
                "content": f"{run}-{i} 小区路灯不亮，请尽快维修。", "address": "双清区宝庆中路1号",
                "requester_name": "王某某", "requester_phone": f"1990000{i % 10000:04d}",
                "csrfmiddlewaretoken": token}
        start = time.perf_counter()
        answer = sessions[i % clients].post(f"{base}/desk/", data=data, headers={"Referer": f"{base}/desk/"},
                                            timeout=300, allow_redirects=False)
        elapsed = time.perf_counter() - start
        found = re.search(r"/tickets/(\d+)/", answer.headers.get("Location", ""))
        return (found.group(1) if answer.status_code == 302 and found else f"HTTP {answer.status_code}"), elapsed

    return stack.run_parallel(one, count, clients)  # type: ignore[return-value]


def check(database: str, label: str, run: str, results: list[tuple[str, float]], seconds: float) -> bool:
    numbers = [n for n, _ in results if not n.startswith("HTTP")]
    failed = len(results) - len(numbers)
    with psycopg.connect(database) as conn:
        rows = conn.execute("SELECT number FROM tickets_ticket WHERE content LIKE %s", [f"{run}-%"]).fetchall()
        duplicates = conn.execute("SELECT count(*) FROM (SELECT number FROM tickets_ticket GROUP BY number "
                                  "HAVING count(*) > 1) d").fetchone()[0]
    stored = {r[0] for r in rows}
    lost = len(set(numbers) - stored)
    latencies = [t for _, t in results]
    print(f"{label}: {len(results)} creations in {seconds:.1f} s = {len(results) / seconds:.1f}/s, "
          f"p50 {stack.percentile(latencies, 50) * 1000:.0f} ms, p95 {stack.percentile(latencies, 95) * 1000:.0f} ms; "
          f"refused {failed}, rows {len(rows)}, answered but missing {lost}, numbers given twice "
          f"{len(numbers) - len(set(numbers))}, duplicate numbers in the table {duplicates}", flush=True)
    return failed == 0 and lost == 0 and len(rows) == len(results) and len(set(numbers)) == len(numbers) == len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="DATABASE_URL of a generated history")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    print(f"load average at start: {stack.load_average()}", flush=True)
    ok = True
    with stack.server(args.database, 8103) as base:
        for label, fn in (("API", through_api), ("desk form", through_form)):
            run = f"intake-{uuid.uuid4().hex[:8]}"
            start = time.perf_counter()
            results = fn(base, run, args.count, args.clients)
            ok = check(args.database, label, run, results, time.perf_counter() - start) and ok
    print(f"load average at end: {stack.load_average()}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
