"""Page speed at two history sizes in one run (issue #15): the production server on each database, p50/p95 with 1
and 8 concurrent clients, and each page's growth from the small history to the large one.

    DATABASE_URL=… .venv/bin/python bench/generate.py --tickets 10000 --months 24     # on hotline_10k
    DATABASE_URL=… .venv/bin/python bench/generate.py --tickets 1000000 --months 24   # on hotline_1m
    HOTLINE_DATA_DIR=<the generators' data directory> .venv/bin/python bench/bench_pages.py \\
        --small postgres://postgres@127.0.0.1:5432/hotline_10k --large postgres://postgres@127.0.0.1:5432/hotline_1m

Both servers are the production one, gunicorn with `hotline/server.py` and Redis (docs/deploy.md), unless
`--server waitress` asks for the embedded one; they must read the personal-data keys the generator used (the same
`HOTLINE_DATA_DIR` or `HOTLINE_ENCRYPTION_KEYS`). The two sizes are measured page by page, one after the
other, so a burst of load on a shared machine touches both; the login page is measured the same way as the floor.
To compare two versions of the code instead of two sizes, give both options the same database and `--before` a
checkout of the earlier commit (`git worktree add` or `git archive | tar -x`): the "small" columns are then the
earlier code and "growth" is the later code's p95 over the earlier one's. `--before-server waitress` likewise serves
the "small" database with the other server, to compare the two servers on one database.

Goals at 1,000,000 tickets: p95 < 150 ms with 1 client and < 500 ms with 8 for queues, lists and the ticket page,
< 300 ms for text search, growth ≤ 1.5×.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import stack  # noqa: E402

DESK = ("dispatch", "returns", "extensions", "review", "followup", "overdue")
INBOX = ("sign", "progress", "returned", "replied", "done")


@dataclass(frozen=True)
class Target:
    """One database under test: its server, the biggest unit and a ticket of that unit to open."""

    label: str
    base: str
    unit_code: str
    unit_id: int
    number: str


def facts(database_url: str, code: str | None = None) -> tuple[str, int, str]:
    """The unit `code`, by default the one with the most assignments (the worst inbox), and a recent ticket it
    leads."""
    with psycopg.connect(database_url) as conn:
        if code is None:
            unit_id, code = conn.execute(
                "SELECT u.id, u.code FROM directory_unit u JOIN tickets_assignment a ON a.unit_id = u.id "
                "GROUP BY u.id, u.code ORDER BY count(*) DESC LIMIT 1").fetchone()
        else:
            unit_id = conn.execute("SELECT id FROM directory_unit WHERE code = %s", [code]).fetchone()[0]
        number = conn.execute("SELECT number FROM tickets_ticket WHERE lead_unit_id = %s ORDER BY created_at DESC "
                              "LIMIT 1", [unit_id]).fetchone()[0]
    return code, unit_id, number


def pages(t: Target) -> list[tuple[str, str, str]]:
    """(name, who, path) of every page measured; `who` is desk, unit or api."""
    month_ago = (dt.date.today() - dt.timedelta(days=30)).isoformat()
    today = dt.date.today().isoformat()
    rows = [(f"desk: {q}", "desk", f"/desk/?queue={q}") for q in DESK]
    rows += [(f"inbox: {q}", "unit", f"/inbox/?queue={q}") for q in INBOX]
    lists = {"all": {}, "status": {"status": "in_progress"}, "overdue": {"overdue": "on"},
             "unit": {"unit": t.unit_id}, "dates": {"date_from": month_ago, "date_to": today},
             "text": {"q": "路灯不亮"}, "text 2 chars": {"q": "井盖"}, "number": {"q": t.number[:10]}}
    rows += [(f"list: {name}", "desk", f"/tickets/?{urlencode(query)}") for name, query in lists.items()]
    rows += [("list: unit's own", "unit", "/tickets/"), ("ticket page", "desk", f"/tickets/{t.number}/"),
             ("hotspots", "desk", "/routing/hotspots/"), ("statistics: channels", "desk", "/reports/channels/"),
             ("knowledge search", "desk", "/knowledge/?q=停水"),
             ("api: list (hotline)", "api", "/api/v1/tickets"),
             ("api: list (unit handler)", "unit-api", "/api/v1/tickets"),
             ("api: text search", "api", f"/api/v1/tickets?{urlencode({'q': '路灯不亮'})}")]
    return rows


def clients(t: Target) -> dict[str, stack.requests.Session]:
    desk = stack.login(t.base, "dispatcher")
    unit = stack.login(t.base, f"h-{t.unit_code}")
    api, unit_api = stack.requests.Session(), stack.requests.Session()
    api.headers["Authorization"] = f"Bearer {stack.api_token(t.base, 'dispatcher')}"
    unit_api.headers["Authorization"] = f"Bearer {stack.api_token(t.base, f'h-{t.unit_code}')}"
    return {"desk": desk, "unit": unit, "api": api, "unit-api": unit_api, "anonymous": stack.requests.Session()}


def row(name: str, cells: list[tuple[float, float]], goal: float | None) -> str:
    text = " ".join(f"{p50 * 1000:7.0f} {p95 * 1000:7.0f}" for p50, p95 in cells)
    growth1 = cells[1][1] / cells[0][1]
    growth8 = cells[3][1] / cells[2][1]
    mark = ""
    if goal is not None:
        mark = "ok" if cells[1][1] * 1000 < goal and cells[3][1] * 1000 < 500 and growth1 <= 1.5 else "MISS"
    return f"{name:<26} {text}   {growth1:5.2f}× {growth8:5.2f}×  {mark}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", required=True, help="DATABASE_URL of the small history")
    parser.add_argument("--large", required=True, help="DATABASE_URL of the large history")
    parser.add_argument("--requests", type=int, default=20, help="requests per page and client count (1 client)")
    parser.add_argument("--only", default="", help="measure only pages whose name contains this")
    parser.add_argument("--before", type=Path, default=stack.ROOT,
                        help="serve --small from this checkout (an earlier commit) to compare two versions")
    parser.add_argument("--server", choices=stack.SERVERS, default="gunicorn",
                        help="the web server (gunicorn: production; waitress: the embedded one)")
    parser.add_argument("--before-server", choices=stack.SERVERS,
                        help="serve --small with this server instead, to compare two servers on one database")
    args = parser.parse_args()
    print(f"load average at start: {stack.load_average()}", flush=True)
    with (stack.server(args.small, 8101, kind=args.before_server or args.server,
                       root=args.before.resolve()) as small_base,
          stack.server(args.large, 8102, kind=args.server) as large_base):
        large = facts(args.large)  # the same unit's inbox at both sizes
        targets = [Target("small", small_base, *facts(args.small, large[0])), Target("large", large_base, *large)]
        sessions = [clients(t) for t in targets]
        print(f"{'page':<26} {'1 client: small p50/p95':>15} {'large p50/p95':>15} {'8 clients: small':>15} "
              f"{'large':>15}   growth 1c, 8c (ms)", flush=True)
        measured = [("login page (floor)", "anonymous", "/login/")] + pages(targets[0])
        for index, (name, who, _) in enumerate(measured):
            if args.only and args.only not in name:
                continue
            cells = []
            for clients_count, total in ((1, args.requests), (8, args.requests * 4)):
                for t, session in zip(targets, sessions, strict=True):
                    path = ([("", "", "/login/")] + pages(t))[index][2]
                    # Warm-up from eight clients, so that it reaches every gunicorn worker: each has its own
                    # in-process indexes (knowledge search, similar tickets) to load once, as a long-running
                    # worker has.
                    stack.measure(session[who], t.base + path, requests_total=16, clients=8)
                    cells.append(stack.timings(session[who], t.base + path, requests_total=total,
                                               clients=clients_count))
            goal = None if index == 0 else (300.0 if "text" in name else 150.0)
            print(row(name, cells, goal), flush=True)
    print(f"load average at end: {stack.load_average()}", flush=True)


if __name__ == "__main__":
    main()
