"""Statistics screens for hotline staff: read-only, computed from tickets and events."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from hotline.reports.channels import channel_report

MAX_DAYS = 366
# One distinguishable colour per channel, in Channel order (Chart.js's default palette repeats after seven).
PALETTE = ["#1f5fae", "#e4572e", "#17a398", "#f3a712", "#7768ae", "#c0392b", "#6c757d", "#2e8b57", "#8e5b3b"]


def _period(request: HttpRequest) -> tuple[dt.date, dt.date, str]:
    today = timezone.localdate()
    start = parse_date(request.GET.get("start", "") or "") or today.replace(day=1)
    end = parse_date(request.GET.get("end", "") or "") or today
    if end < start:
        return today.replace(day=1), today, "结束日期早于开始日期，已改为本月"
    if (end - start).days >= MAX_DAYS:
        return end - dt.timedelta(days=MAX_DAYS - 1), end, "统计区间最长一年，已截取最近一年"
    return start, end, ""


@login_required
def channels(request: HttpRequest) -> HttpResponse:
    """Tickets received per channel (phone, web, WeChat, app, SMS, 110, deputies, leader day) with a daily chart."""
    if not request.user.is_city_hotline:  # type: ignore[union-attr]  # city-wide counts (Art. 30)
        raise PermissionDenied("只有市热线工作人员可以查看全市统计")
    start, end, warning = _period(request)
    report = channel_report(start, end)
    chart = {
        "labels": [d.strftime("%m-%d") for d in report.days],
        # Each channel keeps its colour whichever channels are empty in the period.
        "series": [{"label": row.label, "data": report.daily[row.channel], "backgroundColor": PALETTE[i]}
                   for i, row in enumerate(report.rows) if row.received],
    }
    return render(request, "reports/channels.html", {"report": report, "chart": chart, "warning": warning})
