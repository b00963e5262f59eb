"""Drill: kill -9 the Celery worker and Redis at random moments while the outbox sends a few hundred SMS to a
gateway, then check that every message reached the gateway exactly once after its de-duplication, or is still
pending in the outbox: none lost (issue 15, item 4).

    python bench/drills/outbox_kill.py [--messages 300] [--seconds 90] [--worker-kills 6] [--redis-kills 4]

Runs its own PostgreSQL cluster (port 55434), its own Redis (port 16399, no persistence, so a kill loses every
queued task) and its own SMS gateway: a real HTTP server on 127.0.0.1 that records every message id it receives
and sends one SMS per id, as docs/deploy.md asks of the city's gateway. The drill plays Celery beat (it sends the
outbox task every second, as beat does every 30 s) and runs the project's worker (`celery -A hotline.celery worker`,
two processes). Prints one JSON line; exit 1 when a message is lost or was sent twice after de-duplication.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.drills.cluster import Cluster  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SWEEP_TASK = "hotline.ops.tasks.run_sweep_job"

# Queue `count` rating SMS for requesters with a phone, as the workflow does at resolution (one outbox row each).
QUEUE = """
import django, sys; django.setup()
from hotline.tickets.models import Outbox, Ticket
tickets = [t for t in Ticket.objects.select_related("requester").order_by("pk") if t.requester and t.requester.phone]
rows = [Outbox(kind="sms.rating", payload={"ticket": tickets[i % len(tickets)].number, "drill": True,
                                           "requester": tickets[i % len(tickets)].requester_id})
        for i in range(int(sys.argv[1]))]
Outbox.objects.bulk_create(rows)
print(len(rows))
"""
OUTBOX = """
import django, json; django.setup()
from hotline.tickets.models import Outbox
print(json.dumps([[str(m), s is not None, a, e[:200], p.get("drill", False)] for m, s, a, e, p in
                  Outbox.objects.values_list("message_id", "sent_at", "attempts", "last_error", "payload")]))
"""


class Gateway:
    """The SMS gateway: answers 200 to every well-formed message after a short, random latency, and counts each id
    received (transport) and each id it sends on (once per id, its de-duplication)."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                message_id = str(body["id"])
                assert self.headers["Idempotency-Key"] == message_id and body["phone"] and body["text"]
                time.sleep(random.uniform(0.0, 0.05))  # the operator's network: widens the window for a kill
                with gateway.lock:
                    gateway.received[message_id] += 1
                    if message_id not in gateway.sent:
                        gateway.sent[message_id] += 1
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


class Process:
    """A child process in its own process group, so kill -9 reaches the Celery worker's pool processes too."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args, self.env, self.log = args, env, open(log, "ab")  # noqa: SIM115
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(self.args, env=self.env, stdout=self.log, stderr=self.log,
                                        start_new_session=True)

    def kill9(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def verdict(rows: list[list[object]], received: Counter[str], sent: Counter[str]) -> dict[str, int]:
    """The drill's figures from the outbox rows [message_id, sent, attempts, error, drill] and the gateway's counters.
    Lost: a row marked sent that the gateway never received, or a row given up (out of attempts) and never received.
    Pending rows may have reached the gateway (a kill before the mark); their next attempt is then dropped there."""
    known = {str(row[0]) for row in rows}  # every outbox row, the demo's own messages too
    rows = [row for row in rows if row[4]]  # the drill's messages
    ids = {str(row[0]) for row in rows}
    marked = {str(row[0]) for row in rows if row[1]}
    given_up = {str(row[0]) for row in rows if not row[1] and int(row[2]) >= 5}  # type: ignore[call-overload]
    return {
        "messages": len(ids),
        "marked_sent": len(marked),
        "pending": len(ids - marked),
        "pending_already_at_gateway": len((ids - marked) & set(received)),
        "given_up": len(given_up),
        "received_at_gateway": sum(received.values()),
        "duplicates_at_transport": sum(n - 1 for n in received.values()),
        "messages_received_twice": sum(1 for n in received.values() if n > 1),
        "duplicates_after_dedup": sum(n - 1 for n in sent.values()),
        "unknown_ids_at_gateway": len(set(received) - known),
        "other_messages_at_gateway": len((set(received) & known) - ids),
        "lost": len((marked | given_up) - set(received)),
    }


def beat(env: dict[str, str], until: float, stats: Counter[str]) -> None:
    """Send the outbox task every second to the drill's Redis, as Celery beat would; a lost Redis is retried."""
    from celery import Celery

    app = Celery("drill-beat", broker=env["CELERY_BROKER_URL"])
    app.conf.broker_connection_timeout = 1
    while time.monotonic() < until:
        try:
            app.send_task(SWEEP_TASK, args=("outbox",), expires=30, retry=False)
            stats["tasks_sent"] += 1
        except Exception:  # noqa: BLE001  Redis is down: beat keeps trying
            stats["tasks_refused_redis_down"] += 1
        time.sleep(1)


