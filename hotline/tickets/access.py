"""The only permission-checked way to load tickets (STYLE 7): invisible tickets are 404, never an existence oracle.

Both functions read within a `Scope` (`hotline.tickets.selectors`): the user's own by default, or one given by the
caller (a report or an export that reads for someone). Writes are checked again by the workflow (role, unit, state).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django import forms
from django.db.models import QuerySet

from hotline.directory.models import Unit
from hotline.lib.errors import NotFound
from hotline.tickets.models import Ticket
from hotline.tickets.selectors import Scope

if TYPE_CHECKING:
    from hotline.directory.models import Staff

FormT = TypeVar("FormT", bound=forms.BaseForm)


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


def for_desk(form: FormT, user: Staff) -> FormT:
    """`form` offering a county sub-centre's desk only its own platform's units in every unit field (Art. 30); the
    workflow checks the choice again. Units' staff and the city platform's desk keep every unit."""
    if not user.is_hotline or user.platform.is_root:
        return form
    units = Scope.of(user).units().values("pk")
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and field.queryset is not None \
                and field.queryset.model is Unit:
            field.queryset = field.queryset.filter(pk__in=units)
    return form
