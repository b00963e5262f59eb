"""Screens of the follow-up side (Art. 17, 25): the follow-up desk and its call screen, the unit's appeal form, the
appeal queue and decision, the ledger with CSV/XLSX export. Thin: parse, load within scope, call one service,
render; DomainErrors map to HTTP in `lib.screens`."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from hotline.directory.choices import FOLLOWUP_ROLES, REVIEW_ROLES, UNIT_ROLES
from hotline.followups import appeal_evidence, export, selectors
from hotline.followups import appeals as appeal_service
from hotline.followups.appeals import Evidence, lead_unit_id
from hotline.followups.forms import AppealForm, AppealReviewForm, FollowUpForm, LedgerFilterForm
from hotline.followups.models import Appeal
from hotline.followups.ratings import SMS_PROMPT
from hotline.lib.errors import DomainError, Forbidden, NotFound
from hotline.lib.privacy import mask_name, mask_phone
from hotline.lib.screens import domain_errors, parse
from hotline.tickets import workflow
from hotline.tickets.access import access_ticket
from hotline.tickets.choices import EvidenceKind, ReviewState, Status
from hotline.tickets.models import Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff


def _staff(request: HttpRequest) -> Staff:
    return request.user  # type: ignore[return-value]


def _require(user: Staff, roles: frozenset[str], what: str) -> None:
    if user.role not in roles:
        raise Forbidden(f"当前角色无权使用{what}", code="role_not_allowed")


# ---------------------------------------------------------------- the follow-up desk


@require_GET
@login_required
@domain_errors(lambda request, error, form, **kw: render(request, "web/error.html", {"error": error}))
def desk(request: HttpRequest) -> HttpResponse:
    """回访工作台: resolved tickets to call, the longest waiting first, with the follow-up clock (Art. 17)."""
    user = _staff(request)
    _require(user, FOLLOWUP_ROLES, "回访工作台")
    now = timezone.now()
    rows = selectors.desk_queue(user, now)
    return render(request, "followups/desk.html", {"rows": rows, "now": now})


def _call_context(ticket: Ticket, form: FollowUpForm | None) -> dict[str, Any]:
    reply = ticket.replies.filter(state=ReviewState.APPROVED).order_by("-submitted_at").first()
    original = ticket.merged_into if ticket.status == Status.MERGED else None
    if original is not None:
        reply = original.replies.filter(state=ReviewState.APPROVED).order_by("-submitted_at").first()
    person = ticket.requester
    due = ticket.status == Status.RESOLVED or workflow.merged_follow_up_due(ticket)
    return {"ticket": ticket, "reply": reply, "original": original, "records": selectors.records(ticket),
            "masked_phone": mask_phone(person.phone) if person else "", "masked_name":
            mask_name(person.name) if person else "", "form": form or FollowUpForm(), "due": due,
            # The stored follow-up deadline; a merged requester is called on the original's.
            "follow_up_due": original.follow_up_due if original is not None else ticket.follow_up_due,
            "sms_prompt": SMS_PROMPT}


def _call_failure(request: HttpRequest, error: DomainError, form: Any, number: str) -> HttpResponse:
    ticket = access_ticket(_staff(request), number)
    return render(request, "followups/call.html", {**_call_context(ticket, form), "error": error})


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors(_call_failure)
def call(request: HttpRequest, number: str) -> HttpResponse:
    """One call from the desk: the unit's reply, earlier records and ratings, the masked contact with a logged
    reveal, and the call's form; the unit's fault sends the ticket back in the same step (Art. 17)."""
    user = _staff(request)
    _require(user, FOLLOWUP_ROLES, "回访工作台")
    ticket = access_ticket(user, number)
    if request.method == "POST":
        form = parse(request, FollowUpForm(request.POST))
        fu = workflow.follow_up(ticket, by=user, **form.cleaned_data)
        ticket.refresh_from_db()
        if ticket.status == Status.IN_PROGRESS and fu.unit_at_fault:
            messages.warning(request, f"工单 {ticket.number} 已发回承办单位重办（5个工作日，第十七条）")
        else:
            messages.success(request, f"已记录工单 {ticket.number} 的回访")
        return redirect("followups:desk")
    return render(request, "followups/call.html", _call_context(ticket, None))


# ---------------------------------------------------------------- the unit's appeal


def _appeal_choices(user: Staff, ticket: Ticket) -> list[tuple[int, str]]:
    now = timezone.now()
    return [(fu.pk, f"{fu.get_channel_display()} {timezone.localtime(fu.at):%Y-%m-%d %H:%M} "
                    f"{fu.get_satisfaction_display()}（申诉截止 {timezone.localtime(fu.appeal_due):%m-%d %H:%M}）")
            for fu in selectors.appealable_ratings(user, now) if fu.ticket_id == ticket.pk and fu.appeal_due]


def _appeal_failure(request: HttpRequest, error: DomainError, form: Any, number: str) -> HttpResponse:
    user = _staff(request)
    ticket = access_ticket(user, number)
    return render(request, "followups/appeal_form.html",
                  {"ticket": ticket, "form": form or AppealForm(follow_ups=_appeal_choices(user, ticket)),
                   "records": selectors.records(ticket)})


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors(_appeal_failure)
def appeal(request: HttpRequest, number: str) -> HttpResponse:
    """申诉: the lead unit's form against a dissatisfied rating, with proof of contact (Art. 25)."""
    user = _staff(request)
    _require(user, UNIT_ROLES, "申诉")
    ticket = access_ticket(user, number)
    if user.unit_id != lead_unit_id(ticket):
        raise Forbidden("只有牵头承办单位可以对回访评价申诉", code="not_lead_unit")
    choices = _appeal_choices(user, ticket)
    if request.method == "POST":
        form = parse(request, AppealForm(request.POST, request.FILES, follow_ups=choices))
        fu = ticket.follow_ups.get(pk=form.cleaned_data["follow_up"])
        evidence = [Evidence(f, EvidenceKind.CONTACT_PROOF) for f in request.FILES.getlist("contact_proof")]
        evidence += [Evidence(f, EvidenceKind.OTHER) for f in request.FILES.getlist("evidence")]
        appeal_service.file_appeal(fu, by=user, ground=form.cleaned_data["ground"],
                                   statement=form.cleaned_data["statement"], evidence=evidence)
        messages.success(request, "申诉已提交，等待热线审核")
        return redirect("followups:appeals")
    return render(request, "followups/appeal_form.html",
                  {"ticket": ticket, "form": AppealForm(follow_ups=choices), "records": selectors.records(ticket)})


