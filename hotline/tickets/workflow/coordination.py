"""Re-dispatch after difficult-matter coordination (Art. 19): the unit the hotline fixed as owner takes the ticket."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from hotline.deadlines.policy import Clock, compute
from hotline.deadlines.store import load_calendar
from hotline.directory.choices import SUPERVISION_ROLES
from hotline.directory.models import Unit
from hotline.lib.errors import InvalidInput
from hotline.tickets.choices import Action, ReviewState, Status
from hotline.tickets.models import ReturnRequest, Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff

from hotline.tickets.workflow._core import (
    _assign,
    _estimated,
    _expire_pending_extensions,
    _move,
    _require_active_unit,
    _require_role,
    _text,
)


def redispatch(ticket: Ticket, *, by: Staff, lead_unit: Unit, assisting_units: Sequence[Unit] = (),
               basis: str) -> Ticket:
    """Send the ticket to the owner coordination fixed, from wherever it stood before reply; the signing clock
    starts again (1 working day), a pending return or extension ends with the old assignment (Art. 19)."""
    _require_role(by, SUPERVISION_ROLES, Action.REDISPATCH)
    _require_active_unit(lead_unit, "lead_unit", by=by)
    assisting = list(dict.fromkeys(assisting_units))
    for unit in assisting:
        _require_active_unit(unit, "assisting_units", by=by)
    if lead_unit in assisting:
        raise InvalidInput("牵头单位不能同时为会同单位", field="assisting_units", code="lead_also_assisting")
    basis = _text(basis, "basis", "协调依据")
    now = timezone.now()
    sign_due = compute(load_calendar(), Clock.SIGN, now)
    with transaction.atomic():
        _move(ticket, Action.REDISPATCH, by, to=Status.DISPATCHED, now=now, reason=basis, article="第十九条",
              lead_unit=lead_unit, dispatched_at=now, sign_due=sign_due.at, signed_at=None, deemed_signed=False,
              desk_return_due=None, return_due=None, handling_due=None, handling_days=None, rework_due=None,
              arrived_at=None, due_estimated=_estimated(sign_due),
              data={"lead_unit": lead_unit.code, "assisting_units": [u.code for u in assisting]})
        ReturnRequest.objects.filter(ticket=ticket, state=ReviewState.PENDING).update(
            state=ReviewState.APPROVED, reviewed_by=by, reviewed_at=now, review_note="协调确定承办单位")
        _expire_pending_extensions(ticket, now, "协调改派，延期申请失效")
        _assign(ticket, lead_unit, assisting, by=by, now=now)
    return ticket
