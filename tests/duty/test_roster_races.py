"""Two clerks sending a unit's first roster for a month at once: one roster, one set of shifts, and the loser told
to reload (409 `roster_conflict`) or taken as a correction — never a 500, never doubled shifts (STYLE 2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import time_machine

from hotline.directory.models import DutyRoster, DutyRosterEntry
from hotline.duty import rosters
from hotline.lib.errors import Conflict
from tests.base import local
from tests.duty.support import DECEMBER, full_month
from tests.tickets.test_races import RaceTestCase, race


class TestFirstRosterRace(RaceTestCase):
    def test_it_keeps_one_roster_with_one_set_of_shifts(self):
        shifts = full_month()
        traveller = time_machine.travel(local(2026, 11, 20, 10), tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)

        def work(i: int) -> Callable[[], Any]:
            by = self.unit_a_manager if i % 2 else self.unit_a_handler
            return lambda: rosters.submit(by=by, unit=self.unit_a, month=DECEMBER, shifts=shifts)

        results = race(work, threads=4)
        unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, Conflict)]
        assert unexpected == [], unexpected
        assert any(isinstance(r, DutyRoster) for r in results)
        assert all(r.code == "roster_conflict" for r in results if isinstance(r, Conflict))
        assert DutyRoster.objects.count() == 1
        assert DutyRosterEntry.objects.count() == len(shifts)