# ---------------------------------------------------------------- the queue, the decision, the ledger


@require_GET
@login_required
@domain_errors(lambda request, error, form, **kw: render(request, "web/error.html", {"error": error}))
def appeals(request: HttpRequest) -> HttpResponse:
    """The reviewer's queue of undecided appeals; for a unit, its 申诉 tab: ratings it may still appeal, and its
    appeals with their decisions."""
    user = _staff(request)
    if user.role in UNIT_ROLES:
        context = {"appealable": selectors.appealable_ratings(user, timezone.now()),
                   "mine": selectors.appeals(user)[:100]}
        return render(request, "followups/unit_appeals.html", context)
    _require(user, REVIEW_ROLES, "申诉审核")
    return render(request, "followups/appeal_queue.html", {"pending": selectors.pending_appeals(user)})


def _load_appeal(user: Staff, appeal_id: int) -> Appeal:
    found = Appeal.objects.select_related("ticket", "follow_up", "unit", "filed_by", "reviewer").filter(
        pk=appeal_id).first()
    if found is None:
        raise NotFound("申诉不存在或无权查看", code="appeal_not_found")
    access_ticket(user, found.ticket.number)  # invisible ticket: 404, the same answer as an unknown appeal
    return found


def _detail_failure(request: HttpRequest, error: DomainError, form: Any, appeal_id: int) -> HttpResponse:
    user = _staff(request)
    found = _load_appeal(user, appeal_id)
    return render(request, "followups/appeal_detail.html",
                  {"appeal": found, "form": form or AppealReviewForm(), "error": error,
                   "related": appeal_evidence.for_appeal(found),
                   "may_review": user.role in REVIEW_ROLES and found.state == "pending"})


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors(_detail_failure)
def appeal_detail(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """One appeal with the rating, statement and evidence; reviewers decide here (Art. 25)."""
    user = _staff(request)
    found = _load_appeal(user, appeal_id)
    if request.method == "POST":
        _require(user, REVIEW_ROLES, "申诉审核")
        form = parse(request, AppealReviewForm(request.POST))
        appeal_service.review_appeal(found, by=user, approve=form.approve, note=form.cleaned_data["note"])
        messages.success(request, "已审核申诉")
        return redirect("followups:appeals")
    return render(request, "followups/appeal_detail.html",
                  {"appeal": found, "form": AppealReviewForm(), "related": appeal_evidence.for_appeal(found),
                   "may_review": user.role in REVIEW_ROLES and found.state == "pending"})


@require_GET
@login_required
@domain_errors(lambda request, error, form, **kw: render(request, "web/error.html", {"error": error}))
def evidence(request: HttpRequest, appeal_id: int, evidence_id: int) -> Any:
    """One evidence file of an appeal the user may see."""
    found = _load_appeal(_staff(request), appeal_id)
    item = found.evidence.filter(pk=evidence_id).first()
    if item is None:
        raise NotFound("证据文件不存在", code="evidence_not_found")
    return FileResponse(item.file.open("rb"), content_type=item.content_type, as_attachment=False,
                        filename=item.original_name)


def _ledger_rows(request: HttpRequest) -> tuple[LedgerFilterForm, Any]:
    form = LedgerFilterForm(request.GET or None)
    f = form.appeal_filter() if form.is_bound and form.is_valid() else selectors.AppealFilter()
    qs = selectors.appeals(_staff(request), f)
    if form.is_bound and not form.is_valid():
        qs = qs.none()
    return form, qs


@require_GET
@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """申诉台账: every appeal the user may see, with filters, raw and assessed satisfaction, and exports."""
    form, qs = _ledger_rows(request)
    query = request.GET.urlencode()
    return render(request, "followups/ledger.html", {"form": form, "rows": qs[:500], "total": qs.count(),
                                                      "query": query})


@require_GET
@login_required
def ledger_csv(request: HttpRequest) -> HttpResponse:
    """The ledger as CSV, with a BOM so spreadsheet programs read the Chinese."""
    _form, qs = _ledger_rows(request)
    out = io.StringIO()
    writer = csv.writer(out)
    for row in export.rows(qs):
        writer.writerow(row)
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="appeals-{timezone.localtime():%Y%m%d-%H%M}.csv"'
    return response


@require_GET
@login_required
def ledger_xlsx(request: HttpRequest) -> HttpResponse:
    """The ledger as an XLSX workbook."""
    _form, qs = _ledger_rows(request)
    response = HttpResponse(export.xlsx(qs),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="appeals-{timezone.localtime():%Y%m%d-%H%M}.xlsx"'
    return response
