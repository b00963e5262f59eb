"""Screens of the monthly statistics (Art. 26) and the assessment (Art. 27): months and their close, the month's
figures with units ranked and the red and black lists, the bulletin's files, score sheets, the yearly export and
the live overview. Thin: check the role, call `closing`, render.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from hotline.directory.choices import Role
from hotline.directory.models import Staff
from hotline.lib import screens
from hotline.lib.errors import DomainError
from hotline.reports import bulletin, closing, live
from hotline.reports.bulletin.content import UNIT_COLUMNS, group_rows, unit_row
from hotline.reports.indicators import GROUPS, RATE_LABELS, show
from hotline.reports.models import MonthClose, MonthState
from hotline.tickets.selectors import Scope

domain_errors = screens.domain_errors(screens.plain_failure)
CITY_RATES = ("direct_answer_rate", "dispatch_on_time_rate", "sign_on_time_rate", "reply_on_time_rate",
              "return_rate", "extension_rate", "follow_up_rate", "satisfaction_rate", "solve_rate", "rework_rate",
              "supervision_on_time_rate", "kb_update_on_time_rate", "kb_stale_rate", "roster_on_time_rate")


class ReviewForm(forms.Form):
    """The manager's review: typical cases and difficult matters for the bulletin (no personal data, Art. 23)."""

    typical_tickets = forms.CharField(label="典型案例工单（每行一个工单编号，可在编号后空一格写点评）", required=False,
                                      max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    typical_cases = forms.CharField(label="典型案例说明（空行分隔）", required=False, max_length=5000,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    difficult_matters = forms.CharField(label="督办及疑难事项说明", required=False, max_length=3000,
                                        widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label="审核意见", required=False, max_length=500)


def _user(request: HttpRequest) -> Staff:
    return request.user  # type: ignore[return-value]


def _hotline(request: HttpRequest) -> Staff:
    user = _user(request)
    if not user.is_city_hotline:  # the city's month; a county sub-centre's desk sees its units' rows only
        raise PermissionDenied("只有市热线工作人员可以查看全市月度统计")
    return user


def _month(year: int, month: int) -> None:
    try:
        closing.check_month(year, month)
    except DomainError:
        raise Http404("月份不存在") from None


@login_required
@require_GET
def months(request: HttpRequest) -> HttpResponse:
    """The last twelve months, each open, frozen, reviewed or published, with the manager's close button."""
    _hotline(request)
    today = timezone.localdate()
    closes = {(c.year, c.month): c for c in MonthClose.objects.defer("docx", "pdf", "xlsx", "snapshot")}
    rows = []
    for back in range(1, 13):
        year, month = closing.previous(today.year, today.month, back)
        rows.append({"year": year, "month": month, "close": closes.get((year, month))})
    return render(request, "reports/months.html", {"rows": rows, "is_manager": _user(request).has_role(Role.MANAGER)})


def _unit_tables(snap: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"label": label, "rows": [{"row": row, "cells": unit_row(row)} for row in group_rows(snap, group)]}
            for group, label in GROUPS.items()]


def _chosen(close: MonthClose | None) -> str:
    """The chosen cases as the manager typed them: one number a line, with its comment."""
    rows = close.typical_tickets if close else []
    return "\n".join(f"{row['number']} {row['comment']}".strip() for row in rows)


def _month_page(request: HttpRequest, year: int, month: int, form: forms.Form | None = None) -> HttpResponse:
    user = _hotline(request)
    _month(year, month)
    snap, close = closing.month_snapshot(year, month)
    city = [(RATE_LABELS[k], show(snap["city"]["rates"][k])) for k in CITY_RATES]
    form = form or ReviewForm(initial={"typical_cases": close.typical_cases if close else "",
                                       "typical_tickets": _chosen(close),
                                       "difficult_matters": close.difficult_matters if close else ""})
    context = {"year": year, "month": month, "snap": snap, "close": close, "city": city, "columns": UNIT_COLUMNS,
               "groups": _unit_tables(snap), "is_manager": user.has_role(Role.MANAGER), "form": form,
               "formats": list(bulletin.FORMATS), "State": MonthState}
    return render(request, "reports/month.html", context)


@login_required
@require_GET
def month_page(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """A month's figures: the city's rates, every group's units ranked, the red and black lists, the actions."""
    return _month_page(request, year, month)


def _review_failure(request: HttpRequest, error: DomainError, form: forms.Form | None, year: int, month: int,
                    action: str) -> HttpResponse:
    # A refused review (a typical case of another month, say) shows the month again with what the manager typed
    # and the error on it; other refusals are the plain page.
    if isinstance(form, ReviewForm):
        return _month_page(request, year, month, form)
    return screens.plain_failure(request, error, form)


@login_required
@require_POST
@screens.domain_errors(_review_failure)
def month_action(request: HttpRequest, year: int, month: int, action: str) -> HttpResponse:
    """Close (freeze), review or publish a month; the manager's only."""
    user = _user(request)
    if not user.has_role(Role.MANAGER):
        raise PermissionDenied("只有热线管理员可以结账、审核和发布月度通报")
    _month(year, month)
    if action == "close":
        closing.close_month(year, month, by=user)
        messages.success(request, f"{year}年{month}月已结账，数据已冻结，请审核")
    elif action == "review":
        form = screens.parse(request, ReviewForm(request.POST))
        closing.review_month(year, month, by=user, note=form.cleaned_data["note"],
                             typical_cases=form.cleaned_data["typical_cases"],
                             typical_tickets=form.cleaned_data["typical_tickets"],
                             difficult_matters=form.cleaned_data["difficult_matters"])
        messages.success(request, f"{year}年{month}月已审核，可以发布")
    elif action == "publish":
        closing.publish_month(year, month, by=user)
        messages.success(request, f"{year}年{month}月通报已发布")
    else:
        raise Http404("未知操作")
    return redirect("reports:month", year=year, month=month)


@login_required
@require_GET
def bulletin_file(request: HttpRequest, year: int, month: int, fmt: str) -> HttpResponse:
    """A published month's bulletin as DOCX, PDF or XLSX, as kept at publication."""
    _month(year, month)
    close = MonthClose.objects.filter(year=year, month=month, state=MonthState.PUBLISHED).first()
    if close is None or fmt not in bulletin.FORMATS:
        raise Http404("该月通报尚未发布")
    response = HttpResponse(bytes(getattr(close, fmt)), content_type=bulletin.FORMATS[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(bulletin.filename(close, fmt))}"
    return response


def _own_rows(user: Staff, snap: dict[str, Any]) -> list[dict[str, Any]]:
    if user.is_city_hotline:
        return snap["units"]
    if user.is_hotline:  # a county sub-centre's desk: its platform's units (Art. 30)
        codes = set(Scope.of(user).units().values_list("code", flat=True))
        return [row for row in snap["units"] if row["code"] in codes]
    unit = user.unit
    codes = {unit.code, unit.county.code if unit.county else ""} if unit else set()
    return [row for row in snap["units"] if row["code"] in codes]


@login_required
@require_GET
def assessment_page(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """Every unit's score, group and rank (hotline staff); a unit sees only its own line."""
    user = _user(request)
    _month(year, month)
    snap, close = closing.month_snapshot(year, month)
    rows = _own_rows(user, snap)
    groups = [{"label": label, "rows": group_rows({"units": rows}, group)} for group, label in GROUPS.items()]
    return render(request, "reports/assessment.html", {"year": year, "month": month, "groups": groups,
                                                       "close": close, "is_hotline": user.is_hotline})


@login_required
@require_GET
def sheet_page(request: HttpRequest, year: int, month: int, code: str) -> HttpResponse:
    """A unit's monthly score sheet: every point gained or lost, each with a link to its evidence."""
    user = _user(request)
    _month(year, month)
    snap, close = closing.month_snapshot(year, month)
    row = next((r for r in _own_rows(user, snap) if r["code"] == code), None)
    if row is None:
        raise Http404("没有该单位的考评表")
    return render(request, "reports/sheet.html", {"year": year, "month": month, "row": row, "close": close})


@login_required
@require_GET
def assessment_export(request: HttpRequest, year: int) -> HttpResponse:
    """The year's scores: one row per unit, a score and rank per closed month (Art. 27 → 全市绩效考核)."""
    _hotline(request)
    if not 2000 <= year <= 2100:
        raise Http404("年份不存在")
    closes = MonthClose.objects.filter(year=year).order_by("month").defer("docx", "pdf", "xlsx")
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年考评"
    ws.append(["单位", "分组", *(f"{c.month}月得分" for c in closes), *(f"{c.month}月排名" for c in closes),
               "平均得分"])
    units: dict[str, dict[str, Any]] = {}
    for c in closes:
        for row in c.snapshot["units"]:
            entry = units.setdefault(row["code"], {"name": row["name"], "group": GROUPS[row["group"]], "m": {}})
            entry["m"][c.month] = (row["score"], row["rank"])
    for entry in units.values():
        scores = [entry["m"].get(c.month, (None, None))[0] for c in closes]
        ranks = [entry["m"].get(c.month, (None, None))[1] for c in closes]
        valid = [s for s in scores if s is not None]
        ws.append([entry["name"], entry["group"], *(s if s is not None else "—" for s in scores),
                   *(r or "—" for r in ranks), round(sum(valid) / len(valid), 2) if valid else "—"])
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=bulletin.FORMATS["xlsx"])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{year}年单位考评.xlsx')}"
    return response


@login_required
@require_GET
def live_page(request: HttpRequest) -> HttpResponse:
    """The big screen; its script fetches `live_data` every minute."""
    _hotline(request)
    return render(request, "reports/live.html", {"data": live.overview()})


@login_required
@require_GET
def live_data(request: HttpRequest) -> JsonResponse:
    _hotline(request)
    return JsonResponse(live.overview(), json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def assessment_latest(request: HttpRequest) -> HttpResponse:
    """The assessment of last month, the one a unit looks for first."""
    today = timezone.localdate()
    year, month = closing.previous(today.year, today.month)
    return redirect("reports:assessment", year=year, month=month)
