"""The duty screens (Art. 8, 20, 27): the calendar of leader days and rotations, a slot's notice and board, units'
rosters with upload and template, and the "on duty now" panel of the call desk and the dispatch form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from hotline.directory.choices import Role
from hotline.directory.models import DutyRoster, DutyRosterRefusal, DutySlot, Staff, Unit
from hotline.duty import now as duty_now
from hotline.duty import roster_sheet, rosters, slots
from hotline.duty.forms import RosterUploadForm, SlotForm
from hotline.lib.errors import DomainError
from hotline.lib.privacy import mask_phone
from hotline.lib.screens import domain_errors, parse
from hotline.privacy.security import client_ip

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> Staff:
    return request.user  # type: ignore[return-value]


def _hotline(request: HttpRequest) -> Staff:
    user = _user(request)
    if not user.is_hotline:
        raise PermissionDenied("只有热线工作人员可以查看")
    return user


# ---------------------------------------------------------------- leader days and rotation (Art. 8)


def _calendar_page(request: HttpRequest, form: SlotForm | None, error: str = "") -> HttpResponse:
    return render(request, "duty/calendar.html", {
        "slots": slots.calendar(), "form": form or SlotForm(), "error": error,
        "can_plan": _user(request).role == Role.MANAGER, "current": slots.current_slot(),
    })


@login_required
@domain_errors(lambda request, exc, form, *a, **k: _calendar_page(request, form, exc.message))
def calendar(request: HttpRequest) -> HttpResponse:
    """The calendar of leader answering days and unit heads' rotation; the manager adds slots."""
    user = _hotline(request)
    if request.method != "POST":
        return _calendar_page(request, None)
    form = parse(request, SlotForm(request.POST))
    data = form.cleaned_data
    slot = slots.create_slot(slots.SlotInput(
        kind=data["kind"], starts_at=data["starts_at"], ends_at=data["ends_at"], person=data["person"],
        office=data["office"], scope=data["scope"], unit=data["unit"]), by=user)
    return redirect("duty:slot", pk=slot.pk)


@login_required
@require_GET
def slot(request: HttpRequest, pk: int) -> HttpResponse:
    """A slot: its notice and its board of tickets with their progress (the follow-up report on that day)."""
    _hotline(request)
    found = get_object_or_404(DutySlot.objects.select_related("unit"), pk=pk)
    tickets = list(slots.board(found))
    return render(request, "duty/slot.html", {"slot": found, "tickets": tickets,
                                              "summary": slots.board_summary(tickets)})


@login_required
@require_GET
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The slot's public notice as a printable page."""
    _hotline(request)
    found = get_object_or_404(DutySlot, pk=pk)
    return render(request, "duty/notice.html", {"slot": found, "paragraphs": found.notice.split("\n\n")})


# ---------------------------------------------------------------- 24-hour rosters (Art. 20, 27)


def _rosters_page(request: HttpRequest, form: RosterUploadForm | None, error: str = "") -> HttpResponse:
    user = _user(request)
    qs = DutyRoster.objects.select_related("unit").order_by("-month", "unit__code")
    own = Unit.objects.filter(pk=user.unit_id or 0)
    if not user.is_hotline:
        qs = qs.filter(unit__in=own)
    form = form or RosterUploadForm(initial={"month": _next_month()})
    if not user.is_hotline:
        form.fields["unit"].queryset = own.filter(responds_24h=True)  # type: ignore[attr-defined]
    return render(request, "duty/rosters.html", {
        "rosters": qs[:200], "form": form, "error": error, "next_month": _next_month(),
        "missing": _missing(user), "can_upload": user.role == Role.MANAGER or not user.is_hotline,
        "due_day": settings.HOTLINE_ROSTER_DUE_DAY, "refusals": _refusals(user),
    })


def _refusals(user: Staff) -> list[DutyRosterRefusal]:
    """Recent rosters refused for a gap (Art. 27), the unit's own for unit staff."""
    qs = DutyRosterRefusal.objects.select_related("unit").order_by("-at")
    return list((qs if user.is_hotline else qs.filter(unit_id=user.unit_id or 0))[:20])


def _next_month() -> str:
    today = timezone.localdate()
    nxt = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return f"{nxt:%Y-%m}"


def _missing(user: Staff) -> list[Unit]:
    """24-hour units with no roster for next month yet (Art. 27: 未按要求及时提供24小时值班表)."""
    month = rosters.parse_month(_next_month())
    units = Unit.objects.filter(responds_24h=True, is_active=True).exclude(rosters__month=month)
    return list(units if user.is_hotline else units.filter(pk=user.unit_id or 0))


@login_required
@domain_errors(lambda request, exc, form, *a, **k: _rosters_page(request, form, exc.message))
def roster_list(request: HttpRequest) -> HttpResponse:
    """Rosters by month, late ones marked; a unit uploads its XLSX (refused with the gap named)."""
    if request.method != "POST":
        return _rosters_page(request, None)
    form = parse(request, RosterUploadForm(request.POST, request.FILES))
    data = form.cleaned_data
    roster = rosters.submit(by=_user(request), unit=data["unit"], month=rosters.parse_month(data["month"]),
                            shifts=roster_sheet.shifts_from_xlsx(data["file"]))
    return redirect("duty:roster", pk=roster.pk)


@login_required
@require_GET
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    """One roster's shifts; duty phones masked (full ones through "on duty now")."""
    user = _user(request)
    found = get_object_or_404(DutyRoster.objects.select_related("unit"), pk=pk)
    if not user.is_hotline and found.unit_id != user.unit_id:
        raise Http404("值班表不存在")
    rows = [{"entry": e, "phone": mask_phone(e.phone)} for e in found.entries.all()]
    return render(request, "duty/roster.html", {"roster": found, "rows": rows})


@login_required
@require_GET
def roster_template(request: HttpRequest) -> HttpResponse:
    """The XLSX template for a month (`?month=YYYY-MM`, next month by default): day and night shifts to fill in."""
    try:
        month = rosters.parse_month(request.GET.get("month") or _next_month())
    except DomainError as exc:
        return render(request, "web/error.html", {"error": exc}, status=400)
    response = HttpResponse(roster_sheet.template(month), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="roster-{month:%Y-%m}.xlsx"'
    return response


# ---------------------------------------------------------------- on duty now (Art. 20)


def _unit(raw: str) -> Unit | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    qs = Unit.objects.filter(pk=int(raw)) if raw.isdigit() else Unit.objects.filter(code=raw)
    return qs.first()


@login_required
@require_GET
def now_panel(request: HttpRequest) -> HttpResponse:
    """Fragment: who is on duty now at the chosen unit, phones masked; a button reveals them (logged)."""
    _hotline(request)
    unit = _unit(request.GET.get("unit") or request.GET.get("lead_unit") or "")
    return render(request, "duty/_now.html", _now_context(request, unit, reveal=False))


@login_required
@require_POST
def now_reveal(request: HttpRequest) -> HttpResponse:
    """Fragment: the same, with the phones in full for the roles that may call the person (one access-log row)."""
    _hotline(request)
    unit = _unit(request.POST.get("unit", ""))
    return render(request, "duty/_now.html", _now_context(request, unit, reveal=True))


def _now_context(request: HttpRequest, unit: Unit | None, *, reveal: bool) -> dict[str, Any]:
    if unit is None or not unit.responds_24h:
        return {"unit": unit, "people": None}
    people = duty_now.who(unit, by=_user(request), ip=client_ip(request), reveal=reveal)
    return {"unit": unit, "people": people, "may_reveal": duty_now.may_reveal(_user(request), unit),
            "revealed": reveal}
