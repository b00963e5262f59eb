"""`hotline sweep`: one round of the timed jobs for cron, with counts printed per job."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from hotline.ops import schedule
from hotline.tickets.choices import Status
from tests.base import HotlineTestCase, local


class TestSweepCommand(HotlineTestCase):
    def dispatched_long_ago(self):
        with time_machine.travel(local(2026, 11, 16, 10, 0), tick=False):
            return self.dispatched_ticket()

    def sweep(self, *args: str) -> dict[str, int]:
        out = StringIO()
        call_command("sweep", *args, stdout=out)
        return {name: int(count) for name, count in (line.split("\t") for line in out.getvalue().splitlines())}

    def test_it_runs_every_job_once_and_prints_what_each_handled(self):
        ticket = self.dispatched_long_ago()
        with time_machine.travel(local(2026, 11, 23, 9, 0), tick=False):
            counts = self.sweep()
        assert set(counts) == set(schedule.SCHEDULE)
        assert counts["deem_signed"] == 1
        ticket.refresh_from_db()
        assert ticket.status == Status.IN_PROGRESS and ticket.deemed_signed

    def test_it_is_safe_to_run_twice(self):
        self.dispatched_long_ago()
        with time_machine.travel(local(2026, 11, 23, 9, 0), tick=False):
            first = self.sweep()
            second = self.sweep()
        assert first["deem_signed"] == 1 and all(count == 0 for count in second.values())

    def test_it_runs_only_the_job_asked_for(self):
        ticket = self.dispatched_long_ago()
        with time_machine.travel(local(2026, 11, 23, 9, 0), tick=False):
            assert self.sweep("--job", "warn") == {"warn": 0}
        ticket.refresh_from_db()
        assert ticket.status == Status.DISPATCHED

    def test_it_refuses_an_unknown_job(self):
        with pytest.raises(CommandError):
            call_command("sweep", "--job", "nope")


class TestSweepLoop(HotlineTestCase):
    def test_the_embedded_loop_logs_an_error_and_keeps_going(self):
        calls: list[int] = []

        def broken(now: dt.datetime | None) -> bool:
            calls.append(1)
            raise RuntimeError("boom")

        original = schedule.SCHEDULE.copy()
        schedule.SCHEDULE["broken"] = (broken, 1)
        try:
            with self.assertLogs("hotline.ops.schedule", "ERROR"):
                thread, stop = schedule.start_loop(0.05)
                while len(calls) < 3 and thread.is_alive():
                    stop.wait(0.05)
                stop.set()
                thread.join(timeout=10)
        finally:
            schedule.SCHEDULE.clear()
            schedule.SCHEDULE.update(original)
        assert len(calls) >= 3 and not thread.is_alive()
