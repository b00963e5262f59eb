"""The supervisor's desk and the units' 督办件 (Art. 24): 督办中心, 催办工作台, the case page with its timeline and
clocks, the unit's tab with countdown and reply form, the printable papers. Thin (STYLE 8): parse, load within the
reader's scope, call one function of `cases`, redirect or render; DomainErrors map in `lib.screens`."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hotline.directory.choices import SUPERVISION_ROLES
from hotline.directory.models import Staff
from hotline.lib.errors import DomainError, InvalidInput, NotFound
from hotline.lib.screens import domain_errors, parse, plain_failure
from hotline.supervision import actions, cases, documents, selectors, triggers
from hotline.supervision.choices import COLOUR_BADGES, TRIGGER_ARTICLES, CaseStatus, Colour
from hotline.supervision.forms import CaseFilterForm, DismissForm, OpenCaseForm, ProposalOpenForm
from hotline.supervision.models import SupervisionCase
from hotline.tickets.access import access_ticket

LIST_ROWS = 100


def staff(request: HttpRequest) -> Staff:
    return cast(Staff, request.user)


def _hotline_only(request: HttpRequest) -> Staff:
    user = staff(request)
    if not user.is_city_hotline:  # supervision and coordination are the city platform's (Art. 19, 24, 30)
        raise PermissionDenied
    return user


def _case(request: HttpRequest, case_id: int) -> SupervisionCase:
    case = selectors.visible_cases(staff(request)).filter(pk=case_id).first()
    if case is None:
        raise NotFound("督办件不存在或无权查看", code="case_not_found")
    return case


def _rows(qs: Any, now: Any) -> list[dict[str, Any]]:
    rows = []
    for case in qs.prefetch_related("units", "tickets")[:LIST_ROWS]:
        colour = selectors.case_colour(case, now)
        rows.append({"case": case, "colour": colour, "colour_label": Colour(colour).label,
                     "badge": COLOUR_BADGES[colour]})
    return rows


@login_required
def center(request: HttpRequest) -> HttpResponse:
    """督办中心: every case with filters by trigger, method, colour, unit and due, the counts, and the proposals of
    the automatic triggers waiting for a decision."""
    user = _hotline_only(request)
    now = timezone.now()
    form = CaseFilterForm(request.GET or None)
    qs = selectors.visible_cases(user)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        qs = selectors.filtered(qs, selectors.CaseFilter(
            status=d["status"], trigger=d["trigger"], method=d["method"], colour=d["colour"], unit=d["unit"],
            due_before=d["due_before"]), now)
    return render(request, "supervision/center.html", {
        "form": form, "rows": _rows(qs.order_by("due_at", "id"), now),
        "counts": selectors.counts(selectors.visible_cases(user), now), "statuses": CaseStatus.choices,
        "proposals": triggers.proposals(), "can_supervise": user.role in SUPERVISION_ROLES,
        "open_form": ProposalOpenForm(), "dismiss_form": DismissForm(),
    })


@login_required
def urge_desk(request: HttpRequest) -> HttpResponse:
    """催办工作台: open cases due within one working day or already past it, each with its urge log and form."""
    user = _hotline_only(request)
    now = timezone.now()
    qs = selectors.urge_desk(selectors.visible_cases(user), now)
    return render(request, "supervision/urge_desk.html", {
        "rows": _rows(qs, now), "form": actions.ACTIONS["urge"].form(),
        "can_supervise": user.role in SUPERVISION_ROLES})


@login_required
def unit_cases(request: HttpRequest) -> HttpResponse:
    """The unit's 督办件 tab: the cases naming its unit, with countdown; the reply form is on each case page."""
    user = staff(request)
    if user.is_hotline:
        raise PermissionDenied
    now = timezone.now()
    qs = selectors.visible_cases(user).order_by("status", "due_at")
    return render(request, "supervision/unit_cases.html", {"rows": _rows(qs, now), "now": now})


def _open_failure(request: HttpRequest, error: DomainError, form: forms.Form | None) -> HttpResponse:
    return render(request, "supervision/open.html", {"form": form or OpenCaseForm(), "error": error})


