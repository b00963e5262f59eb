"""The 疑难工单池 and the coordination record (Art. 19): flag, meeting, decision, or escalation to a city leader."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hotline.directory.choices import SUPERVISION_ROLES
from hotline.lib.errors import DomainError, InvalidInput, NotFound
from hotline.lib.screens import domain_errors, parse
from hotline.supervision import coordination
from hotline.supervision.choices import CoordinationStatus
from hotline.supervision.forms import DecideForm, FlagForm, MeetingForm, UndeterminedForm
from hotline.supervision.models import Coordination
from hotline.supervision.views import _hotline_only, staff
from hotline.tickets.access import access_ticket

FORMS: dict[str, tuple[str, type[forms.Form]]] = {
    "meeting": ("记录协调会议", MeetingForm), "decide": ("确定承办单位并改派", DecideForm),
    "undetermined": ("协调未果，提请市政府领导督办", UndeterminedForm),
}


def _pool_context(request: HttpRequest, form: forms.Form | None = None,
                  error: DomainError | None = None) -> dict[str, Any]:
    user = _hotline_only(request)
    return {"items": Coordination.objects.select_related("ticket", "lead_unit", "case").order_by("status",
                                                                                                 "-flagged_at"),
            "form": form or FlagForm(), "error": error, "can_supervise": user.role in SUPERVISION_ROLES,
            "tab": "difficult"}


def _pool_failure(request: HttpRequest, error: DomainError, form: forms.Form | None) -> HttpResponse:
    return render(request, "supervision/pool.html", _pool_context(request, form, error))


@login_required
@domain_errors(_pool_failure)
def pool(request: HttpRequest) -> HttpResponse:
    """疑难工单池: flagged automatically (returns, re-dispatches, reworks) or by hand; POST flags a ticket."""
    user = _hotline_only(request)
    if request.method == "POST":
        if user.role not in SUPERVISION_ROLES:
            raise PermissionDenied
        form = parse(request, FlagForm(request.POST))
        try:
            ticket = access_ticket(user, form.cleaned_data["ticket"])
        except NotFound as exc:
            raise InvalidInput("工单不存在", field="ticket", code="unknown_ticket") from exc
        coord = coordination.flag(ticket, by=user, reason=form.cleaned_data["reason"])
        messages.success(request, f"已列入疑难工单池：{ticket.number}")
        return redirect("supervision:coordination", coord_id=coord.pk)
    return render(request, "supervision/pool.html", _pool_context(request))


def _record(request: HttpRequest, coord_id: int) -> Coordination:
    _hotline_only(request)
    coord = Coordination.objects.select_related("ticket", "lead_unit", "case").filter(pk=coord_id).first()
    if coord is None:
        raise NotFound("疑难事项不存在", code="coordination_not_found")
    return coord


def _record_context(request: HttpRequest, coord: Coordination, verb: str = "", form: forms.Form | None = None,
                    error: DomainError | None = None) -> dict[str, Any]:
    can = staff(request).role in SUPERVISION_ROLES and coord.status == CoordinationStatus.POOL
    panels = [{"verb": v, "label": label, "form": form if v == verb and form is not None else cls()}
              for v, (label, cls) in FORMS.items()] if can else []
    return {"coord": coord, "panels": panels, "error": error, "tab": "difficult",
            "events": coord.events.select_related("actor").order_by("seq"), "shirks": coord.shirks.all(),
            "can_supervise": staff(request).role in SUPERVISION_ROLES}


@login_required
@domain_errors(lambda request, error, form, coord_id: render(request, "web/error.html", {"error": error}))
def record(request: HttpRequest, coord_id: int) -> HttpResponse:
    """The coordination record: the ticket, the meeting, the decision, 推诿 found, the log."""
    return render(request, "supervision/coordination.html", _record_context(request, _record(request, coord_id)))


def _action_failure(request: HttpRequest, error: DomainError, form: forms.Form | None, coord_id: int,
                    verb: str) -> HttpResponse:
    return render(request, "supervision/coordination.html",
                  _record_context(request, _record(request, coord_id), verb, form, error))


@require_POST
@login_required
@domain_errors(_action_failure)
def action(request: HttpRequest, coord_id: int, verb: str) -> HttpResponse:
    """POST a meeting, a decision or the escalation to a city leader."""
    if verb not in FORMS:
        raise Http404("没有这个操作")
    coord = _record(request, coord_id)
    user = staff(request)
    form = parse(request, FORMS[verb][1](request.POST))
    d = form.cleaned_data
    if verb == "meeting":
        coordination.record_meeting(coord, by=user, meeting_at=d["meeting_at"], units_present=list(d["units_present"]),
                                    minutes=d["minutes"])
    elif verb == "decide":
        coordination.decide(coord, by=user, lead_unit=d["lead_unit"], assisting_units=list(d["assisting_units"]),
                            basis=d["basis"], update_catalogue=d["update_catalogue"])
    else:
        coordination.undetermined(coord, by=user, leader=d["leader"], note=d["note"])
    messages.success(request, f"{FORMS[verb][0]}：已完成")
    return redirect("supervision:coordination", coord_id=coord.pk)
