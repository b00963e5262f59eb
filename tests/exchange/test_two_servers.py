"""Two running instances of the platform, one configured as the provincial platform and one as the city, each
with its own data directory and database, exchange an order down and its status back up over HTTP on 127.0.0.1
(Art. 27); each side is stopped in turn while a message to it waits, started again, and nothing is lost or doubled."""

# ruff: noqa: S310  (every URL here is http://127.0.0.1, built by the test)

from __future__ import annotations

import datetime as dt
import json
import os
import select
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.servers

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 120  # a loaded two-core machine; the loops below return as soon as the answer comes
COMMAND_SECONDS = 300  # the set-up migrates a database
PASSWORD = "Two-Servers-Pass-2026"
SECRETS = {"HOTLINE_E2E_PASSWORD": PASSWORD, "HOTLINE_E2E_PROVINCE_SECRET": "the-province-signs-with-this-e2e",
           "HOTLINE_E2E_CITY_SECRET": "the-city-signs-with-this-e2e"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Platform:
    """One instance: its environment, its HTTP server (a subprocess) and its staff's API tokens."""

    name: str
    env: dict[str, str]
    port: int
    log: Path
    server: subprocess.Popen[bytes] | None = None
    console: subprocess.Popen[bytes] | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def open_console(self) -> None:
        """Start tests/exchange/instance.py in this instance's environment (Django starts once, here)."""
        with self.log.open("ab") as log:
            self.console = subprocess.Popen([sys.executable, "-m", "tests.exchange.instance"], cwd=ROOT, env=self.env,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)

    def send(self, *args: str) -> None:
        assert self.console is not None and self.console.stdin is not None
        self.console.stdin.write((" ".join(args) + "\n").encode())
        self.console.stdin.flush()

    def answer(self, timeout: float = COMMAND_SECONDS) -> dict[str, Any]:
        """The console's answer to the last command, within `timeout` seconds."""
        assert self.console is not None and self.console.stdout is not None
        ready, _w, _x = select.select([self.console.stdout], [], [], timeout)
        assert ready, f"{self.name}: no answer in {timeout} s:\n{self.log.read_text()[-3000:]}"
        line = self.console.stdout.readline()
        assert line, f"{self.name}: the console exited:\n{self.log.read_text()[-3000:]}"
        answer = json.loads(line)
        assert "error" not in answer, f"{self.name}:\n{answer['error']}"
        return answer

    def run(self, *args: str) -> dict[str, Any]:
        """One console command and its answer."""
        self.send(*args)
        return self.answer()

    def close_console(self) -> None:
        if self.console is None:
            return
        assert self.console.stdin is not None
        self.console.stdin.close()
        try:
            self.console.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.console.kill()
            self.console.wait(timeout=20)

    def start(self) -> None:
        """Serve with waitress and return once it answers."""
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        with self.log.open("ab") as log:
            self.server = subprocess.Popen(
                [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{self.port}", "--threads=4",
                 "hotline.wsgi:application"], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def wait_ready(self) -> None:
        assert self.server is not None
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert self.server.poll() is None, f"{self.name} exited:\n{self.log.read_text()[-3000:]}"
            try:
                with urllib.request.urlopen(f"{self.base}/login/", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            assert time.monotonic() < deadline, f"{self.name} did not answer:\n{self.log.read_text()[-3000:]}"
            time.sleep(0.2)

    def stop(self) -> None:
        if self.server is None:
            return
        self.server.terminate()
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait(timeout=20)
        self.server = None

    def api(self, user: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Call the instance's API as `user` (a token each, asked for once); any answer but 2xx fails the test."""
        if user not in self.tokens:
            self.tokens[user] = self._call("POST", "/auth/token", {"username": user, "password": PASSWORD})["token"]
        return self._call(method, path, body, token=self.tokens[user])

    def _call(self, method: str, path: str, body: dict[str, Any] | None, token: str = "") -> Any:
        headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"{self.base}/api/v1{path}", data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{self.name} {method} {path}: {exc.code} {exc.read()[:500]!r}") from exc


def instance_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """The test's environment without anything that would make two instances share state, plus their secrets;
    this worktree's code on the path whether or not the package is installed."""
    own = ("HOTLINE_SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "HOTLINE_ENCRYPTION_KEYS",
           "HOTLINE_KEY_FILE", "REDIS_URL", "CELERY_ENABLED")
    env = {k: v for k, v in os.environ.items() if k not in own}
    env.update(SECRETS, HOTLINE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="hotline.settings",
               PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def postgres_databases(stack: ExitStack, names: list[str]) -> list[str | None]:
    """Under DATABASE_URL=postgres…, one fresh database per instance next to the suite's (dropped afterwards);
    otherwise None: each instance keeps SQLite in its data directory."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return [None for _ in names]
    import psycopg

    parts = urllib.parse.urlsplit(url)
    base = parts.path.lstrip("/") or "hotline"
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    databases = [f"{base}_e2e_{name}" for name in names]

    def run(sql: str) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    for db in databases:
        run(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        run(f'CREATE DATABASE "{db}"')
        stack.callback(run, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    return [urllib.parse.urlunsplit(parts._replace(path=f"/{db}")) for db in databases]


@pytest.fixture
def platforms(tmp_path: Path) -> Iterator[tuple[Platform, Platform]]:
    """The province and the city, set up at once (migrations are the slow part), served, and always stopped."""
    with ExitStack() as stack:
        urls = postgres_databases(stack, ["province", "city"])
        ports = [free_port(), free_port()]
        province, city = (Platform(name, instance_env(tmp_path / name, url), port, tmp_path / f"{name}.log")
                          for name, url, port in zip(["province", "city"], urls, ports, strict=True))
        for platform, peer in ((province, city), (city, province)):
            stack.callback(platform.close_console)
            stack.callback(platform.stop)
            platform.open_console()
            platform.send("setup", platform.name, str(peer.port))  # both migrate at once
        province.answer(), city.answer()
        province.launch(), city.launch()
        province.wait_ready(), city.wait_ready()
        yield province, city


def test_an_order_goes_down_and_its_status_comes_back_up_once_across_restarts(platforms):
    province, city = platforms
    # The province takes a call and dispatches it to the city's unit: the order waits in the province's outbox.
    number = take_and_send_down(province, "邵阳市大祥区某小区路灯长期不亮")
    sent = province.run("outbox")
    assert sent["drained"] == {"sent": 1, "failed": 0}
    [[ours, city_number, delivered, attempts]] = sent["lower_orders"]
    assert (ours, delivered, attempts) == (number, True, 1)

    # The city took it through its intake, as an order of the 上级交办 channel; its desk and unit work it.
    assert city.api("dispatcher", "GET", f"/tickets/{city_number}")["status"] == "pending_dispatch"
    city.api("dispatcher", "POST", f"/tickets/{city_number}/dispatch", {"lead_unit": "cgzf"})
    city.api("handler", "POST", f"/tickets/{city_number}/sign")
    assert city.run("outbox")["drained"] == {"sent": 2, "failed": 0}
    assert province.run("holdings")["lower_reports"] == [["dispatch", "dispatched"], ["sign", "in_progress"]]

    # The province is down when the city replies: the report waits, its failure recorded.
    province.stop()
    city.api("handler", "POST", f"/tickets/{city_number}/reply", {
        "handler_name": "李工", "handled_at": dt.datetime.now(dt.UTC).isoformat(), "process": "现场查看并更换灯具",
        "result": "路灯已修复", "contact_note": "电话告知服务对象", "contacted": True})
    waiting = city.run("outbox")
    assert waiting["drained"] == {"sent": 0, "failed": 1}
    assert waiting["report_backs"][-1] == ["reply", False, 1, True]

    # Started again, the province gets the report on the outbox's retry, and the next one as usual.
    province.start()
    assert city.run("outbox")["drained"] == {"sent": 0, "failed": 0}  # the retry waits out its pause
    assert city.run("outbox", "3")["drained"] == {"sent": 1, "failed": 0}
    city.api("reviewer", "POST", f"/tickets/{city_number}/reply-review", {"approve": True})
    assert city.run("outbox")["drained"]["failed"] == 0  # the report, and the rating SMS to the log (Art. 17)

    # The city is down when the province sends a second order: it waits, and arrives once on the retry.
    city.stop()
    second = take_and_send_down(province, "邵阳市双清区某路段井盖松动")
    assert province.run("outbox")["drained"] == {"sent": 0, "failed": 1}
    city.start()
    assert province.run("outbox", "3")["drained"] == {"sent": 1, "failed": 0}

    # Nothing lost, nothing doubled, on either side.
    up, down = province.run("holdings"), city.run("holdings")
    [second_city_number] = [n for n, _status in down["tickets"] if n != city_number]
    assert up["tickets"] == [[number, "dispatched"], [second, "dispatched"]]  # moved by the province's own staff only
    assert up["lower_orders"] == [[number, city_number, True, 1], [second, second_city_number, True, 2]]
    assert up["lower_reports"] == [["dispatch", "dispatched"], ["sign", "in_progress"], ["reply", "replied"],
                                   ["review_reply", "resolved"]]
    assert up["events"] == {"accept": 2, "dispatch": 2, "lower_report": 4}
    assert up["outbox"] == {"sent": 2, "waiting": 0}
    assert down["tickets"] == [[city_number, "resolved"], [second_city_number, "pending_dispatch"]]
    assert down["upper_orders"] == [[number, city_number], [second, second_city_number]]
    assert down["report_backs"] == [["dispatch", True, 1, False], ["sign", True, 1, False],
                                    ["reply", True, 2, False], ["review_reply", True, 1, False]]
    assert down["events"] == {"accept": 2, "dispatch": 1, "sign": 1, "reply": 1, "review_reply": 1}
    assert down["outbox"]["waiting"] == 0


def take_and_send_down(province: Platform, content: str) -> str:
    """The province's operator takes a call and its dispatcher sends it to the city's unit; the ticket number."""
    number = province.api("operator", "POST", "/tickets", {
        "channel": "phone", "request_type": "complaint", "content": content, "address": "邵阳市",
        "requester": {"name": "王五", "phone": "13700001111"}})["number"]
    province.api("dispatcher", "POST", f"/tickets/{number}/dispatch", {"lead_unit": "shaoyang"})
    return str(number)
