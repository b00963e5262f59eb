"""`hotline demo` really serves: a fresh data directory, demo data, a login that works, then a clean stop."""

# ruff: noqa: S310  (every URL here is http://127.0.0.1, built by the test)

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import sqlite3
import stat
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

PASSWORD = "Demo-Pass-2026-server"
ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 300  # migrations and demo data on a loaded two-core machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def demo_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("HOTLINE_SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(HOTLINE_DATA_DIR=str(data_dir), HOTLINE_DEMO_PASSWORD=PASSWORD, HOTLINE_SWEEP_INTERVAL_SECONDS="2")
    return env


def get(opener: urllib.request.OpenerDirector, url: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=10) as response:
            return response.status, response.geturl(), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, url, ""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    """One demo server for the module: starting it is the slow part."""
    tmp_path = tmp_path_factory.mktemp("demo")
    port = free_port()
    log = (tmp_path / "demo.log").open("w+")
    proc = subprocess.Popen([sys.executable, "-m", "hotline.cli", "demo", "--port", str(port), "--tickets", "15"],
                            cwd=ROOT, env=demo_env(tmp_path / "data"), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        opener = urllib.request.build_opener()
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert proc.poll() is None, f"demo exited early:\n{(tmp_path / 'demo.log').read_text()}"
            try:
                if get(opener, f"{base}/login/")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"demo did not answer:\n{(tmp_path / 'demo.log').read_text()}"
            time.sleep(0.5)
        yield base, tmp_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
        log.close()


def login(base: str, path: str, username: str) -> tuple[int, str]:
    """Log in through a Django login form (GET for the CSRF token, then POST); the final status and path."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    status, _url, page = get(opener, f"{base}{path}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert status == 200 and token, page[:500]
    status, url, _page = get(opener, f"{base}{path}", {"csrfmiddlewaretoken": token.group(1), "username": username,
                                                       "password": PASSWORD})
    return status, urllib.parse.urlparse(url).path


def test_it_serves_the_login_page_and_lets_a_unit_handler_in(server):
    base, _tmp_path = server
    status, path = login(base, "/login/", "h-cgzf")
    assert status == 200 and path != "/login/"  # let in: on to the screens (where depends on the role)
    assert login(base, "/login/", "h-cgzf-wrong") == (200, "/login/")  # refused: the form again


def test_it_lets_the_printed_admin_into_the_admin_site(server):
    base, tmp_path = server
    assert login(base, "/admin/login/?next=/admin/", "admin") == (200, "/admin/")
    output = (tmp_path / "demo.log").read_text()
    assert f"{base}/" in output and "admin" in output and "h-cgzf" in output


def test_its_api_gives_the_dispatcher_a_token_and_the_demo_tickets(server):
    base, _tmp_path = server
    request = urllib.request.Request(f"{base}/api/v1/auth/token", method="POST",
                                     data=json.dumps({"username": "dispatcher", "password": PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        token = json.loads(response.read())["token"]
    request = urllib.request.Request(f"{base}/api/v1/tickets?limit=5", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        page = json.loads(response.read())
    assert page["total"] >= 15 and len(page["items"]) == 5


def test_it_keeps_its_secrets_in_owner_only_files_and_reuses_the_demo_on_the_next_start(server):
    _base, tmp_path = server
    data = tmp_path / "data"
    for name in ("secret-key", "demo-logins.txt"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
    assert PASSWORD not in (data / "demo-logins.txt").read_text()  # the shared password is the operator's own

    again = subprocess.run([sys.executable, "-m", "hotline.cli", "demo", "--no-serve"], cwd=ROOT,
                           env=demo_env(data), capture_output=True, text=True, timeout=START_TIMEOUT)
    assert again.returncode == 0, again.stderr
    assert "正在生成演示数据" not in again.stdout and "operator" in again.stdout


def test_reset_replaces_the_old_database_and_keeps_the_secret_key(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    with closing(sqlite3.connect(data / "hotline.sqlite3")) as old:  # an earlier database, with a table to miss
        old.execute("CREATE TABLE earlier_marker (id INTEGER)")
    (data / "secret-key").write_text("kept-key-kept-key-kept-key-kept-key-kept-key-kept-key\n")

    done = subprocess.run([sys.executable, "-m", "hotline.cli", "demo", "--reset", "--no-serve", "--tickets", "5"],
                          cwd=ROOT, env=demo_env(data), capture_output=True, text=True, timeout=START_TIMEOUT)
    assert done.returncode == 0, done.stderr
    assert "已删除原有数据库" in done.stdout and "正在生成演示数据" in done.stdout
    with closing(sqlite3.connect(data / "hotline.sqlite3")) as new:
        tables = {row[0] for row in new.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "earlier_marker" not in tables and new.execute("SELECT COUNT(*) FROM tickets_ticket").fetchone()[0] >= 5
    assert (data / "secret-key").read_text().startswith("kept-key")  # sessions and tokens survive a reset
