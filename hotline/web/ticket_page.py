"""What the ticket page shows: details with personal data masked by role (Art. 23), assignments, the timeline of
events, the deadlines with their rules, and the action forms this user may use now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone

from hotline.directory.models import Staff
from hotline.lib.errors import DomainError
from hotline.privacy.reveal import may_reveal, may_reveal_contact
from hotline.tickets.access import for_desk
from hotline.tickets.choices import Action, Status
from hotline.tickets.masking import screen_view
from hotline.tickets.models import Event, Ticket
from hotline.web import actions
from hotline.web.clocks import clock_rows, rules_table
from hotline.web.forms import RevealForm


@dataclass(frozen=True)
class TimelineRow:
    """One event as the timeline shows it."""

    event: Event
    actor: str
    unit: str
    action: str
    from_label: str
    to_label: str
    status_changed: bool


def _status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value


CONTACT_METHOD_LABELS = {"call": "回拨电话", "sms": "短信", "relay": "经热线转达"}


def _action_label(event: Event) -> str:
    """The action as the timeline names it, with the outcome a reader needs: a review passed or not, a requester
    reached or not."""
    label = str(event.get_action_display())
    data = event.data or {}
    if "approved" in data:
        return f"{label}：{'通过' if data['approved'] else '不通过'}"
    if event.action == Action.CONTACT_ATTEMPT and "reached" in data:
        method = CONTACT_METHOD_LABELS.get(str(data.get("method", "")), "")
        return f"{label}{f'（{method}）' if method else ''}：{'已联系上' if data['reached'] else '未联系上'}"
    return label


def timeline(ticket: Ticket) -> list[TimelineRow]:
    """Every event of the ticket, oldest first; events without an actor were done by the timed sweeps."""
    rows = []
    for event in ticket.events.select_related("actor", "actor_unit").order_by("at", "id"):
        rows.append(TimelineRow(
            event=event, actor=str(event.actor) if event.actor else "系统", unit=str(event.actor_unit or ""),
            action=_action_label(event), from_label=_status_label(event.from_status),
            to_label=_status_label(event.to_status), status_changed=event.from_status != event.to_status,
        ))
    return rows


def _action_forms(user: Staff, ticket: Ticket, failed_verb: str | None,
                  failed_form: forms.Form | None) -> list[dict[str, Any]]:
    panels = []
    for action in actions.available(user, ticket):
        failed = action.verb == failed_verb and failed_form is not None
        form = failed_form if failed else for_desk(action.form(initial=actions.initial_for(action, ticket)), user)
        field = form.fields.get("platform") if form is not None else None
        if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
            # A hand-down names a sub-centre directly below the platform holding the ticket (Art. 30).
            field.queryset = field.queryset.filter(parent_id=ticket.platform_id)
        panels.append({"action": action, "form": form, "open": failed,
                       "multipart": any(isinstance(f.widget, forms.ClearableFileInput)
                                        for f in form.fields.values())})  # type: ignore[union-attr]
    return panels


def _offers_reveal(user: Staff, ticket: Ticket) -> bool:
    view = screen_view(user, ticket)
    return view is not None and view.masked and may_reveal(ticket, user)


def _contact(user: Staff, ticket: Ticket) -> dict[str, Any] | None:
    """How the lead unit reaches the requester (Art. 14(2), 15): name and phone in one logged click, or, on a
    confidential ticket whose requester it never sees (Art. 23), a relay by the hotline (Art. 12(1))."""
    if user.is_hotline or ticket.requester is None or user.unit_id is None or user.unit_id != ticket.lead_unit_id:
        return None
    if ticket.is_confidential:
        return {"relay": True}
    return {"relay": False} if may_reveal_contact(ticket, user) else None


def _consultation(ticket: Ticket) -> dict[str, Any] | None:
    """The hotline's question to a consulted unit, its 24-hour clock and the unit's answer (Art. 12(1))."""
    if ticket.consult_unit_id is None:
        return None
    asked = ticket.events.filter(action=Action.CONSULT).select_related("actor").order_by("-at", "-id").first()
    answer = ticket.consultation_answers.filter(unit_id=ticket.consult_unit_id).select_related(
        "answered_by").order_by("-answered_at").first()
    return {"unit": ticket.consult_unit, "question": asked.reason if asked else "", "asked": asked,
            "due": ticket.consult_due, "answer": answer, "open": ticket.status == Status.CONSULTING}


def _error_at_field(error: DomainError | None, form: forms.Form | None) -> bool:
    if error is None or form is None:
        return False
    if error.code == "form_invalid":
        return True
    return (error.field or "").replace(".", "_") in form.fields


def ticket_context(request: HttpRequest, ticket: Ticket, *, failed_verb: str | None = None,
                   failed_form: forms.Form | None = None, error: DomainError | None = None) -> dict[str, Any]:
    """Everything the ticket page and its fragment render."""
    user: Staff = request.user  # type: ignore[assignment]
    now = timezone.now()
    return {
        "ticket": ticket, "now": now, "requester": screen_view(user, ticket),
        # Art. 23: the full value is its own reasoned, logged action, offered only where the masked view is shown.
        "reveal_form": RevealForm() if _offers_reveal(user, ticket) else None,
        "contact": _contact(user, ticket), "consultation": _consultation(ticket),
        "assignments": ticket.assignments.select_related("unit").order_by("-is_active", "dispatched_at"),
        "timeline": timeline(ticket), "clocks": clock_rows(ticket, now), "rules": rules_table(),
        "panels": _action_forms(user, ticket, failed_verb, failed_form), "error": error, "failed_verb": failed_verb,
        # An error written on a field of the open form is shown there, once; the banner only points to it.
        "error_at_field": _error_at_field(error, failed_form),
        "return_requests": ticket.return_requests.select_related("unit", "suggested_unit").order_by("-requested_at"),
        "extension_requests": ticket.extension_requests.order_by("-requested_at"),
        "replies": ticket.replies.order_by("-submitted_at"),
        "follow_ups": ticket.follow_ups.order_by("-at"),
        "attachments": ticket.attachments.order_by("uploaded_at"),
        "supervision": supervision_badge(user, ticket, now),
    }


def supervision_badge(user: Staff, ticket: Ticket, now: Any) -> dict[str, Any] | None:
    """The most urgent live supervision case of the ticket that `user` may see, with its colour (Art. 24)."""
    from hotline.supervision.choices import COLOUR_BADGES, Colour
    from hotline.supervision.selectors import ticket_colour, visible_cases

    colour, case = ticket_colour(ticket, now)
    if case is None or not visible_cases(user).filter(pk=case.pk).exists():
        return None
    return {"case": case, "colour": colour, "badge": COLOUR_BADGES[colour], "label": Colour(colour).label}
