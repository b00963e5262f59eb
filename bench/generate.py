"""Generate a city-scale ticket history on the PostgreSQL database of `DATABASE_URL` (issue #15).

    createdb -h 127.0.0.1 -U postgres hotline_1m
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hotline_1m .venv/bin/python bench/generate.py --tickets 1000000

Migrates, builds the demo's directory when the database holds no units (every account's password is
`bench-Pass-2026`), then writes N tickets spread over `--months` months up to now with COPY (`bench/history.py`
says what the rows look like). The database is for benchmarks only: its events are unsealed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import history  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--months", type=float, default=36,
                        help="how far back the history reaches; a small history to compare with a large one keeps "
                             "the daily volume (10,000 tickets over 0.24 months = 1,000,000 over 24)")
    parser.add_argument("--seed", type=int, default=12345)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("DATABASE_URL must point to a PostgreSQL database made for benchmarks")
    call_command("migrate", verbosity=0)
    world = history.ensure_directory()
    now = timezone.now().replace(microsecond=0)
    history.load(args.tickets, now - dt.timedelta(days=30.44 * args.months), now, world, seed=args.seed)


if __name__ == "__main__":
    main()
