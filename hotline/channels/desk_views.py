"""The operator's call-intake page (来电受理), keyboard-first, with live panels for the caller and the matter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hotline.channels import deputies as deputies_service
from hotline.channels import desk, intake, submissions
from hotline.channels.acceptance import all_scripts
from hotline.channels.deputies import meddling
from hotline.channels.desk_forms import CallForm, DeputyImportForm, FlagForm, LedgerFilterForm
from hotline.channels.models import Deputy, FlagState, NuisanceFlag
from hotline.directory.choices import Role
from hotline.directory.models import Staff, Topic, Unit
from hotline.duty.slots import current_slot
from hotline.intake.repeats import find_repeats
from hotline.lib.errors import DomainError
from hotline.lib.screens import domain_errors, parse, plain_failure
from hotline.tickets import workflow
from hotline.tickets.access import for_desk, visible_tickets
from hotline.tickets.choices import Status
from hotline.tickets.models import Ticket

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _intake_staff(request: HttpRequest) -> None:
    role: str = getattr(request.user, "role", "")
    if role not in workflow.INTAKE_ROLES:
        raise PermissionDenied("只有话务员、派单员和热线管理员可以受理来电")


def _page(request: HttpRequest, form: CallForm, *, error: str = "", status: int = 200) -> HttpResponse:
    done = visible_tickets(request.user).filter(number=request.GET.get("done", "")).first()  # type: ignore[arg-type]
    return render(request, "channels/desk/call.html", {
        "form": form, "error": error, "scripts": all_scripts(), "done": done,
        "status_label": Status(done.status).label if done else "",
        "slot": current_slot(),  # Art. 8: who answers now; the calls are tagged to the slot
    }, status=status)


def _failure(request: HttpRequest, exc: DomainError, form: CallForm | None, *args: Any, **kwargs: Any) -> HttpResponse:
    return _page(request, form or CallForm(request.POST), error=exc.message)


@login_required
@domain_errors(_failure)
def call(request: HttpRequest) -> HttpResponse:
    """GET: an empty call form. POST: register the call and carry out the chosen action in one step."""
    _intake_staff(request)
    if request.method != "POST":
        return _page(request, for_desk(CallForm(initial={"phone": request.GET.get("phone", "")}),
                                       request.user))  # type: ignore[arg-type]
    form = parse(request, for_desk(CallForm(request.POST), request.user))  # type: ignore[arg-type]
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
@require_http_methods(["GET", "POST"])
def assist_panel(request: HttpRequest) -> HttpResponse:
    """Fragment: suggested request type, topic and unit, repeated requests and emergencies, as the content is typed."""
    _intake_staff(request)
    # The call desk posts the form's fields: a long pasted content does not fit in a URL (414), a body does.
    params = request.POST if request.method == "POST" else request.GET
    content = params.get("content", "").strip()
    if len(content) < 4:
        return HttpResponse("")
    region = _by_id(Unit, params.get("region"))
    topic = _by_id(Topic, params.get("topic"))
    address = params.get("address", "")
    request_type, type_reason = desk.suggest_request_type(content)
    return render(request, "channels/desk/_assist.html", {
        "request_type": request_type, "type_reason": type_reason,
        "type_label": dict(CallForm.base_fields["request_type"].choices).get(request_type),  # type: ignore[attr-defined]
        "routing": _routing(content, address, region),
        "repeats": find_repeats(content=content, phone=params.get("phone", ""), address=address, region=region),
        "emergency": desk.emergency_unit(topic), "topic": topic,
        "deputy_meddling": meddling(content) if desk.deputy_for(params.get("phone", "")) else "",
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


def _ledger_filter(request: HttpRequest) -> deputies_service.LedgerFilter:
    form = LedgerFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    deputy = data.get("deputy")
    return deputies_service.LedgerFilter(
        deputy=deputy.pk if deputy else None, level=data.get("level") or "", date_from=data.get("date_from"),
        date_to=data.get("date_to"), status=data.get("status") or "")


@login_required
@require_GET
@domain_errors(plain_failure)
def deputies(request: HttpRequest) -> HttpResponse:
    """The deputies' ledger (Art. 18): 受理, 办理, 反馈, 回访, 督办 of each deputy's request, with filters."""
    _intake_staff(request)
    entries = deputies_service.ledger(_ledger_filter(request))[:500]
    return render(request, "channels/desk/deputies.html", {
        "rows": deputies_service.rows(entries), "filters": LedgerFilterForm(request.GET or None),
        "query": request.GET.urlencode(), "can_import": request.user.role == Role.MANAGER,  # type: ignore[union-attr]
        "registry": Deputy.objects.order_by("level", "delegation", "name"), "today": timezone.localdate(),
    })


@login_required
@require_GET
@domain_errors(plain_failure)
def deputies_xlsx(request: HttpRequest) -> HttpResponse:
    """The ledger, filtered as on screen, as XLSX."""
    _intake_staff(request)
    data = deputies_service.ledger_xlsx(deputies_service.ledger(_ledger_filter(request)))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="deputies-ledger.xlsx"'
    return response


@login_required
@require_GET
@domain_errors(plain_failure)
def deputies_report(request: HttpRequest) -> HttpResponse:
    """The quarterly report per deputy and per level (`?year=2026&quarter=4`, the current quarter by default)."""
    _intake_staff(request)
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year)
    quarter = _int(request.GET.get("quarter"), (today.month - 1) // 3 + 1)
    per_deputy, per_level = deputies_service.quarterly(year, quarter)
    return render(request, "channels/desk/deputies_report.html", {
        "year": year, "quarter": quarter, "per_deputy": per_deputy, "per_level": per_level})


def _int(raw: str | None, default: int) -> int:
    return int(raw) if raw and raw.isdigit() and len(raw) <= 4 else default


@login_required
@domain_errors(lambda request, exc, form, *a, **k: render(
    request, "channels/desk/deputies_import.html", {"form": form or DeputyImportForm(), "error": exc.message}))
def deputies_import(request: HttpRequest) -> HttpResponse:
    """The hotline's manager loads the deputies' registry from XLSX (Art. 18: 人大代表基本信息库)."""
    if request.user.role != Role.MANAGER:  # type: ignore[union-attr]
        raise PermissionDenied("只有热线管理员可以导入人大代表信息")
    result = None
    form = DeputyImportForm()
    if request.method == "POST":
        form = parse(request, DeputyImportForm(request.POST, request.FILES))
        result = deputies_service.import_registry(form.cleaned_data["file"], by=request.user)  # type: ignore[arg-type]
    return render(request, "channels/desk/deputies_import.html", {"form": form, "result": result})
