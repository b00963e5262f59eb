"""The production stack for benchmarks: gunicorn (`hotline/server.py`) or the embedded waitress serving `hotline.wsgi`
on a database, logged-in HTTP clients, and percentiles. Shared by `bench/bench_pages.py` and `bench/bench_intake.py`.

The page timings come from ApacheBench (`ab`), a load generator in C, when it is installed (`apt-get install
apache2-utils`); logins, warm-ups and, without `ab`, the timings too are `requests` sessions on threads, each request
one blocking call timed on the client, the way a browser or an integration waits for it.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-Pass-2026"  # set by bench/history.py on every generated account


SERVERS = ("gunicorn", "waitress")


@contextmanager
def server(database_url: str, port: int, *, kind: str = "gunicorn", threads: int = 8,
           root: Path = ROOT) -> Iterator[str]:
    """Serve the project on `database_url`; yields the base URL. `kind` "gunicorn" is production as docs/deploy.md
    sets it up (`hotline/server.py`: worker processes of threads, sharing cache and rate limits through Redis);
    "waitress" is the embedded server of the demo and small deployments (one process, `threads` threads). `root` is
    the checkout whose code is served (another one, such as the commit before a change, to compare the two)."""
    env = {**os.environ, "DATABASE_URL": database_url, "HOTLINE_DEBUG": "false", "PYTHONPATH": str(root),
           "HOTLINE_ALLOWED_HOSTS": "127.0.0.1,localhost", "HOTLINE_LOG_LEVEL": "WARNING"}
    if kind == "gunicorn":
        # One Redis database per server on the local Redis (8-14: the tests use 15), emptied first: two histories
        # served side by side must not read each other's cached hotspots or rate limits. Never the REDIS_URL of the
        # environment, which may be a real cache or broker.
        env["REDIS_URL"] = f"redis://127.0.0.1:6379/{8 + port % 7}"
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
        env["HOTLINE_BIND"] = f"127.0.0.1:{port}"
        command = [sys.executable, "-m", "gunicorn", "-c", "python:hotline.server", "hotline.wsgi:application"]
    elif kind == "waitress":
        command = [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", f"--threads={threads}",
                   "hotline.wsgi:application"]
    else:
        raise SystemExit(f"unknown server {kind!r}: one of {', '.join(SERVERS)}")
    process = subprocess.Popen(command, env=env, cwd=root)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{base}/login/", timeout=60).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit(f"the server on {database_url} did not answer")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def login(base: str, username: str) -> requests.Session:
    """A session logged in through the login form (CSRF token and all)."""
    session = requests.Session()
    page = session.get(f"{base}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token is None:
        raise SystemExit("no CSRF token on the login page")
    answer = session.post(f"{base}/login/", data={"username": username, "password": PASSWORD,
                                                  "csrfmiddlewaretoken": token.group(1)},
                          headers={"Referer": f"{base}/login/"}, timeout=30, allow_redirects=False)
    if answer.status_code != 302:
        raise SystemExit(f"login as {username} failed ({answer.status_code})")
    return session


def api_token(base: str, username: str) -> str:
    answer = requests.post(f"{base}/api/v1/auth/token", json={"username": username, "password": PASSWORD},
                           timeout=30)
    answer.raise_for_status()
    return str(answer.json()["token"])


def clone(session: requests.Session) -> requests.Session:
    """Another client with the same login: one per thread, as sessions are not shared between threads."""
    copy = requests.Session()
    copy.cookies.update(session.cookies)
    copy.headers.update(session.headers)
    return copy


def timings(session: requests.Session, url: str, *, requests_total: int, clients: int) -> tuple[float, float]:
    """p50 and p95 in seconds of `requests_total` GETs of `url` from `clients` concurrent clients, with the
    session's cookies and headers. The load comes from ApacheBench (`ab`, Debian's apache2-utils: C, one process,
    keep-alive connections), so the clients spend next to nothing of the two cores the server shares; without it,
    from `requests` sessions on threads (`measure`). Any answer but 2xx, or a connection error, stops the run."""
    ab = shutil.which("ab")
    if ab is None:
        latencies = measure(session, url, requests_total=requests_total, clients=clients)
        return percentile(latencies, 50), percentile(latencies, 95)
    headers = [f"{name}: {value}" for name, value in session.headers.items()
               if name.lower() in ("authorization", "accept-language")]
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    if cookies:
        headers.append(f"Cookie: {cookies}")
    with tempfile.NamedTemporaryFile("r", suffix=".tsv") as table:
        # -g: one line per request; its total time goes through `percentile` like the threads' latencies (ab's own
        # percentile table takes one sample per step, so its p95 of 20 requests is the slowest of them).
        command = [ab, "-q", "-k", "-s", "300", "-n", str(requests_total), "-c", str(clients), "-g", table.name]
        for header in headers:
            command += ["-H", header]
        # ab sends the path as given: percent-encode what requests would (the Chinese of a search).
        run = subprocess.run([*command, requests.utils.requote_uri(url)], capture_output=True, text=True,
                             check=False)
        report = run.stdout
        non_2xx = re.search(r"Non-2xx responses:\s+(\d+)", report)
        failed = re.search(r"\(Connect: (\d+), Receive: (\d+), Length: \d+, Exceptions: (\d+)\)", report)
        if run.returncode != 0 or non_2xx or (failed and any(int(n) for n in failed.groups())):
            raise SystemExit(f"{url}: ab reported failures\n{report}{run.stderr}")
        lines = table.read().splitlines()
    column = lines[0].split("\t").index("ttime")
    latencies = [float(line.split("\t")[column]) / 1000 for line in lines[1:]]
    if len(latencies) != requests_total:
        raise SystemExit(f"{url}: ab timed {len(latencies)} of {requests_total} requests")
    return percentile(latencies, 50), percentile(latencies, 95)


def measure(session: requests.Session, url: str, *, requests_total: int, clients: int) -> list[float]:
    """Latencies in seconds of `requests_total` GETs of `url` from `clients` concurrent clients."""
    sessions = [clone(session) for _ in range(clients)]

    def one(i: int) -> float:
        start = time.perf_counter()
        answer = sessions[i % clients].get(url, timeout=300)
        elapsed = time.perf_counter() - start
        if answer.status_code != 200:
            raise SystemExit(f"{url} answered {answer.status_code}")
        return elapsed

    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(one, range(requests_total)))


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100), interpolated."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def run_parallel(fn: Callable[[int], object], count: int, clients: int) -> list[object]:
    with ThreadPoolExecutor(clients) as pool:
        return list(pool.map(fn, range(count)))
