"""Celery tasks: the timed sweeps as the production workers run them (beat sends one per job; see hotline.celery)."""

from __future__ import annotations

from hotline import schedule
from hotline.celery import app


@app.task(name="hotline.tickets.tasks.run_sweep_job", ignore_result=False)
def run_sweep_job(name: str) -> int:
    """Run one job of `hotline.schedule.SCHEDULE` until it has nothing left; returns how many items it handled."""
    return schedule.run_job(name)


@app.task(name="hotline.tickets.tasks.run_all_sweeps")
def run_all_sweeps() -> dict[str, int]:
    """Every job once (the same as `hotline sweep`), for an operator who wants to trigger a round by hand."""
    return schedule.run_all()
