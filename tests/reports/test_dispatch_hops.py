"""The city's 2-hour dispatch clock counts a hop to another platform as the sending desk's dispatch (Art. 13, 30),
on a hand-built March: each event's verdict is worked out here.

Monday 2 March 2026 (no holiday). P is taken at the city at 09:00 (dispatch due 11:00), handed down to 双清区 at
09:30 (in time); the county signs at 10:00, which starts its own 2 hours (due 12:00), and dispatches at 15:00 (late).
Q is taken at 双清区's desk at 09:00 (due 11:00), passed up at 13:00 (late); the city signs at 13:10 (due 15:10) and
dispatches at 13:40 (in time). Four dispatch clocks ended, two in time.
"""

from __future__ import annotations

import time_machine

from hotline.reports.facts import Period
from hotline.reports.indicators import city_figures, unit_figures
from hotline.tickets import workflow
from tests.base import local
from tests.platforms import PlatformsTestCase

MARCH = Period.month(2026, 3)


def at(hour: int, minute: int = 0) -> time_machine.travel:
    return time_machine.travel(local(2026, 3, 2, hour, minute), tick=False)


class TestDispatchClockAcrossPlatforms(PlatformsTestCase):
    def test_hops_end_the_senders_dispatch_clock_and_signing_starts_the_receivers(self):
        with at(9):
            p = self.new_ticket()
            q = self.county_ticket(self.operator_sq)
        with at(9, 30):
            workflow.hand_down(p, by=self.dispatcher, platform=self.shuangqing)
        with at(10):
            workflow.sign_transfer(p, by=self.dispatcher_sq)
        with at(13):
            workflow.pass_up(q, by=self.dispatcher_sq, reason="属市直部门职责")
        with at(13, 10):
            workflow.sign_transfer(q, by=self.dispatcher)
        with at(13, 40):
            workflow.dispatch(q, by=self.dispatcher, lead_unit=self.unit_a)
        with at(15):
            workflow.dispatch(p, by=self.dispatcher_sq, lead_unit=self.unit_c)
        city = city_figures(MARCH, unit_figures(MARCH).values())
        assert (city.dispatch_due, city.dispatched_on_time) == (4, 2)
        assert city.rates()["dispatch_on_time_rate"] == 50.0
