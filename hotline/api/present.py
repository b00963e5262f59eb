"""Tickets and events as API answers, with the requester's identity shown, masked or withheld by who asks (Art. 23)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hotline.tickets.choices import Action, AssignmentRole, Status
from hotline.tickets.masking import requester_view

if TYPE_CHECKING:
    from hotline.directory.models import Staff, Topic, Unit
    from hotline.tickets.models import Event, Ticket

DUE_COLUMNS = ("dispatch_due", "consult_due", "sign_due", "desk_return_due", "return_due", "arrival_due",
               "handling_due", "rework_due")
PLAIN_COLUMNS = ("number", "channel", "request_type", "title", "content", "address", "is_confidential",
                 "is_complex", "created_at", "updated_at", "due_estimated", "handling_days", "dispatched_at",
                 "signed_at", "deemed_signed", "arrived_at", "replied_at", "resolved_at", "closed_at",
                 "extension_count", "rework_count", "decline_reason", "explanation", "answer", "handed_off_to")


def _ref(obj: Unit | Topic | None) -> dict[str, str] | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def requester(ticket: Ticket, viewer: Staff) -> dict[str, Any] | None:
    """The requester as `viewer` may see them (`hotline.tickets.masking`); None when hidden or absent."""
    view = requester_view(viewer, ticket)
    if view is None or view.hidden:
        return None
    return {"name": view.name, "phone": view.phone, "id_number": view.id_number, "address": view.address,
            "is_company": view.is_company, "masked": view.masked}


def ticket(obj: Ticket, viewer: Staff) -> dict[str, Any]:
    """Every stored column a client needs, codes for related rows, and the requester as `viewer` may see it."""
    out: dict[str, Any] = {name: getattr(obj, name) for name in PLAIN_COLUMNS + DUE_COLUMNS}
    # Assignments are prefetched by the list endpoint; `.all()` uses that cache, a filter() would not.
    assisting = [a.unit for a in obj.assignments.all() if a.is_active and a.role == AssignmentRole.ASSIST]
    out.update(
        status=obj.status, status_label=Status(obj.status).label, topic=_ref(obj.topic), region=_ref(obj.region),
        lead_unit=_ref(obj.lead_unit), assisting_units=[_ref(u) for u in assisting],
        suggested_unit=_ref(obj.suggested_unit), consult_unit=_ref(obj.consult_unit), current_due=obj.current_due,
        merged_into=obj.merged_into.number if obj.merged_into_id and obj.merged_into else None,
        requester=requester(obj, viewer), platform=obj.platform.code, received_by=obj.received_by.code,
        requester_hidden=bool(obj.requester_id and obj.is_confidential and not viewer.is_hotline),
    )
    return out


def event(obj: Event) -> dict[str, Any]:
    """One history line; actor and unit by name and code."""
    return {
        "action": obj.action, "action_label": Action(obj.action).label if obj.action in Action.values else obj.action,
        "from_status": obj.from_status, "to_status": obj.to_status,
        "actor": str(obj.actor) if obj.actor_id and obj.actor else None,
        "actor_unit": obj.actor_unit.code if obj.actor_unit_id and obj.actor_unit else None,
        "at": obj.at, "reason": obj.reason, "article": obj.article, "data": obj.data,
    }
