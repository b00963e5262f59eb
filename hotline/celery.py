"""The Celery app for production (`celery -A hotline worker`, `celery -A hotline beat`): configured from the Django
settings (CELERY_*), with a beat entry per job of `hotline.ops.schedule.SCHEDULE`, the one schedule (STYLE 6)."""

from __future__ import annotations

import os
from typing import Any

import django
from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
# The schedule lives beside the sweep functions, which import the models: Django must be ready first.
django.setup()

from hotline.ops.schedule import SCHEDULE  # noqa: E402

SWEEP_TASK = "hotline.ops.tasks.run_sweep_job"


def beat_schedule() -> dict[str, dict[str, Any]]:
    """One beat entry per sweep job, at the job's interval; a run that waited longer than one interval is dropped
    (the next run handles the same items, so a backlog of identical runs is useless)."""
    return {
        f"sweep-{name}": {"task": SWEEP_TASK, "schedule": float(interval), "args": (name,),
                          "options": {"expires": float(interval)}}
        for name, (_func, interval) in SCHEDULE.items()
    }


app = Celery("hotline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.beat_schedule = beat_schedule()
app.autodiscover_tasks(["hotline.ops"])
