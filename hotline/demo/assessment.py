"""Demo assessment entries: one higher-level item with its evidence in last month, so a score sheet shows how an
item the hotline enters (Art. 27 上级考评) appears beside the ones read from events."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hotline.directory.models import Staff, Unit
from hotline.reports.models import AssessmentEntry


def build(units: dict[str, Unit], staff: dict[str, Staff], *, now: dt.datetime) -> None:
    """A provincial-platform ticket the city's urban management bureau finished late, entered by the manager."""
    # The local calendar month (Asia/Shanghai), as the statistics count it: in the first eight hours of a month the
    # UTC date still names the month before.
    first = timezone.localtime(now).date().replace(day=1)
    last_month = (first - dt.timedelta(days=1)).replace(day=1)
    unit = units.get("cgzf") or next(iter(units.values()))
    AssessmentEntry.objects.create(unit=unit, month=last_month, item="upper_late", count=1,
                                   note="省12345平台转办工单逾期办结", evidence="省平台工单 HN-演示-0001",
                                   entered_by=staff["manager"])
