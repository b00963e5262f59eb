"""Drill: kill -9 the database and the app server at random moments under 8 clients doing transitions, then check
that nothing became inconsistent and that no write was answered as failed although it was saved (issue 15, item 4).

    python bench/drills/db_kill.py [--seconds 180] [--db-kills 20] [--app-kills 10] [--clients 8]

Runs its own PostgreSQL cluster (port 55432 by default, `PG_BIN`, as the `postgres` system user when run as root)
and its own waitress server; never the shared database. Prints the figures and exits 1 on any inconsistency.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.drills.cluster import Cluster  # noqa: E402

PASSWORD = "drill-password-2026"
UNIT = "cgzf"
MARK = "演练工单"


class App:
    """The production server (waitress, 8 threads) as a child process that can be killed and started again."""

    def __init__(self, port: int, env: dict[str, str]) -> None:
        self.port, self.env, self.process = port, env, None
        self.log = open(Path(env["HOTLINE_DATA_DIR"]) / "server.log", "ab")  # noqa: SIM115

    def start(self) -> None:
        self.process = subprocess.Popen(  # type: ignore[assignment]
            [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{self.port}", "--threads=8",
             "hotline.wsgi:application"], env=self.env, stdout=self.log, stderr=self.log)
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/login/", timeout=2)
                return
            except OSError:
                time.sleep(0.25)

    def kill9(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()


class Client(threading.Thread):
    """One partner system: create, dispatch, sign, reply, each with its own Idempotency-Key, retried until answered."""

    def __init__(self, index: int, base: str, tokens: dict[str, str], until: float, stats: Counter[str]) -> None:
        super().__init__(daemon=True)
        self.index, self.base, self.tokens, self.until, self.stats = index, base, tokens, until, stats
        self.created: list[str] = []

    def call(self, who: str, path: str, body: dict[str, object]) -> dict[str, object]:
        # Each attempt answered "not saved", as (sent, answered) wall times: a replay names when the first request
        # was saved, and only an attempt whose window holds that moment said so wrongly. (An attempt whose answer
        # was lost may have saved it, and a later attempt then truly saved nothing.)
        key, unsaved_windows = str(uuid.uuid4()), []
        for _ in range(600):
            sent = time.time()
            request = urllib.request.Request(self.base + path, data=json.dumps(body).encode(), method="POST", headers={
                "Content-Type": "application/json", "Authorization": f"Bearer {self.tokens[who]}",
                "Idempotency-Key": key})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    replayed = response.headers.get("Idempotent-Replayed") == "true"
                    self.stats["answered_ok"] += 1
                    if replayed:
                        self.stats["replayed"] += 1
                        saved_at = dt.datetime.fromisoformat(response.headers["Idempotent-Saved-At"]).timestamp()
                        if any(start <= saved_at <= end for start, end in unsaved_windows):
                            self.stats["answered_failed_but_saved"] += 1  # that attempt said "not saved", yet it was
                        elif unsaved_windows:
                            self.stats["replayed_after_a_true_not_saved"] += 1
                    return json.loads(response.read())  # type: ignore[no-any-return]
            except urllib.error.HTTPError as error:
                answer = json.loads(error.read() or b"{}") if error.headers.get_content_type() == "application/json" \
                    else {}
                self.stats[f"http_{error.code}"] += 1
                if error.code < 500:
                    self.stats[f"refused_{answer.get('code')}"] += 1
                    raise
                if error.code == 500 or answer.get("details", {}).get("saved") is False:
                    unsaved_windows.append((sent, time.time()))
                if "Traceback" in json.dumps(answer):
                    self.stats["stack_traces"] += 1
            except OSError:
                self.stats["connection_errors"] += 1
            time.sleep(0.3)
        raise RuntimeError(f"{path}: no answer after many retries")

    def run(self) -> None:
        i = 0
        while time.monotonic() < self.until:
            i += 1
            try:
                ticket = self.call("operator", "/tickets", {
                    "channel": "phone", "request_type": "complaint", "content": f"{MARK} {self.index}-{i} 路灯不亮"})
                number = str(ticket["number"])
                self.created.append(number)
                self.call("dispatcher", f"/tickets/{number}/dispatch", {"lead_unit": UNIT})
                self.call("handler", f"/tickets/{number}/sign", {})
                # Now, to the second: not after the server's now, and not before the minute of the dispatch (five
                # seconds back fell before it when the dispatch came in a minute's first five seconds).
                now = time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.gmtime(time.time() + 8 * 3600))
                self.call("handler", f"/tickets/{number}/reply", {
                    "handler_name": "演练", "handled_at": now, "process": "现场处理", "result": "已修复",
                    "contact_note": "电话告知", "contacted": True})
                self.stats["chains_done"] += 1
            except urllib.error.HTTPError:
                self.stats["chains_refused"] += 1


def token(base: str, username: str) -> str:
    for _ in range(200):
        try:
            body = json.dumps({"username": username, "password": PASSWORD}).encode()
            request = urllib.request.Request(base + "/auth/token", method="POST", data=body,
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                return str(json.loads(response.read())["token"])
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"no token for {username}")


def killer(cluster: Cluster, app: App, seconds: float, db_kills: int, app_kills: int, stats: Counter[str]) -> None:
    start = time.monotonic()
    plan = sorted([(random.uniform(5, seconds - 10), "db") for _ in range(db_kills)]
                  + [(random.uniform(5, seconds - 10), "app") for _ in range(app_kills)])
    for at, what in plan:
        time.sleep(max(0.0, start + at - time.monotonic()))
        if what == "db":
            cluster.kill9()
            time.sleep(random.uniform(0.2, 2.0))
            cluster.restart()
        else:
            app.kill9()
            time.sleep(random.uniform(0.2, 1.0))
            app.start()
        stats[f"{what}_killed"] += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--db-kills", type=int, default=20)
    parser.add_argument("--app-kills", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--app-port", type=int, default=18345)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hotline-drill-"))
    work.chmod(0o755)  # the cluster runs as the postgres user
    cluster = Cluster(work / "pg", args.pg_port)
    cluster.init()
    env = {**os.environ, "DATABASE_URL": cluster.url, "HOTLINE_DATA_DIR": str(work / "data"),
           "HOTLINE_DEMO_PASSWORD": PASSWORD, "HOTLINE_SECRET_KEY": "drill-" + uuid.uuid4().hex,
           "DJANGO_SETTINGS_MODULE": "hotline.settings", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    (work / "data").mkdir()
    subprocess.run([sys.executable, "-m", "hotline.cli", "demo", "--no-serve", "--tickets", "20"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    app = App(args.app_port, env)
    app.start()
    base = f"http://127.0.0.1:{args.app_port}/api/v1"
    tokens = {"operator": token(base, "operator"), "dispatcher": token(base, "dispatcher"),
              "handler": token(base, f"h-{UNIT}")}
    stats: Counter[str] = Counter()
    until = time.monotonic() + args.seconds
    clients = [Client(i, base, tokens, until, stats) for i in range(args.clients)]
    for client in clients:
        client.start()
    chaos = threading.Thread(target=killer, args=(cluster, app, args.seconds, args.db_kills, args.app_kills, stats))
    chaos.start()
    chaos.join()
    for client in clients:
        client.join(timeout=120)
    created = [number for client in clients for number in client.created]
    check = subprocess.run([sys.executable, str(Path(__file__).with_name("consistency.py")), "--created",
                            ",".join(created), "--mark", MARK], env=env, capture_output=True, text=True)
    app.kill9()
    cluster.stop()
    print(check.stdout, end="")
    print(check.stderr, end="", file=sys.stderr)
    figures = dict(sorted(stats.items()))
    print(json.dumps({"drill": "db_kill", "seconds": args.seconds, "clients": args.clients, **figures},
                     ensure_ascii=False))
    failed = check.returncode != 0 or stats["answered_failed_but_saved"] or stats["stack_traces"]
    print(f"work directory: {work}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
