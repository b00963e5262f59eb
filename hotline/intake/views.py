"""Screens of the routing desk: dispatch suggestions (HTMX fragment), similar tickets, hotspots with a chart.

Hotline staff only: a unit's clerk never sees where else a ticket could have gone, nor other units' hotspots.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hotline.directory.models import Staff, Unit
from hotline.intake.hotspots import WINDOW_DAYS, for_scope
from hotline.intake.regions import extract_region
from hotline.intake.similar import similar_tickets
from hotline.intake.suggest import suggest_for_ticket
from hotline.lib import screens
from hotline.lib.errors import NotFound
from hotline.tickets.access import access_ticket, visible_tickets
from hotline.tickets.choices import Status
from hotline.tickets.selectors import Scope

SIMILAR_DAYS = 90  # repeated requests are looked for among the last three months' tickets
MAX_WINDOW_DAYS = 90


def _hotline_staff(request: HttpRequest) -> Staff:
    user = request.user
    if not isinstance(user, Staff) or not user.is_hotline:
        raise PermissionDenied("仅热线工作人员可以使用")
    return user


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
@require_GET
def suggest(request: HttpRequest, number: str) -> HttpResponse:
    """Dispatch suggestions for one ticket; the dispatch panel loads the fragment, a direct visit gets a page."""
    try:
        ticket = access_ticket(request.user, number)  # type: ignore[arg-type]
    except NotFound as exc:
        raise screens.not_found(request, exc) from exc
    _hotline_staff(request)
    suggestions = suggest_for_ticket(ticket)
    scope = Scope.of(request.user)  # type: ignore[arg-type]
    if scope.sub_centre:
        # A county sub-centre dispatches only to its platform's units (Art. 30); the workflow would refuse others.
        allowed = set(scope.units().values_list("pk", flat=True))
        suggestions.items = [s for s in suggestions.items if s.lead_unit.pk in allowed]
        for item in suggestions.items:
            item.assisting_units = tuple(u for u in item.assisting_units if u.pk in allowed)
    context: dict[str, Any] = {"ticket": ticket, "suggestions": suggestions,
                               "can_dispatch": ticket.status in (Status.PENDING_DISPATCH, Status.CONSULTING)}
    template = "intake/_suggest.html" if _is_htmx(request) else "intake/suggest.html"
    return render(request, template, context)


@login_required
@require_GET
def similar(request: HttpRequest) -> HttpResponse:
    """Tickets like the text being taken (?q=, ?address=), in the same county, for merging repeats (第十条第四项)."""
    _hotline_staff(request)
    text = (request.GET.get("q") or "").strip()[:2000]
    address = (request.GET.get("address") or "").strip()[:300]
    exclude = request.GET.get("exclude") or ""
    items = []
    region: Unit | None = None
    if len(text) >= 4:
        match = extract_region(address, text)
        region = match.unit() if match else None
        since = timezone.now() - dt.timedelta(days=SIMILAR_DAYS)
        found = [s for s in similar_tickets(f"{address} {text}", region=region, since=since, limit=6)
                 if s.ticket.number != exclude]
        # A county sub-centre's desk sees only its platform's tickets among them (Art. 30).
        visible = set(visible_tickets(request.user).filter(  # type: ignore[arg-type]
            pk__in=[s.ticket.pk for s in found]).values_list("pk", flat=True))
        items = [s for s in found if s.ticket.pk in visible][:5]
    return render(request, "intake/_similar.html", {"items": items, "region": region, "query": text})


def _window(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("days") or WINDOW_DAYS)
    except ValueError:
        days = WINDOW_DAYS
    return max(1, min(days, MAX_WINDOW_DAYS))


@login_required
@require_GET
def hotspots(request: HttpRequest) -> HttpResponse:
    """Hotspots of the chosen window with a chart of their daily tickets (第二十四条第二项)."""
    _hotline_staff(request)
    days = _window(request)
    region_id = request.GET.get("region") or ""
    scope = Scope.of(request.user)  # type: ignore[arg-type]
    page, counties, shown_region = for_scope(scope, timezone.now(), days=days,
                                             region_id=int(region_id) if region_id.isdigit() else None)
    top = page.shown[:8]
    chart = {
        "labels": [d.strftime("%m-%d") for d, _ in top[0].days] if top else [],
        "datasets": [{"label": f"{h.place} · {h.matter}", "data": [n for _, n in h.days]} for h in top],
    }
    context = {"hotspots": page.shown, "hotspot_total": page.total, "days": days, "computed_at": page.computed_at,
               "chart_json": json.dumps(chart, ensure_ascii=False),
               "counties": counties,
               "region_id": str(shown_region or ""), "whole_city": not scope.sub_centre}
    template = "intake/_hotspots.html" if _is_htmx(request) else "intake/hotspots.html"
    return render(request, template, context)
