"""The only permission-checked way to load tickets (STYLE 7): invisible tickets are 404, never an existence oracle."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from hotline.lib.errors import NotFound
from hotline.tickets.models import Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff


def visible_tickets(user: Staff) -> QuerySet[Ticket]:
    """Hotline staff see every ticket; a unit's staff see the tickets their unit is or was assigned (DESIGN §5)."""
    qs = Ticket.objects.select_related("topic", "lead_unit", "region")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_hotline:
        return qs
    if user.unit_id is None:
        return qs.none()
    return qs.filter(assignments__unit_id=user.unit_id).distinct()


def access_ticket(user: Staff, number: str, *, for_write: bool = False) -> Ticket:
    """The ticket `number` if `user` may see it; NotFound otherwise. Writes are checked again by the workflow."""
    ticket = visible_tickets(user).filter(number=number).first()
    if ticket is None:
        raise NotFound("工单不存在或无权查看", code="ticket_not_found")
    return ticket
