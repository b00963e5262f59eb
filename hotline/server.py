"""The production web server's settings (docs/deploy.md): gunicorn, a few worker processes of a few threads each.

    gunicorn -c python:hotline.server hotline.wsgi:application

Why processes: a page costs 20-110 ms of Python, and the threads of one process take turns at one interpreter
lock, so eight requests at once queue for one core while the others idle. Worker processes use every core; the
threads in each overlap a request's waits on PostgreSQL with another's Python. Every worker is a separate
process, so production shares its cache, rate limits and sessions through Redis (`REDIS_URL`), never memory.

The app is not preloaded in the master: importing it checks the database's keys (`hotline.vault.startup`), and a
connection opened before the fork would be shared by every worker. Each worker imports it and checks for itself.

Environment (all optional): `HOTLINE_BIND` (127.0.0.1:8000), `HOTLINE_WORKERS` (the cores + 1, at most 8
unless set), `HOTLINE_THREADS` (4).
"""

from __future__ import annotations

import os


def _cores() -> int:
    """The cores this process may run on (a container's share, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _count(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 64:
        raise ValueError(f"{name} must be a whole number from 1 to 64, not {raw!r}")
    return int(raw)


bind = os.environ.get("HOTLINE_BIND", "").strip() or "127.0.0.1:8000"
# Each thread keeps its own PostgreSQL connection (CONN_MAX_AGE): workers × threads connections, which with the
# Celery workers must stay under the server's max_connections (100 by default); hence the cap of 8 by default.
workers = _count("HOTLINE_WORKERS", min(_cores() + 1, 8))
threads = _count("HOTLINE_THREADS", 4)
worker_class = "gthread"
# A worker whose main loop stops answering its master for this long is restarted. (With threads it does not
# bound one request: a month's report or export may take tens of seconds; nginx's proxy_read_timeout, 120 s in
# docs/deploy.md, bounds what the browser waits, and `statement_timeout=…` in HOTLINE_PG_SETTINGS the query.)
timeout = 120
graceful_timeout = 30
# A worker is replaced after this many requests (with jitter, so they do not all restart at once): whatever a long
# life accumulates in memory is returned.
max_requests = 20_000
max_requests_jitter = 2_000
# nginx on the same host passes the scheme (X-Forwarded-Proto); trust only it.
forwarded_allow_ips = "127.0.0.1"
# nginx in front logs every request; the server logs its own starts, restarts and errors, with timestamps.
accesslog = None
errorlog = "-"
