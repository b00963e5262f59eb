"""Celery tasks: the timed sweeps as the production workers run them (beat sends one per job; see hotline.celery)."""

from __future__ import annotations

from hotline.celery import app
from hotline.tickets import sweeps


@app.task(name="hotline.tickets.tasks.run_sweep_job", ignore_result=False)
def run_sweep_job(name: str) -> int:
    """Run one job of `sweeps.SCHEDULE` until it has nothing left; returns how many items it handled."""
    return sweeps.run_job(name)


@app.task(name="hotline.tickets.tasks.run_all_sweeps")
def run_all_sweeps() -> dict[str, int]:
    """Every job once (the same as `hotline sweep`), for an operator who wants to trigger a round by hand."""
    return sweeps.run_all()
