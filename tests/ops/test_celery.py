"""Celery: beat's schedule is the sweeps' SCHEDULE, and a worker's task runs the same sweep functions."""

from __future__ import annotations

import socket

import pytest
import time_machine
from celery.backends.redis import RedisBackend
from celery.contrib.testing.worker import start_worker
from celery.result import AsyncResult
from django.test import TransactionTestCase

from hotline.celery import SWEEP_TASK, app, beat_schedule
from hotline.ops import schedule, tasks
from hotline.tickets.choices import Status
from tests.base import HotlineTestCase, PersonaMixin, local

REDIS = ("127.0.0.1", 6379)
TEST_REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, flushed by nobody else


def redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


class TestBeatSchedule(HotlineTestCase):
    def test_it_has_one_entry_per_sweep_job_at_the_jobs_interval(self):
        beat = app.conf.beat_schedule
        assert set(beat) == {f"sweep-{name}" for name in schedule.SCHEDULE}
        for name, (_func, interval) in schedule.SCHEDULE.items():
            entry = beat[f"sweep-{name}"]
            assert entry["task"] == SWEEP_TASK and entry["args"] == (name,) and entry["schedule"] == interval
        assert SWEEP_TASK in app.tasks

    def test_it_follows_a_job_added_to_the_schedule(self):
        schedule.SCHEDULE["extra"] = (lambda now: False, 900)
        try:
            assert beat_schedule()["sweep-extra"]["schedule"] == 900
        finally:
            del schedule.SCHEDULE["extra"]

    def test_an_eager_task_runs_the_sweep(self):
        assert app.conf.task_always_eager  # CELERY_ENABLED is off in tests and the embedded deployment
        with time_machine.travel(local(2026, 11, 16, 10, 0), tick=False):
            ticket = self.dispatched_ticket()
        with time_machine.travel(local(2026, 11, 23, 9, 0), tick=False):
            assert tasks.run_sweep_job.delay("deem_signed").get(timeout=10) == 1
        ticket.refresh_from_db()
        assert ticket.status == Status.IN_PROGRESS


@pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379")
class TestWorkerOverRedis(PersonaMixin, TransactionTestCase):
    """A real worker (in a thread, for seconds) takes beat's messages from Redis and runs them against the database."""

    def setUp(self) -> None:
        self.make_personas()
        self.saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "result_backend")}
        app.conf.update(task_always_eager=False, broker_url=TEST_REDIS_URL, result_backend=TEST_REDIS_URL)

    def tearDown(self) -> None:
        app.conf.update(self.saved)

    def test_every_beat_entry_sent_through_redis_runs_its_sweep(self):
        with time_machine.travel(local(2026, 11, 2, 10, 0), tick=False):
            ticket = self.dispatched_ticket()  # its signing deadline passed long ago in real time
        # This thread's broker pool and result backend may predate the test's settings (the worker's thread makes its
        # own from them): publish and read through explicit connections to the test's Redis database.
        backend = RedisBackend(app=app, url=TEST_REDIS_URL)
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20), \
                app.connection_for_write(TEST_REDIS_URL) as broker:
            sent = {name: app.send_task(entry["task"], args=entry["args"], connection=broker).id
                    for name, entry in app.conf.beat_schedule.items()}
            counts = {name: AsyncResult(task_id, backend=backend, app=app).get(timeout=60)
                      for name, task_id in sent.items()}
        assert counts["sweep-deem_signed"] == 1
        assert all(isinstance(count, int) for count in counts.values())
        ticket.refresh_from_db()
        assert ticket.status == Status.IN_PROGRESS and ticket.deemed_signed
