"""Drill: SQLite's online backup (`hotline backup --to FILE`) while the embedded server takes writes, then check
every copy: each is one moment of the live database (no ticket missing below its newest, each ticket's events a
prefix of its live events), the restored copy passes the consistency checks (status = last event's to-status,
`hotline audit verify`, unique numbers) and starts with the key file (issue 15, item 4).

    python bench/drills/sqlite_backup.py [--seconds 60] [--clients 4] [--backups 3]

Runs the production server (waitress) on SQLite in a fresh data directory, with API clients looping create →
dispatch → sign → reply (as `db_kill.py`). Prints one JSON line; exit 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.drills.db_kill import MARK, PASSWORD, UNIT, App, Client, token  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "hotline.sqlite3"
KEEP_BESIDE = ("encryption-keys.txt", "secret-key")  # what a restore needs next to the database (docs/deploy.md §1)


def counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (fixed names)
                for table in ("tickets_ticket", "tickets_event", "tickets_assignment")}


def moment_differences(backup: Path, live: Path) -> dict[str, int]:
    """How the copy differs from one moment of the live database (tickets are never deleted and events only appended,
    so the copy must hold every live ticket up to its newest id and, per ticket, the live events up to its last)."""
    with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as db:
        db.execute("ATTACH DATABASE ? AS live", (f"file:{live}?mode=ro",))
        top = db.execute("SELECT coalesce(max(id), 0) FROM main.tickets_ticket").fetchone()[0]
        one = db.execute
        return {
            "tickets_missing": one("SELECT count(*) FROM live.tickets_ticket WHERE id <= ? AND id NOT IN "
                                   "(SELECT id FROM main.tickets_ticket)", (top,)).fetchone()[0],
            "tickets_unknown_to_live": one("SELECT count(*) FROM main.tickets_ticket WHERE id NOT IN "
                                           "(SELECT id FROM live.tickets_ticket)").fetchone()[0],
            "events_missing_in_prefix": one(
                "SELECT count(*) FROM live.tickets_event l JOIN (SELECT ticket_id, max(seq) AS s "
                "FROM main.tickets_event GROUP BY ticket_id) b ON b.ticket_id = l.ticket_id WHERE l.seq <= b.s "
                "AND l.id NOT IN "
                "(SELECT id FROM main.tickets_event)").fetchone()[0],
            "events_differing": one(
                "SELECT count(*) FROM main.tickets_event b JOIN live.tickets_event l ON l.id = b.id WHERE "
                "l.ticket_id <> b.ticket_id OR l.seq <> b.seq OR l.to_status <> b.to_status").fetchone()[0],
            "tickets_without_events": one(
                "SELECT count(*) FROM main.tickets_ticket t WHERE NOT EXISTS "
                "(SELECT 1 FROM main.tickets_event e WHERE e.ticket_id = t.id)").fetchone()[0],
        }


def check_copy(backup: Path, live_dir: Path, work: Path, env: dict[str, str]) -> dict[str, object]:
    """Restore the copy as docs/deploy.md says (the file plus the keys beside it) and run the consistency checks."""
    restored = work / f"restored-{backup.stem}"
    restored.mkdir()
    shutil.copy(backup, restored / DATABASE)
    for name in KEEP_BESIDE:
        shutil.copy(live_dir / name, restored / name)
    check = subprocess.run([sys.executable, str(Path(__file__).with_name("consistency.py")), "--mark", MARK],
                           env={**env, "HOTLINE_DATA_DIR": str(restored)}, capture_output=True, text=True)
    lines = check.stdout.strip().splitlines()
    return {"ok": check.returncode == 0, **(json.loads(lines[-1]) if lines else {"error": check.stderr[-800:]})}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="writes before each backup, in total")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--backups", type=int, default=3)
    parser.add_argument("--app-port", type=int, default=18346)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hotline-sqlite-backup-drill-"))
    data = work / "data"
    data.mkdir()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"HOTLINE_DATA_DIR": str(data), "HOTLINE_DEMO_PASSWORD": PASSWORD,
                "HOTLINE_SECRET_KEY": "drill-" + uuid.uuid4().hex, "DJANGO_SETTINGS_MODULE": "hotline.settings",
                "PYTHONPATH": str(ROOT)})
    subprocess.run([sys.executable, "-m", "hotline.cli", "demo", "--no-serve", "--tickets", "20"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    (data / "secret-key").write_text(env["HOTLINE_SECRET_KEY"])  # the restore keeps the same secret
    app = App(args.app_port, env)
    app.start()
    base = f"http://127.0.0.1:{args.app_port}/api/v1"
    tokens = {"operator": token(base, "operator"), "dispatcher": token(base, "dispatcher"),
              "handler": token(base, f"h-{UNIT}")}
    stats: Counter[str] = Counter()
    until = time.monotonic() + 24 * 3600  # until the last backup is taken
    clients = [Client(i, base, tokens, until, stats) for i in range(args.clients)]
    for client in clients:
        client.start()
    backups: list[dict[str, object]] = []
    for i in range(args.backups):
        time.sleep(args.seconds / args.backups)
        target = work / f"backup-{i}.sqlite3"
        before = counts(data / DATABASE)
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "hotline.cli", "backup", "--to", str(target)], env=env,
                              capture_output=True, text=True)
        seconds = round(time.monotonic() - started, 2)
        after = counts(data / DATABASE)
        copy = counts(target) if done.returncode == 0 else {}
        within = bool(copy) and all(before[t] <= copy[t] <= after[t] for t in before)
        backups.append({"file": target.name, "ok": done.returncode == 0, "seconds": seconds, "copy": copy,
                        "live_before": before, "live_after": after, "counts_between_before_and_after": within,
                        "error": done.stderr[-500:] if done.returncode else ""})
    for client in clients:  # the writers ran through every backup; now they finish their chains
        client.until = time.monotonic()
    for client in clients:
        client.join(timeout=120)
    app.kill9()
    threading.Event().wait(0.5)
    for entry in backups:
        if entry["ok"]:
            entry["moment"] = moment_differences(work / str(entry["file"]), data / DATABASE)
            entry["restored"] = check_copy(work / str(entry["file"]), data, work, env)
    ok = all(e["ok"] and e["counts_between_before_and_after"] and not any(e["moment"].values())  # type: ignore[union-attr]
             and e["restored"]["ok"] for e in backups)  # type: ignore[index]
    print(json.dumps({"drill": "sqlite_backup", "seconds": args.seconds, "clients": args.clients,
                      "chains_done": stats["chains_done"], "writes_ok": stats["answered_ok"],
                      "answers": dict(sorted(stats.items())),
                      "backups": backups, "live_at_end": counts(data / DATABASE)}, ensure_ascii=False))
    print(f"work directory: {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
