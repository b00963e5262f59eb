"""The server-rendered screens: home by role, hotline desk, unit inbox, ticket list and the ticket page.

Views are thin (STYLE 8): parse a form, load through `access`, call `tickets.workflow`, redirect or render.
A request with the `HX-Request` header gets the page's fragment (`_name.html`) instead of the whole page.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST

from hotline.channels import intake, submissions
from hotline.directory.choices import Role
from hotline.directory.models import Staff
from hotline.lib.errors import DomainError
from hotline.lib.screens import domain_errors, parse, plain_failure
from hotline.tickets import selectors, workflow
from hotline.tickets.access import access_ticket, for_desk, visible_tickets
from hotline.tickets.models import Ticket
from hotline.tickets.workflow import Contact
from hotline.web import actions, queues
from hotline.web.forms import NewTicketForm, TicketFilterForm
from hotline.web.ticket_page import ticket_context

PAGE_SIZE = 25
class CappedPaginator(Paginator):
    """A paginator that counts at most `selectors.LIST_COUNT_CAP` rows (`count_up_to`): counting a million matching
    tickets on every list load scans them all, and nobody pages past the fortieth page; offsets stay under the cap,
    so they stay cheap. Beyond it the list says "1000 件以上" and asks for a narrower filter."""

    def __init__(self, object_list: QuerySet[Ticket], per_page: int, *, estimate: bool = False) -> None:
        super().__init__(object_list, per_page)
        self.estimate = estimate  # a large estimate stands for the count (`selectors.count_up_to`)

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        return selectors.count_up_to(cast(QuerySet[Ticket], self.object_list), estimate=self.estimate)

    @cached_property
    def capped(self) -> bool:
        """Whether more rows match than are counted."""
        return self._counted[1]

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    def page(self, number: int | str) -> Page:
        """Django's page, its rows read ids first (`selectors.rows_by_id`), then the columns a row shows."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        listed = cast(QuerySet[Ticket], self.object_list)
        rows = selectors.rows_by_id(listed, bottom, top, rows=selectors.list_rows(listed))
        return Page(rows, number, self)

log = logging.getLogger(__name__)


def staff(request: HttpRequest) -> Staff:
    """The logged-in staff member (every view here is behind `login_required`)."""
    return cast(Staff, request.user)


def is_htmx(request: HttpRequest) -> bool:
    """HTMX asks for a fragment; a plain request (or a boosted one) for the whole page."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def _page(request: HttpRequest, template: str, fragment: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, fragment if is_htmx(request) else template, context)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role starts where its work is: units in their inbox, hotline staff at the desk."""
    user = staff(request)
    if not user.is_hotline:
        return redirect("web:inbox")
    if user.role == Role.SUPERVISOR and user.is_city_hotline:
        return redirect("supervision:center")  # the supervisor's home is the 督办中心 (Art. 24)
    return redirect("web:desk")


# ---------------------------------------------------------------- hotline desk


def _queue_context(request: HttpRequest, qs: QuerySet[Ticket], all_queues: tuple[queues.Queue, ...],
                   url_name: str, *, counted_together: bool = False, now: dt.datetime | None = None,
                   history: QuerySet[Ticket] | None = None) -> dict[str, Any]:
    """The tabs and the current tab's rows. `history`, when given, is what the history tabs (recently finished)
    read instead of `qs`."""
    now = now or timezone.now()
    current = queues.find(all_queues, request.GET.get("queue"), staff(request).role)
    selected = current.select(queues.source(current, qs, history), now)
    return {
        "tabs": queues.tabs(all_queues, qs, now, together=counted_together, history=history),
        "current": current, "queue_url": reverse(url_name),
        "rows": selectors.rows_by_id(selected, 0, queues.QUEUE_ROWS,
                                     rows=selectors.list_rows(selected)),
        "queue_limit": queues.QUEUE_ROWS, "now": now,
    }


def _desk_context(request: HttpRequest, form: forms.Form | None) -> dict[str, Any]:
    user = staff(request)
    can_intake = user.role in workflow.INTAKE_ROLES
    context = _queue_context(request, visible_tickets(user), queues.DESK_QUEUES, "web:desk")
    context.update(form=form if form is not None else (for_desk(NewTicketForm(), user) if can_intake else None),
                   hotspots=_hotspot_alerts(user))
    return context


