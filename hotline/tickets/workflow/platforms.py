"""Hops between the platforms of one deployment (Art. 30): the city hands a ticket down to a county sub-centre as a
whole, a county passes one up to the city, and the receiving desk signs it; a unit's reply on a ticket handed down
goes back up for review (`reply_goes_up`).

A hop moves the holder (`Ticket.platform`), not the data: the requester's personal data stays ciphertext in the one
store and each desk reads it under the same masking rules (Art. 23). The sending desk's 2-hour dispatch clock stops
at the hop; the receiving desk's signing clock (1 working day, as a unit's, Art. 13) starts, and stops at its signing,
which starts its own dispatch clock. A hop not signed in time is deemed signed at its deadline, as a unit's
dispatch is (`tickets.sweeps.deem_one_signed`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from hotline.deadlines.policy import Clock, compute
from hotline.deadlines.store import load_calendar
from hotline.directory.choices import DISPATCH_ROLES
from hotline.directory.models import Platform
from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets.choices import Action, Status
from hotline.tickets.models import Ticket
from hotline.tickets.workflow._core import _against, _estimated, _move, _require_role, _text

if TYPE_CHECKING:
    from hotline.directory.models import Staff

ARTICLE = "第十三条、第三十条"


def _require_holder(ticket: Ticket, by: Staff, action: str) -> None:
    """Only the desk of the platform holding the ticket sends it on (Art. 30)."""
    _require_role(by, DISPATCH_ROLES, action)
    if by.platform_id != ticket.platform_id:
        raise TransitionNotAllowed(f"工单不在本平台，不能{Action(action).label}", code="not_held_here")


def hand_down(ticket: Ticket, *, by: Staff, platform: Platform | None, note: str = "") -> Ticket:
    """Send a ticket this platform holds, not yet dispatched, to a sub-centre directly below it, which signs it within
    1 working day and dispatches it to its own units (Art. 13, 30)."""
    _require_holder(ticket, by, Action.HAND_DOWN)
    if platform is None or platform.parent_id != ticket.platform_id:
        raise InvalidInput("请选择本平台的下级分中心", field="platform", code="platform_not_below")
    note = _text(note, "note", "下派说明", required=False)
    return _send(ticket, by, Action.HAND_DOWN, platform, note)


def pass_up(ticket: Ticket, *, by: Staff, reason: str) -> Ticket:
    """Send a ticket this sub-centre holds, not yet dispatched, to the platform above it, because it belongs to one
    of that platform's units (a city department); the reason is required (Art. 30)."""
    _require_holder(ticket, by, Action.PASS_UP)
    upper = ticket.platform.parent
    if upper is None:
        raise TransitionNotAllowed("本平台没有上级平台", code="no_upper_platform")
    reason = _text(reason, "reason", "上交理由")
    return _send(ticket, by, Action.PASS_UP, upper, reason)


def _send(ticket: Ticket, by: Staff, action: str, to: Platform, reason: str) -> Ticket:
    now = timezone.now()
    sign_due = compute(load_calendar(), Clock.SIGN, now)
    data = {"from": ticket.platform.code, "to": to.code, **_against(ticket.dispatch_due, now)}
    with transaction.atomic():
        _move(ticket, action, by, to=Status.TRANSFERRING, now=now, reason=reason, article=ARTICLE, platform=to,
              sign_due=sign_due.at, due_estimated=_estimated(sign_due), data=data)
    return ticket


def sign_transfer(ticket: Ticket, *, by: Staff | None, now: dt.datetime | None = None) -> Ticket:
    """The receiving platform's desk signs a ticket sent to it; `by=None` is the sweep deeming it signed at its
    deadline (Art. 13). Its own 2-hour dispatch clock starts then (Art. 13, 30)."""
    now = now or timezone.now()
    if by is not None:
        _require_role(by, DISPATCH_ROLES, Action.PLATFORM_SIGN)
        if by.platform_id != ticket.platform_id:
            raise Forbidden("只有接收平台可以签收", code="not_receiving_platform")
        signed_at = now
    else:
        if ticket.sign_due is None or now < ticket.sign_due:
            raise TransitionNotAllowed("签收时限未到，不能视为签收", code="sign_window_open")
        signed_at = ticket.sign_due
    dispatch_due = compute(load_calendar(), Clock.DISPATCH, signed_at)
    data = {"platform": ticket.platform.code, "deemed": by is None, **_against(ticket.sign_due, now)}
    with transaction.atomic():
        _move(ticket, Action.PLATFORM_SIGN, by, to=Status.PENDING_DISPATCH, now=now, article=ARTICLE,
              reason="" if by is not None else "签收时限届满，视为签收", dispatch_due=dispatch_due.at,
              due_estimated=_estimated(dispatch_due), data=data)
    return ticket


def reply_goes_up(ticket: Ticket) -> Platform | None:
    """Where a unit's reply goes for review: the platform that received the ticket, when the ticket was handed down
    from it to a sub-centre below (Art. 16, 30: the city reviews, and then calls the requester back); None when the
    platform holding it reviews (its own tickets, and those passed up to it)."""
    if ticket.platform_id == ticket.received_by_id:
        return None
    received = ticket.received_by
    return received if ticket.platform_id in received.subtree_ids() else None
