"""The exchange screens: the 上级交办 list with the upper deadlines and report-back, and each sub-centre's data
quality (Art. 7, 27). Read-only; hotline staff see the orders, the hotline manager the quality table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hotline.directory.choices import Role
from hotline.exchange import quality
from hotline.exchange.models import LowerOrder, UpperOrder
from hotline.lib.errors import DomainError
from hotline.reports.closing import parse_month
from hotline.reports.facts import Period
from hotline.reports.indicators import show

RATE_LABELS = {"timely_rate": "及时率", "complete_rate": "内容完整率", "refused_rate": "拒收率",
               "outcome_rate": "办结结果回传率"}


@login_required
def orders(request: HttpRequest) -> HttpResponse:
    """Orders from the provincial platform, newest first, with the upper deadline, the mark and the report-back;
    below them the tickets this platform sent down to lower platforms and their reports (when it is a province)."""
    if not request.user.is_city_hotline:  # type: ignore[union-attr]  # orders reach the city platform
        raise PermissionDenied("只有市热线工作人员可以查看上级交办工单")
    rows = (UpperOrder.objects.select_related("partner", "ticket").order_by("-received_at")
            .annotate(n_sent=Count("reports"),
                      n_delivered=Count("reports", filter=Q(reports__delivered_at__isnull=False)),
                      n_late=Count("reports", filter=Q(reports__late=True)))[:200])
    lower = (LowerOrder.objects.select_related("partner", "ticket").order_by("-created_at")
             .annotate(n_reports=Count("reports"))[:200])
    return render(request, "exchange/orders.html", {"rows": rows, "lower": lower, "now": timezone.now()})


@login_required
def data_quality(request: HttpRequest) -> HttpResponse:
    """Each sub-centre's pushes in a month: timeliness, completeness, refusals and outcomes (Art. 7)."""
    if not request.user.has_role(Role.MANAGER):  # type: ignore[union-attr]
        raise PermissionDenied("只有热线管理员可以查看分中心数据质量")
    today = timezone.localdate()
    error = ""
    try:
        year, month = parse_month(request.GET.get("month") or f"{today:%Y-%m}")
    except DomainError as exc:
        error, (year, month) = exc.message, (today.year, today.month)
    rows = [(row, [(label, show(row.rates[key])) for key, label in RATE_LABELS.items()])
            for row in quality.table(Period.month(year, month))]
    return render(request, "exchange/quality.html", {"rows": rows, "month": f"{year}-{month:02d}",
                                                     "labels": RATE_LABELS.values(), "error": error})
