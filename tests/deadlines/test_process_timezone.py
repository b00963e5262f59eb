"""Deadlines are Beijing times whatever the server's own time zone: the API, the ticket page and the SMS say the same
moment under TZ=UTC and TZ=America/New_York (a server set up abroad or in UTC, as containers are)."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hotline.deadlines import display
from hotline.tickets import outbox
from tests.api.base import ApiTestCase

CONTACT = {"channel": "phone", "request_type": "complaint", "content": "小区门口路灯不亮已经一周",
           "requester": {"name": "张三", "phone": "13987654321"}}
CLOCKS = ("dispatch_due", "sign_due", "handling_due", "current_due")


@contextmanager
def process_tz(name: str) -> Iterator[None]:
    """Run with the process time zone set to `name`, as `TZ=<name> hotline …` would."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


class TestDeadlinesUnderAnyProcessTimeZone(ApiTestCase):
    def _run(self) -> tuple[dict[str, Any], str, str]:
        created = self.post("/tickets", CONTACT, as_=self.operator).json()
        ticket = self.verb(created["number"], "dispatch", {"lead_unit": self.unit_a.code}, as_=self.dispatcher).json()
        self.client.force_login(self.dispatcher)
        page = self.client.get(f"/tickets/{ticket['number']}/").content.decode()
        sms = outbox.TEXTS["sms.extension"]({"ticket": ticket["number"], "new_due": ticket["current_due"]})
        return {clock: ticket[clock] for clock in CLOCKS}, page, sms

    def test_it_shows_and_returns_the_same_beijing_deadlines_under_utc_and_new_york(self):
        self.freeze()
        seen = []
        for zone in ("UTC", "America/New_York"):
            with process_tz(zone):
                clocks, page, sms = self._run()
            due = dt.datetime.fromisoformat(clocks["current_due"])
            assert all(value.endswith("+08:00") for value in clocks.values() if value), clocks
            assert display.format_due(due) in page and display.format_due(due) in sms
            seen.append((clocks, display.format_due(due)))
        assert seen[0] == seen[1]
