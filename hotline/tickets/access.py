"""The only permission-checked way to load tickets (STYLE 7): invisible tickets are 404, never an existence oracle.

Both functions read within a `Scope` (`hotline.tickets.selectors`): the user's own by default, or one given by the
caller (a report or an export that reads for someone). Writes are checked again by the workflow (role, unit, state).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from hotline.lib.errors import NotFound
from hotline.tickets.models import Ticket
from hotline.tickets.selectors import Scope

if TYPE_CHECKING:
    from hotline.directory.models import Staff


def visible_tickets(user: Staff | None = None, *, scope: Scope | None = None) -> QuerySet[Ticket]:
    """The tickets in `scope`, by default the user's (DESIGN §5: the hotline sees every ticket; a unit's staff the
    tickets their unit is or was assigned)."""
    return (scope or Scope.of(user)).tickets()


def access_ticket(user: Staff | None, number: str, *, scope: Scope | None = None) -> Ticket:
    """The ticket `number` if it is in the scope (the user's by default); NotFound otherwise."""
    # Numbers are digits; anything else names no ticket, and a NUL would fail the query on PostgreSQL.
    if not (number.isascii() and number.isdigit()):
        raise NotFound("工单不存在或无权查看", code="ticket_not_found")
    ticket = visible_tickets(user, scope=scope).filter(number=number).first()
    if ticket is None:
        raise NotFound("工单不存在或无权查看", code="ticket_not_found")
    return ticket
