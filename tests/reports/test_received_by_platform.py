"""Intake counted by the platform that received each ticket (Art. 26, 30): once, where it came in."""

import time_machine

from hotline.reports.facts import Period, intake_by, intake_totals
from hotline.tickets import workflow
from tests.base import local
from tests.platforms import PlatformsTestCase

MARCH = Period.month(2026, 3)


class TestIntakeByPlatform(PlatformsTestCase):
    def test_it_counts_each_ticket_once_at_the_platform_that_received_it(self):
        with time_machine.travel(local(2026, 3, 2, 10), tick=False):
            self.county_ticket(self.operator_sq)
            kept = self.county_ticket(self.operator_sq)
            self.county_ticket(self.operator_xs)
            self.new_ticket()
            # Dispatching to a county unit keeps the ticket counted where it came in.
            workflow.dispatch(kept, by=self.dispatcher_sq, lead_unit=self.unit_c)
        with time_machine.travel(local(2026, 4, 1, 10), tick=False):
            self.county_ticket(self.operator_xs)  # April's
        by_platform = intake_by(MARCH, "received_by")
        assert {key: counts.received for key, counts in by_platform.items()} == {
            self.shuangqing.pk: 2, self.xinshao.pk: 1, self.city.pk: 1}
        assert sum(c.received for c in by_platform.values()) == intake_totals(MARCH).received
