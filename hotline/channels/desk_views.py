"""The operator's call-intake page (来电受理), keyboard-first, with live panels for the caller and the matter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from hotline.channels import desk, intake, submissions
from hotline.channels.acceptance import all_scripts
from hotline.channels.desk_forms import CallForm, FlagForm
from hotline.channels.models import Deputy, FlagState, NuisanceFlag
from hotline.directory.choices import Role
from hotline.directory.models import Staff, Topic, Unit
from hotline.intake.repeats import find_repeats
from hotline.lib.errors import DomainError
from hotline.lib.screens import domain_errors, parse
from hotline.tickets import workflow
from hotline.tickets.access import visible_tickets
from hotline.tickets.choices import Status
from hotline.tickets.models import Ticket


def _intake_staff(request: HttpRequest) -> None:
    role: str = getattr(request.user, "role", "")
    if role not in workflow.INTAKE_ROLES:
        raise PermissionDenied("只有话务员、派单员和热线管理员可以受理来电")


def _page(request: HttpRequest, form: CallForm, *, error: str = "", status: int = 200) -> HttpResponse:
    done = visible_tickets(request.user).filter(number=request.GET.get("done", "")).first()  # type: ignore[arg-type]
    return render(request, "channels/desk/call.html", {
        "form": form, "error": error, "scripts": all_scripts(), "done": done,
        "status_label": Status(done.status).label if done else "",
    }, status=status)


def _failure(request: HttpRequest, exc: DomainError, form: CallForm | None, *args: Any, **kwargs: Any) -> HttpResponse:
    return _page(request, form or CallForm(request.POST), error=exc.message)


@login_required
@domain_errors(_failure)
def call(request: HttpRequest) -> HttpResponse:
    """GET: an empty call form. POST: register the call and carry out the chosen action in one step."""
    _intake_staff(request)
    if request.method != "POST":
        return _page(request, CallForm(initial={"phone": request.GET.get("phone", "")}))
    form = parse(request, CallForm(request.POST))
    user: Staff = request.user  # type: ignore[assignment]
    ticket, created = submissions.once(form.cleaned_data["submission_key"], by=user,
                                       create=lambda: intake.take_call(by=user, data=form.cleaned_data))
    if not created:
        messages.info(request, f"这张登记单已提交过，未重复受理：工单 {ticket.number}")
    return redirect(f"{request.path}?done={ticket.number}")


@login_required
@require_GET
def caller_panel(request: HttpRequest) -> HttpResponse:
    """Fragment: the caller's earlier tickets, nuisance flags and deputy status, as the number is typed."""
    _intake_staff(request)
    phone = request.GET.get("phone", "").strip()
    context = {"phone": phone, "history": desk.caller_history(phone) if len(phone) >= 7 else [],
               "flags": desk.nuisance_flags(phone) if len(phone) >= 7 else [],
               "deputy": desk.deputy_for(phone) if len(phone) >= 7 else None}
    return render(request, "channels/desk/_caller.html", context)


@login_required
@require_GET
def assist_panel(request: HttpRequest) -> HttpResponse:
    """Fragment: suggested request type, topic and unit, repeated requests and emergencies, as the content is typed."""
    _intake_staff(request)
    content = request.GET.get("content", "").strip()
    if len(content) < 4:
        return HttpResponse("")
    region = _by_id(Unit, request.GET.get("region"))
    topic = _by_id(Topic, request.GET.get("topic"))
    address = request.GET.get("address", "")
    request_type, type_reason = desk.suggest_request_type(content)
    return render(request, "channels/desk/_assist.html", {
        "request_type": request_type, "type_reason": type_reason,
        "type_label": dict(CallForm.base_fields["request_type"].choices).get(request_type),  # type: ignore[attr-defined]
        "routing": _routing(content, address, region),
        "repeats": find_repeats(content=content, phone=request.GET.get("phone", ""), address=address, region=region),
        "emergency": desk.emergency_unit(topic), "topic": topic,
    })


def _by_id(model: Any, raw: str | None) -> Any:
    return model.objects.filter(pk=int(raw)).first() if raw and raw.isdigit() else None


def _routing(content: str, address: str, region: Unit | None) -> Any:
    from hotline.intake.suggest import suggest_for_ticket

    return suggest_for_ticket(Ticket(content=content, address=address, region=region))


@login_required
@domain_errors(lambda request, exc, form, *a, **k: _flags_page(request, form, error=exc.message))
def flags(request: HttpRequest) -> HttpResponse:
    """Nuisance-caller flags (Art. 29): operators raise them with evidence, the hotline manager reviews them."""
    _intake_staff(request)
    if request.method == "POST":
        form = parse(request, FlagForm(request.POST))
        desk.raise_flag(by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, "已提交骚扰来电标记，待热线管理员审核")
        return redirect("channels:desk-flags")
    return _flags_page(request, FlagForm())


def _flags_page(request: HttpRequest, form: FlagForm | None, *, error: str = "") -> HttpResponse:
    return render(request, "channels/desk/flags.html", {
        "form": form or FlagForm(request.POST), "error": error,
        "flags": NuisanceFlag.objects.select_related("raised_by", "reviewed_by").order_by("-raised_at")[:200],
        "can_review": request.user.role == Role.MANAGER,  # type: ignore[union-attr]
        "pending": FlagState.PENDING,
    })


@login_required
@require_POST
def review_flag(request: HttpRequest, pk: int) -> HttpResponse:
    """The hotline manager confirms or dismisses a flag."""
    flag = get_object_or_404(NuisanceFlag, pk=pk)
    try:
        desk.review_flag(flag, by=request.user, confirm=request.POST.get("confirm") == "1",  # type: ignore[arg-type]
                         note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return _flags_page(request, None, error=exc.message) if exc.status != 403 else HttpResponse(
            exc.message, status=403)
    return redirect("channels:desk-flags")


@login_required
@require_GET
def deputies(request: HttpRequest) -> HttpResponse:
    """The deputies' ledger (Art. 18): each deputy's tickets with their status."""
    _intake_staff(request)
    rows = Deputy.objects.prefetch_related("ledger__ticket__lead_unit").order_by("delegation", "name")
    return render(request, "channels/desk/deputies.html", {"deputies": rows})
