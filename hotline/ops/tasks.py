"""Celery tasks: the timed sweeps as the production workers run them (beat sends one per job; see hotline.celery)."""

from __future__ import annotations

from celery import shared_task

from hotline.ops import schedule


@shared_task(name="hotline.ops.tasks.run_sweep_job", ignore_result=False)
def run_sweep_job(name: str) -> int:
    """Run one job of `hotline.ops.schedule.SCHEDULE` until it has nothing left; returns how many items it handled."""
    return schedule.run_job(name)


@shared_task(name="hotline.ops.tasks.run_all_sweeps")
def run_all_sweeps() -> dict[str, int]:
    """Every job once (the same as `hotline sweep`), for an operator who wants to trigger a round by hand."""
    return schedule.run_all()