@login_required
@domain_errors(_open_failure)
def open_case(request: HttpRequest) -> HttpResponse:
    """Open a case by hand, for any of the eight matters of Art. 24, with the evidence it needs."""
    user = staff(request)
    if user.role not in SUPERVISION_ROLES:
        raise PermissionDenied
    if request.method != "POST":
        initial = {"tickets": request.GET.get("ticket", "")}
        return render(request, "supervision/open.html", {"form": OpenCaseForm(initial=initial)})
    form = parse(request, OpenCaseForm(request.POST))
    tickets = []
    for number in form.numbers():
        try:
            tickets.append(access_ticket(user, number))
        except NotFound as exc:
            raise InvalidInput(f"工单“{number}”不存在", field="tickets", code="unknown_ticket") from exc
    d = form.cleaned_data
    case = cases.open_case(by=user, trigger=d["trigger"], method=d["method"], tickets=tickets,
                           units=list(d["units"]) or None, title=d["title"], evidence=form.evidence())
    messages.success(request, f"已启动督办：{case.number}")
    return redirect("supervision:case", case_id=case.pk)


def case_context(request: HttpRequest, case: SupervisionCase, *, failed_verb: str = "",
                 failed_form: forms.Form | None = None, error: DomainError | None = None) -> dict[str, Any]:
    user = staff(request)
    now = timezone.now()
    colour = selectors.case_colour(case, now)
    panels = []
    for action in actions.available(user, case):
        failed = action.verb == failed_verb and failed_form is not None
        panels.append({"action": action, "form": failed_form if failed else action.form(), "open": failed})
    return {
        "case": case, "now": now, "colour": colour, "colour_label": Colour(colour).label,
        "badge": COLOUR_BADGES[colour], "article": TRIGGER_ARTICLES[case.trigger],
        "tickets": case.tickets.select_related("lead_unit").order_by("number"), "units": case.units.all(),
        "events": case.events.select_related("actor", "actor_unit").order_by("seq"),
        "urges": case.urges.select_related("by", "unit").order_by("at"),
        "replies": case.replies.select_related("unit", "by").order_by("at"),
        "extensions": case.extensions.select_related("unit").order_by("requested_at"),
        "panels": panels, "error": error, "is_hotline": user.is_hotline,
    }


@login_required
@domain_errors(plain_failure)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case page: matter, trigger and evidence, tickets, units, clocks with colour, timeline, actions."""
    return render(request, "supervision/case.html", case_context(request, _case(request, case_id)))


def _action_failure(request: HttpRequest, error: DomainError, form: forms.Form | None, case_id: int,
                    verb: str) -> HttpResponse:
    context = case_context(request, _case(request, case_id), failed_verb=verb, failed_form=form, error=error)
    return render(request, "supervision/case.html", context)


@require_POST
@login_required
@domain_errors(_action_failure)
def case_action(request: HttpRequest, case_id: int, verb: str) -> HttpResponse:
    """POST /supervision/cases/<id>/<verb>/: parse the form, load the case, make the one call."""
    action = actions.ACTIONS.get(verb)
    if action is None:
        raise Http404("没有这个操作")
    case = _case(request, case_id)
    form = parse(request, action.form(request.POST))
    action.perform(case, staff(request), form.cleaned_data)
    messages.success(request, f"{action.label}：已完成")
    return redirect("supervision:case", case_id=case.pk)


@login_required
@domain_errors(plain_failure)
def case_document(request: HttpRequest, case_id: int, kind: str, fmt: str) -> HttpResponse:
    """The 督办单/督办函 or the escalation dossier as DOCX or PDF."""
    case = _case(request, case_id)
    if kind not in documents.KINDS or fmt not in documents.FORMATS:
        raise Http404("没有这种文书")
    if kind == "dossier" and not staff(request).is_hotline:
        raise PermissionDenied
    body = documents.render(case, kind, fmt)
    response = HttpResponse(body, content_type=documents.FORMATS[fmt])
    name = f"{case.number}-{'督办函' if kind == 'letter' else '呈报材料'}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@require_POST
@login_required
@domain_errors(plain_failure)
def proposal(request: HttpRequest, proposal_id: int, decision: str) -> HttpResponse:
    """Open or dismiss what an automatic trigger proposed."""
    user = staff(request)
    if user.role not in SUPERVISION_ROLES:
        raise PermissionDenied
    if decision == "open":
        form = parse(request, ProposalOpenForm(request.POST))
        case = triggers.open_proposal(proposal_id, by=user, method=form.cleaned_data["method"],
                                      units=list(form.cleaned_data["units"]) or None)
        messages.success(request, f"已启动督办：{case.number}")
        return redirect("supervision:case", case_id=case.pk)
    if decision != "dismiss":
        raise Http404("没有这个操作")
    dismiss = parse(request, DismissForm(request.POST))
    triggers.dismiss_proposal(proposal_id, by=user, note=dismiss.cleaned_data["note"])
    messages.success(request, "已记录不予督办")
    return redirect("supervision:center")