def chaos(worker: Process, redis: Process, seconds: float, worker_kills: int, redis_kills: int,
          stats: Counter[str]) -> None:
    start = time.monotonic()
    plan = sorted([(random.uniform(2, seconds - 5), "worker") for _ in range(worker_kills)]
                  + [(random.uniform(2, seconds - 5), "redis") for _ in range(redis_kills)])
    for at, what in plan:
        time.sleep(max(0.0, start + at - time.monotonic()))
        victim = worker if what == "worker" else redis
        victim.kill9()
        time.sleep(random.uniform(0.5, 3.0))
        victim.start()
        stats[f"{what}_killed"] += 1


def python(code: str, env: dict[str, str], *args: str) -> str:
    return subprocess.run([sys.executable, "-c", code, *args], env=env, check=True, capture_output=True,
                          text=True).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=90, help="how long the kills go on")
    parser.add_argument("--settle", type=float, default=180,
                        help="afterwards, how long to let the worker finish (a claim's lease is 2 minutes)")
    parser.add_argument("--worker-kills", type=int, default=6)
    parser.add_argument("--redis-kills", type=int, default=4)
    parser.add_argument("--pg-port", type=int, default=55434)
    parser.add_argument("--redis-port", type=int, default=16399)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hotline-outbox-drill-"))
    work.chmod(0o755)
    (work / "data").mkdir()
    cluster = Cluster(work / "pg", args.pg_port)
    cluster.init()
    gateway = Gateway()
    broker = f"redis://127.0.0.1:{args.redis_port}/0"
    env = {**os.environ, "DATABASE_URL": cluster.url, "HOTLINE_DATA_DIR": str(work / "data"),
           "HOTLINE_SECRET_KEY": "drill-" + uuid.uuid4().hex, "DJANGO_SETTINGS_MODULE": "hotline.settings",
           "PYTHONPATH": str(ROOT), "CELERY_ENABLED": "true", "CELERY_BROKER_URL": broker,
           "HOTLINE_SMS_ENABLED": "true", "HOTLINE_SMS_GATEWAY_URL": gateway.url}
    env.pop("REDIS_URL", None)
    redis = Process(["redis-server", "--port", str(args.redis_port), "--bind", "127.0.0.1", "--save", "",
                     "--appendonly", "no", "--dir", str(work)], env, work / "redis.log")
    worker = Process([sys.executable, "-m", "celery", "-A", "hotline.celery", "worker", "--concurrency=2",
                      "--loglevel=INFO", "--without-gossip", "--without-mingle"], env, work / "worker.log")
    stats: Counter[str] = Counter()
    try:
        subprocess.run([sys.executable, "-m", "hotline.cli", "demo", "--no-serve", "--tickets", "30"], env=env,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        python(QUEUE, env, str(args.messages))
        redis.start()
        worker.start()
        until = time.monotonic() + args.seconds + args.settle
        beater = threading.Thread(target=beat, args=(env, until, stats), daemon=True)
        beater.start()
        chaos(worker, redis, args.seconds, args.worker_kills, args.redis_kills, stats)
        while time.monotonic() < until:  # settle: stop early once nothing is pending
            time.sleep(5)
            if all(row[1] for row in json.loads(python(OUTBOX, env)) if row[4]):
                break
        rows = json.loads(python(OUTBOX, env))
    finally:
        worker.kill9()
        redis.kill9()
        cluster.stop()
        gateway.server.shutdown()
    with gateway.lock:
        figures = verdict(rows, gateway.received, gateway.sent)
    errors = sorted({str(row[3]) for row in rows if row[4] and not row[1] and int(row[2]) >= 5})
    print(json.dumps({"drill": "outbox_kill", "seconds": args.seconds, **figures, "given_up_errors": errors,
                      **dict(sorted(stats.items()))}, ensure_ascii=False))
    print(f"work directory: {work}")
    bad = figures["lost"] or figures["duplicates_after_dedup"] or figures["unknown_ids_at_gateway"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
