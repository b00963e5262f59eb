"""Building report data the way the intake records it."""

from __future__ import annotations

import itertools
from typing import Any

from django.utils import timezone

from hotline.directory.models import Staff
from hotline.tickets.choices import Action, Status
from hotline.tickets.models import Event, Ticket

_numbers = itertools.count(1)


def declined_at_intake(by: Staff, *, reason_code: str = "9", **fields: Any) -> Ticket:
    """A contact declined at intake, recorded now as its one DECLINE event from "" to declined with no ACCEPT
    before it. This mirrors the intake's new decline; `workflow.decline` still writes ACCEPT then DECLINE until
    that change lands, so the ticket and its event are made here directly."""
    now = timezone.now()
    values: dict[str, Any] = {"channel": "phone", "request_type": "complaint", "content": "反复来电无具体诉求"}
    values.update(fields)
    ticket = Ticket.objects.create(number=f"T{now:%Y%m%d}{next(_numbers):06d}", status=Status.DECLINED,
                                   created_by=by, created_at=now, decline_reason=reason_code,
                                   explanation="不予受理", closed_at=now, **values)
    Event.objects.create(ticket=ticket, action=Action.DECLINE, from_status="", to_status=Status.DECLINED, actor=by,
                         actor_unit=by.unit, at=now, reason="不予受理", article="第十条",
                         data={"reason_code": reason_code})
    return ticket
