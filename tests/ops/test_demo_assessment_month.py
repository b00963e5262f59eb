"""The demo's entered assessment item lands in the local calendar's last month, whatever the UTC date."""

import datetime as dt

from hotline.demo import assessment
from hotline.reports.models import AssessmentEntry
from tests.base import HotlineTestCase


class TestDemoAssessmentMonth(HotlineTestCase):
    def test_just_after_midnight_in_beijing_last_month_is_the_local_one(self):
        # 00:30 on 1 December in Beijing is still 30 November in UTC; the entry used to land in October.
        now = dt.datetime(2026, 11, 30, 16, 30, tzinfo=dt.UTC)
        assessment.build({"cgzf": self.unit_a}, {"manager": self.manager}, now=now)
        assert AssessmentEntry.objects.get().month == dt.date(2026, 11, 1)
