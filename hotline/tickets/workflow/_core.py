"""What every transition shares: role and unit checks, the transition table check, the compare-and-swap move and
its one event (STYLE 1-3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import F

from hotline.directory.choices import UNIT_ROLES, UnitKind
from hotline.directory.models import Unit
from hotline.lib.errors import ConcurrentChange, Forbidden, InvalidInput, TransitionNotAllowed
from hotline.tickets.choices import TRANSITIONS, Action, AssignmentRole, ReviewState, Status
from hotline.tickets.models import Assignment, Event, ExtensionRequest, Outbox, Ticket, UnitTicket

if TYPE_CHECKING:
    from hotline.directory.models import Staff


MAX_CONTENT_CHARS = 5000
# A short, clear matter ("停水") is a matter: two characters say something, one rarely does (Art. 11).
MIN_CONTENT_CHARS = 2


def _require_role(by: Staff | None, roles: Iterable[str], action: str) -> None:
    if by is None or not by.is_active or by.role not in roles:
        raise Forbidden(f"当前角色无权执行“{Action(action).label}”", code="role_not_allowed")


def _require_lead_unit(ticket: Ticket, by: Staff, action: str) -> int:
    """Only the lead unit's staff act on a dispatched ticket (Art. 12: one lead, others assist); returns its id."""
    _require_role(by, UNIT_ROLES, action)
    if by.unit_id is None or by.unit_id != ticket.lead_unit_id:
        raise Forbidden(f"只有牵头承办单位可以执行“{Action(action).label}”", code="not_lead_unit")
    return by.unit_id


def _check_transition(ticket: Ticket, action: str, to: str) -> None:
    allowed = TRANSITIONS[action].get(ticket.status, frozenset())
    if to not in allowed:
        raise TransitionNotAllowed(
            f"工单当前状态为“{Status(ticket.status).label}”，不能执行“{Action(action).label}”",
            status=str(ticket.status), action=str(action),
        )


def _text(value: str | None, field: str, label: str, *, required: bool = True, max_chars: int = 2000) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"请填写{label}", field=field, code="required")
    if len(text) > max_chars:
        raise InvalidInput(f"{label}不能超过{max_chars}字", field=field, code="too_long")
    return text


def _event(ticket: Ticket, action: str, by: Staff | None, *, frm: str, to: str, at: dt.datetime, reason: str = "",
           article: str = "", data: dict[str, Any] | None = None, about: Unit | None = None) -> Event:
    # `about`: the unit the event is about when the assignment rows do not show it yet; otherwise Event.save finds it.
    return Event.objects.create(
        ticket=ticket, action=action, from_status=frm, to_status=to, actor=by,
        actor_unit=getattr(by, "unit", None) if by is not None else None, at=at, reason=reason, article=article,
        data=data or {}, about_unit=about,
    )


def _move(ticket: Ticket, action: str, by: Staff | None, *, to: str, now: dt.datetime, reason: str = "",
          article: str = "", data: dict[str, Any] | None = None, **fields: Any) -> Event:
    """Compare-and-swap the ticket row and write its one event; must run inside `transaction.atomic`."""
    _check_transition(ticket, action, to)
    frm = ticket.status
    changed = Ticket.objects.filter(pk=ticket.pk, status=frm, version=ticket.version).update(
        status=to, version=F("version") + 1, updated_at=now, **fields
    )
    if changed != 1:
        # Someone else moved the ticket between our read and this write (STYLE 2).
        raise ConcurrentChange("工单已被他人处理，请刷新后重试")
    ticket.status = to
    ticket.version += 1
    for name, value in fields.items():
        setattr(ticket, name, value)
    # A transition naming a new lead unit (dispatch, re-dispatch) creates its assignment after this event, at the
    # same instant; the newer assignment wins there, so the event is about the new lead unit.
    return _event(ticket, action, by, frm=frm, to=to, at=now, reason=reason, article=article, data=data,
                  about=fields.get("lead_unit"))


def _estimated(*dues: Any) -> bool:
    """Whether a deadline this transition sets crosses a year with no published calendar (DESIGN §4). Only the
    clocks set now count: a flag from an earlier clock clears once the running one is exact."""
    return any(getattr(due, "estimated", False) for due in dues)


def _against(due: dt.datetime | None, now: dt.datetime) -> dict[str, Any]:
    """What an event that ends a clock records about it: the deadline it was measured against and whether it was
    missed, so statistics read lateness from the event itself (Art. 26, 27), not from columns that move later."""
    return {"due": due.astimezone(dt.UTC).isoformat() if due is not None else None,
            "late": bool(due is not None and now >= due)}


def _assign(ticket: Ticket, lead_unit: Unit, assisting: list[Unit], *, by: Staff, now: dt.datetime) -> None:
    """The ticket's units from `now` (Art. 13, 19): the active assignments end, the lead and assisting units get
    theirs, and each unit may read the ticket from then on (`UnitTicket`). Inside the transition's transaction."""
    Assignment.objects.filter(ticket=ticket, is_active=True).update(is_active=False, ended_at=now)
    Assignment.objects.create(ticket=ticket, unit=lead_unit, role=AssignmentRole.LEAD, dispatched_at=now,
                              dispatched_by=by)
    for unit in assisting:
        Assignment.objects.create(ticket=ticket, unit=unit, role=AssignmentRole.ASSIST, dispatched_at=now,
                                  dispatched_by=by)
    _readable_by(ticket, [lead_unit, *assisting], now)


def _readable_by(ticket: Ticket, units: list[Unit], now: dt.datetime) -> None:
    """`units` may read the ticket from `now` on; a unit that already could keeps its first moment."""
    UnitTicket.objects.bulk_create([UnitTicket(ticket=ticket, unit=unit, since=now) for unit in units],
                                   ignore_conflicts=True)


def _outbox(kind: str, **payload: Any) -> None:
    Outbox.objects.create(kind=kind, payload=payload)


def _require_active_unit(unit: Unit | None, field: str, *, by: Staff | None = None) -> Unit:
    """An active handling unit; when a county sub-centre's desk (`by`) chooses it, one of its own platform's (Art. 30:
    the county dispatches to its units, the city platform to every unit)."""
    if unit is None or not unit.is_active or unit.kind == UnitKind.HOTLINE:
        raise InvalidInput("请选择有效的承办单位", field=field, code="invalid_unit")
    if by is not None and by.is_hotline and not by.platform.is_root \
            and unit.platform_id not in by.platform.subtree_ids():
        raise InvalidInput("只能选择本平台的承办单位", field=field, code="unit_not_on_platform")
    return unit


def _handling_due(ticket: Ticket) -> dt.datetime | None:
    return ticket.rework_due or ticket.handling_due


def _expire_pending_extensions(ticket: Ticket, now: dt.datetime, note: str) -> None:
    # A pending request belongs to the handling period it was made in; once that period ends (returned or resolved)
    # approving it would move the next unit's or the rework's deadline from a stale `old_due` (Art. 14).
    ExtensionRequest.objects.filter(ticket=ticket, state=ReviewState.PENDING).update(
        state=ReviewState.REJECTED, reviewed_at=now, review_note=note)


_CN_DIGITS = "零一二三四五六七八九十"


def _cn_number(n: int) -> str:
    return _CN_DIGITS[n] if 0 <= n <= 10 else str(n)
