"""The production web server's settings (docs/deploy.md): gunicorn, a few worker processes of a few threads each.

    gunicorn -c python:hotline.server hotline.wsgi:application

Why processes: a page costs 40-110 ms of Python, and the threads of one process take turns at one interpreter
lock, so eight requests at once queue for one core while the others idle. Worker processes use every core; the
threads in each overlap a request's waits on PostgreSQL with another's Python. Every worker is a separate
process, so production shares its cache, rate limits and sessions through Redis (`REDIS_URL`), never memory.

The app is not preloaded in the master: importing it checks the database's keys (`hotline.vault.startup`), and a
connection opened before the fork would be shared by every worker. Each worker imports it and checks for itself.

Environment (all optional): `HOTLINE_BIND` (127.0.0.1:8000), `HOTLINE_WORKERS` (the cores + 1),
`HOTLINE_THREADS` (4).
"""

from __future__ import annotations

import os


def _count(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 64:
        raise ValueError(f"{name} must be a whole number from 1 to 64, not {raw!r}")
    return int(raw)


bind = os.environ.get("HOTLINE_BIND", "").strip() or "127.0.0.1:8000"
workers = _count("HOTLINE_WORKERS", (os.cpu_count() or 1) + 1)
threads = _count("HOTLINE_THREADS", 4)
worker_class = "gthread"
# A month's report or an export may take tens of seconds at a million tickets; a worker stuck longer is restarted.
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
