"""Revealing a requester's value in full from the ticket page, and the hotline manager's access log (Art. 23)."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from hotline.lib.screens import domain_errors, parse, plain_failure
from hotline.privacy.models import RevealField
from hotline.privacy.reveal import REFUSALS, access_log, export_access_log, reveal, reveal_contact
from hotline.privacy.security import client_ip
from hotline.tickets.access import access_ticket
from hotline.web.forms import RevealForm
from hotline.web.views import is_htmx, staff

ACCESS_LOG_ROWS = 500


@require_POST
@login_required
@never_cache
@domain_errors(plain_failure)
def ticket_reveal(request: HttpRequest, number: str) -> HttpResponse:
    """POST /tickets/<number>/reveal/: the full value with the reason logged, or 403 with the refusal logged."""
    ticket = access_ticket(staff(request), number)
    form = parse(request, RevealForm(request.POST))
    field = form.cleaned_data["field"]
    value = reveal(ticket, field, by=staff(request), reason=form.cleaned_data["reason"], ip=client_ip(request))
    context = {"ticket": ticket, "label": RevealField(field).label, "value": value}
    template = "web/_reveal_result.html" if is_htmx(request) else "web/reveal.html"
    return render(request, template, context)


@require_POST
@login_required
@never_cache
@domain_errors(plain_failure)
def ticket_contact(request: HttpRequest, number: str) -> HttpResponse:
    """POST /tickets/<number>/contact/: the lead unit reveals name and phone in one click to contact the requester
    (Art. 14(2), 15); the purpose is preset and both reveals are logged. Refused and logged on confidential tickets."""
    ticket = access_ticket(staff(request), number)
    values = reveal_contact(ticket, by=staff(request), ip=client_ip(request))
    context = {"ticket": ticket, "contact": values}
    template = "web/_contact_result.html" if is_htmx(request) else "web/reveal.html"
    return render(request, template, context)


@require_GET
@login_required
@domain_errors(plain_failure)
def access_log_page(request: HttpRequest) -> HttpResponse:
    """The latest reveals and refusals, for the hotline manager."""
    rows = [(row, REFUSALS.get(row.refusal, "")) for row in access_log(staff(request))[:ACCESS_LOG_ROWS]]
    context: dict[str, Any] = {"rows": rows, "limit": ACCESS_LOG_ROWS}
    return render(request, "web/access_log.html", context)


@require_GET
@login_required
@domain_errors(plain_failure)
def access_log_csv(request: HttpRequest) -> HttpResponse:
    """The whole access log as CSV (with a BOM so spreadsheet programs read the Chinese); the export is recorded."""
    out = io.StringIO()
    export_access_log(staff(request), out, ip=client_ip(request))
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
