"""Screens of the monthly statistics (Art. 26) and the assessment (Art. 27): months and their close, the month's
figures with units ranked and the red and black lists, the bulletin's files, score sheets, the yearly export and
the live overview. Thin: check the role, call `closing`, render.

A county sub-centre's desk has its own months under `/reports/platforms/<code>/months/` (Art. 26, 30): its
platform's figures only; another platform's is 404, as every object outside a reader's scope.
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
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from hotline.directory.choices import Role
from hotline.directory.models import Platform, Staff
from hotline.lib import screens
from hotline.lib.errors import DomainError
from hotline.reports import bulletin, closing, levels, live
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
    user = _hotline(request)
    return _months(request, user, user.platform, city=True)


def _months(request: HttpRequest, user: Staff, platform: Platform, *, city: bool) -> HttpResponse:
    today = timezone.localdate()
    closes = {(c.year, c.month): c for c in MonthClose.objects.filter(platform=platform)
              .defer("docx", "pdf", "xlsx", "snapshot")}
    rows = []
    for back in range(1, 13):
        year, month = closing.previous(today.year, today.month, back)
        args = (year, month) if city else (platform.code, year, month)
        rows.append({"year": year, "month": month, "close": closes.get((year, month)),
                     "url": reverse("reports:month" if city else "reports:platform_month", args=args),
                     "close_url": reverse("reports:month_action" if city else "reports:platform_month_action",
                                          args=(*args, "close"))})
    own = user.has_role(Role.MANAGER) and user.platform_id == platform.pk
    return render(request, "reports/months.html", {"rows": rows, "is_manager": own, "platform": platform,
                                                   "city": city})


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
               "formats": list(bulletin.FORMATS), "State": MonthState, **_levels(snap)}
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
    close = MonthClose.city().filter(year=year, month=month,
                                      state=MonthState.PUBLISHED).first()
    return _bulletin_response(close, fmt)


def _bulletin_response(close: MonthClose | None, fmt: str) -> HttpResponse:
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
    closes = (MonthClose.city().filter(year=year).order_by("month")
              .defer("docx", "pdf", "xlsx"))
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


def _levels(snap: dict[str, Any]) -> dict[str, Any]:
    """The per-level table (Art. 26, 30) as the page prints it; a month frozen before it existed has none."""
    table = snap.get("levels")
    if not table:
        return {"levels": None}
    rows = [{"name": row["name"], "code": row["code"], "cells": levels.level_cells(row)} for row in table["rows"]]
    return {"levels": {"columns": levels.LEVEL_COLUMNS, "rows": rows,
                       "total": levels.level_cells(table["total"])}}


# ---------------------------------------------------------------- a county sub-centre's own month (Art. 26, 30)


def _platform(request: HttpRequest, code: str) -> tuple[Staff, Platform]:
    """The platform named in the path, if the reader may see it: a county desk its own subtree, the city's staff
    every platform; a platform outside the reader's scope is 404, like any object it cannot see."""
    user = _user(request)
    if not user.is_hotline:
        raise PermissionDenied("只有热线工作人员可以查看平台月度统计")
    platform = Scope.of(user).platforms_visible().filter(code=code).first()
    if platform is None:
        raise Http404("没有该平台")
    return user, platform


@login_required
@require_GET
def platform_months(request: HttpRequest, code: str) -> HttpResponse:
    """A platform's last twelve months with their state; its own manager closes them."""
    user, platform = _platform(request, code)
    if platform.is_root:
        return redirect("reports:months")
    return _months(request, user, platform, city=False)


def _platform_month_page(request: HttpRequest, code: str, year: int, month: int,
                         form: forms.Form | None = None) -> HttpResponse:
    user, platform = _platform(request, code)
    _month(year, month)
    snap, close = closing.month_snapshot(year, month, platform)
    form = form or ReviewForm(initial={"typical_cases": close.typical_cases if close else "",
                                       "typical_tickets": _chosen(close),
                                       "difficult_matters": close.difficult_matters if close else ""})
    total = [(RATE_LABELS[k], show(snap["total"]["rates"][k]))
             for k in ("direct_answer_rate", "reply_on_time_rate", "satisfaction_rate")]
    last = snap["intake_last_month"]["channel"]
    channels = [(label, n, last.get(label, 0)) for label, n in sorted(snap["intake"]["channel"].items(),
                                                                       key=lambda kv: -kv[1])]
    context = {"year": year, "month": month, "snap": snap, "close": close, "platform": platform, "total": total,
               "channels": channels,
               "is_manager": user.has_role(Role.MANAGER) and user.platform_id == platform.pk, "form": form,
               "formats": list(bulletin.FORMATS), **_levels(snap)}
    return render(request, "reports/platform_month.html", context)


@login_required
@require_GET
def platform_month(request: HttpRequest, code: str, year: int, month: int) -> HttpResponse:
    """A county sub-centre's month: the tickets its platforms received, its own row and one per platform below."""
    if _platform(request, code)[1].is_root:
        return redirect("reports:month", year=year, month=month)
    return _platform_month_page(request, code, year, month)


def _platform_review_failure(request: HttpRequest, error: DomainError, form: forms.Form | None, code: str,
                             year: int, month: int, action: str) -> HttpResponse:
    if isinstance(form, ReviewForm):
        return _platform_month_page(request, code, year, month, form)
    return screens.plain_failure(request, error, form)


@login_required
@require_POST
@screens.domain_errors(_platform_review_failure)
def platform_month_action(request: HttpRequest, code: str, year: int, month: int, action: str) -> HttpResponse:
    """Close, review or publish a county's own month: its own manager only (`closing` checks it)."""
    user, platform = _platform(request, code)
    if platform.is_root:
        raise Http404("全市月度通报请在月度统计页办理")
    _month(year, month)
    if action == "close":
        closing.close_month(year, month, by=user, platform=platform)
        messages.success(request, f"{platform.name}{year}年{month}月已结账，数据已冻结，请审核")
    elif action == "review":
        form = screens.parse(request, ReviewForm(request.POST))
        closing.review_month(year, month, by=user, platform=platform, note=form.cleaned_data["note"],
                             typical_cases=form.cleaned_data["typical_cases"],
                             typical_tickets=form.cleaned_data["typical_tickets"],
                             difficult_matters=form.cleaned_data["difficult_matters"])
        messages.success(request, f"{platform.name}{year}年{month}月已审核，可以发布")
    elif action == "publish":
        closing.publish_month(year, month, by=user, platform=platform)
        messages.success(request, f"{platform.name}{year}年{month}月通报已发布")
    else:
        raise Http404("未知操作")
    return redirect("reports:platform_month", code=platform.code, year=year, month=month)


@login_required
@require_GET
def platform_bulletin(request: HttpRequest, code: str, year: int, month: int, fmt: str) -> HttpResponse:
    """A county's published bulletin as DOCX, PDF or XLSX, as kept at publication."""
    _, platform = _platform(request, code)
    _month(year, month)
    close = MonthClose.objects.filter(platform=platform, year=year, month=month, state=MonthState.PUBLISHED).first()
    return _bulletin_response(close, fmt)