def _hotspot_alerts(user: Staff) -> list[dict[str, Any]] | None:
    """The desk's alert line: this week's hotspots (Art. 24.2), largest first, as plain values for the cache; a
    county sub-centre's desk sees its own county's (Art. 30). None when the cache cannot be reached."""
    from hotline.intake.hotspots import for_scope

    try:
        # The hotspot page's own cached clusters, within the reader's scope: one computation serves both screens.
        page, _, _ = for_scope(selectors.Scope.of(user), timezone.now())
        return [{"place": h.place, "matter": h.matter, "size": h.size, "growth": h.growth} for h in page.shown[:3]]
    except Exception as exc:  # noqa: BLE001  Redis away: the desk works without its alert line (issue 15)
        # Recomputing a week's clusters on every desk load without the cache would slow every desk; say so instead.
        log.warning("desk hotspot alert skipped, cache unavailable: %s", exc)
        return None


def _desk_failure(request: HttpRequest, error: DomainError, form: forms.Form | None) -> HttpResponse:
    return render(request, "web/desk.html", {**_desk_context(request, form), "error": error})


@login_required
@domain_errors(_desk_failure)
def desk(request: HttpRequest) -> HttpResponse:
    """The hotline desk: new-ticket form and the work queues (Art. 11-17)."""
    if not staff(request).is_hotline:
        raise PermissionDenied
    if request.method == "POST":
        form = parse(request, for_desk(NewTicketForm(request.POST), staff(request)))
        ticket, created = submissions.once(form.cleaned_data["submission_key"], by=staff(request),
                                           create=lambda: intake.take(Contact(**form.contact_fields()),
                                                                      by=staff(request)))
        if created:
            messages.success(request, f"已受理工单 {ticket.number}")
        else:
            messages.info(request, f"这张登记单已提交过，未重复受理：工单 {ticket.number}")
        return redirect("web:ticket", number=ticket.number)
    return _page(request, "web/desk.html", "web/_queue.html", _desk_context(request, None))


# ---------------------------------------------------------------- unit inbox


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """A unit's inbox: to sign, in progress, returns, replies and recently finished (Art. 13-15)."""
    user = staff(request)
    if user.is_hotline:
        raise PermissionDenied
    # One query counts every tab: each tab's own count hashed the unit's assignments again (issue 15). The open
    # tabs read the unit's open work; the recently finished tab adds what was closed within its days.
    now, scope = timezone.now(), selectors.Scope.of(user)
    context = _queue_context(request, scope.current_work(), queues.INBOX_QUEUES, "web:inbox",
                             counted_together=True, now=now,
                             history=scope.finished_since(selectors.recent_since(now)))
    return _page(request, "web/inbox.html", "web/_queue.html", context)


# ---------------------------------------------------------------- list and search


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    """Search every ticket the user may see, with filters and pages."""
    form = for_desk(TicketFilterForm(request.GET or None), staff(request))
    qs = visible_tickets(staff(request))
    estimate = False
    if form.is_bound and form.is_valid():
        ticket_filter = form.ticket_filter()
        qs = selectors.filtered(qs, ticket_filter, timezone.now())
        estimate = selectors.estimate_stands(ticket_filter.text)
    elif form.is_bound:
        qs = qs.none()
    page = CappedPaginator(qs.order_by("-created_at", "-id"), PAGE_SIZE, estimate=estimate).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()}
    return _page(request, "web/ticket_list.html", "web/_ticket_table.html", context)


# ---------------------------------------------------------------- the ticket page


@login_required
@domain_errors(plain_failure)
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    """Details, assignments, timeline, deadlines and the actions this user may take (404 if invisible)."""
    ticket = access_ticket(staff(request), number)
    return _page(request, "web/ticket_detail.html", "web/_ticket_main.html", ticket_context(request, ticket))


def _action_failure(request: HttpRequest, error: DomainError, form: forms.Form | None, number: str,
                    verb: str) -> HttpResponse:
    ticket = access_ticket(staff(request), number)
    context = ticket_context(request, ticket, failed_verb=verb, failed_form=form, error=error)
    return _page(request, "web/ticket_detail.html", "web/_ticket_main.html", context)


@require_POST
@login_required
@domain_errors(_action_failure)
def ticket_action(request: HttpRequest, number: str, verb: str) -> HttpResponse:
    """POST /tickets/<number>/<verb>/: parse the form, load the ticket, make the one workflow call."""
    action = actions.ACTIONS.get(verb)
    if action is None:
        raise Http404("没有这个操作")
    ticket = access_ticket(staff(request), number)
    form = parse(request, for_desk(action.form(request.POST, request.FILES), staff(request)))
    action.perform(ticket, staff(request), form)
    messages.success(request, f"{action.label}：已完成")
    if is_htmx(request):
        ticket = access_ticket(staff(request), number)
        return render(request, "web/_ticket_main.html", ticket_context(request, ticket))
    return redirect("web:ticket", number=number)
