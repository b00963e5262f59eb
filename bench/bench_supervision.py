"""What the supervision sweeps cost per round on a replayed demo history (Art. 19, 24).

    .venv/bin/python bench/bench_supervision.py [--tickets 1000]

Builds the demo with `--tickets` tickets of history in a fresh SQLite database (a temporary HOTLINE_DATA_DIR),
then times one round of each supervision job of `hotline.ops.schedule` twice: the first round handles whatever the
history left (in "open" mode, so every trigger opens its case), the second is the steady state with nothing to do,
the cost every interval pays. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HOTLINE_DATA_DIR", tempfile.mkdtemp(prefix="bench-supervision-"))
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
os.environ["HOTLINE_SUPERVISION_AUTO_MODE"] = "open"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from hotline.demo import build  # noqa: E402
from hotline.ops import schedule  # noqa: E402
from hotline.supervision.models import SupervisionCase  # noqa: E402
from hotline.tickets.models import Event, Ticket  # noqa: E402

JOBS = ("supervise_overdue", "supervise_dissatisfied", "supervise_hotspots", "flag_difficult")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    summary = build.build(tickets=args.tickets, seed=12345, password="Bench-Pass-2026")
    print(f"demo: {Ticket.objects.count()} tickets, {Event.objects.count()} events, "
          f"{SupervisionCase.objects.count()} cases, built in {time.perf_counter() - began:.1f} s "
          f"(refused {len(summary.refused)})")
    for label in ("first round", "steady round"):
        for job in JOBS:
            started = time.perf_counter()
            handled = schedule.run_job(job)
            print(f"{label:12} {job:24} handled {handled:4d} in {(time.perf_counter() - started) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
