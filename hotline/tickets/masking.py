"""Art. 23 in one place: the requester as a given staff member may see them — in full (the hotline), masked (the
units), or not at all (units, on a confidential ticket). Every screen, API answer and export asks here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hotline.lib.privacy import mask_address, mask_id_number, mask_name, mask_phone

if TYPE_CHECKING:
    from hotline.directory.models import Staff
    from hotline.tickets.models import Ticket


@dataclass(frozen=True)
class RequesterView:
    """The requester as this user may see them: in full (hotline), masked (units), or not at all."""

    hidden: bool
    name: str = ""
    phone: str = ""
    id_number: str = ""
    address: str = ""
    is_company: bool = False
    masked: bool = False


def requester_view(user: Staff, ticket: Ticket) -> RequesterView | None:
    """Hotline staff see the requester; units see masked values, and nothing on a confidential ticket: Art. 23 binds
    units to secrecy, and a requester who asked for it (or a fumes, noise or building complaint) must never be
    identifiable by the unit complained to. None when the ticket has no requester."""
    person = ticket.requester
    if person is None:
        return None
    if user.is_hotline:
        return RequesterView(False, person.name, person.phone, person.id_number, person.address, person.is_company)
    if ticket.is_confidential:
        return RequesterView(hidden=True)
    return RequesterView(False, mask_name(person.name), mask_phone(person.phone), mask_id_number(person.id_number),
                         mask_address(person.address), person.is_company, masked=True)


def screen_view(user: Staff, ticket: Ticket) -> RequesterView | None:
    """The requester on a staff screen: as `requester_view`, except that hotline staff too see the phone and the
    ID number masked. The hotline's work needs the name and the place, not the numbers; a full number is its own
    reasoned, logged action (reveal) for the roles the privacy matrix allows, like on the follow-up desk (Art. 23)."""
    view = requester_view(user, ticket)
    if view is None or view.hidden or view.masked:
        return view
    return RequesterView(False, view.name, mask_phone(view.phone), mask_id_number(view.id_number), view.address,
                         view.is_company, masked=True)
