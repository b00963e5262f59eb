"""Which months the statistics have frozen (Art. 26): an appeal upheld after its rating's month was closed counts in
the next month still open (Art. 25; WAVE2 §2 test 4).

The one record of a frozen month is `reports.MonthClose`, two floors above this app. Rather than import it, this
module declares the question it needs answered and reports registers its answer when Django starts
(`ReportsConfig.ready`): an inversion, so the layering holds and there is no second month record to keep in step.
Without a registered reader, deciding an appeal fails loudly instead of counting in a month already frozen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

# (first day of a month) -> when its figures were frozen, or None while it is open.
FrozenAt = Callable[[dt.date], dt.datetime | None]

_reader: list[FrozenAt] = []


def register(reader: FrozenAt) -> None:
    """Install the statistics' answer to "when was this month frozen"; called once at start-up by reports."""
    _reader[:] = [reader]


def frozen_at(month: dt.date) -> dt.datetime | None:
    """When the month (its first day) was closed by the statistics, or None while it is open."""
    if not _reader:
        raise ImproperlyConfigured("统计月结未注册（hotline.reports 未安装），不能确定申诉计入的月份")
    return _reader[0](month)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def first_open_month(month: dt.date, at: dt.datetime) -> dt.date:
    """`month` if it was not frozen by `at`, otherwise the first month after it that was not."""
    for _ in range(240):  # a frozen month is followed by an open one long before twenty years
        frozen = frozen_at(month)
        if frozen is None or frozen > at:
            return month
        month = next_month(month)
    raise ImproperlyConfigured("连续二十年的月份均已结账，无法确定申诉计入的月份")
