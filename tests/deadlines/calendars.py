"""Calendars for tests without a database: the seed package's data, and the 2025-2026 State Council notices by hand."""

from __future__ import annotations

import datetime as dt

from hotline.deadlines.calendar import WorkCalendar
from hotline.deadlines.seed import package_calendar


def _dates(*items: tuple[int, int, int]) -> frozenset[dt.date]:
    return frozenset(dt.date(*item) for item in items)


# Weekday holidays and worked weekends as the State Council notices for 2025 and 2026 list them.
NOTICE_HOLIDAYS_2025 = _dates(
    (2025, 1, 1),  # 元旦
    (2025, 1, 28), (2025, 1, 29), (2025, 1, 30), (2025, 1, 31), (2025, 2, 3), (2025, 2, 4),  # 春节 1.28-2.4
    (2025, 4, 4),  # 清明
    (2025, 5, 1), (2025, 5, 2), (2025, 5, 5),  # 劳动节 5.1-5.5
    (2025, 6, 2),  # 端午 5.31-6.2
    (2025, 10, 1), (2025, 10, 2), (2025, 10, 3), (2025, 10, 6), (2025, 10, 7), (2025, 10, 8),  # 国庆中秋 10.1-10.8
)
NOTICE_WORKDAYS_2025 = _dates((2025, 1, 26), (2025, 2, 8), (2025, 4, 27), (2025, 9, 28), (2025, 10, 11))
NOTICE_HOLIDAYS_2026 = _dates(
    (2026, 1, 1), (2026, 1, 2),  # 元旦 1.1-1.3
    (2026, 2, 16), (2026, 2, 17), (2026, 2, 18), (2026, 2, 19), (2026, 2, 20), (2026, 2, 23),  # 春节 2.15-2.23
    (2026, 4, 6),  # 清明 4.4-4.6
    (2026, 5, 1), (2026, 5, 4), (2026, 5, 5),  # 劳动节 5.1-5.5
    (2026, 6, 19),  # 端午 6.19-6.21
    (2026, 9, 25),  # 中秋 9.25-9.27
    (2026, 10, 1), (2026, 10, 2), (2026, 10, 5), (2026, 10, 6), (2026, 10, 7),  # 国庆 10.1-10.7
)
NOTICE_WORKDAYS_2026 = _dates((2026, 1, 4), (2026, 2, 14), (2026, 2, 28), (2026, 5, 9), (2026, 9, 20), (2026, 10, 10))

NOTICES_2025_2026 = WorkCalendar(
    holidays=NOTICE_HOLIDAYS_2025 | NOTICE_HOLIDAYS_2026,
    workdays=NOTICE_WORKDAYS_2025 | NOTICE_WORKDAYS_2026,
    published_years=frozenset({2025, 2026}),
)
PACKAGE = package_calendar()
