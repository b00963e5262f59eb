"""Who is on duty now for a unit (Art. 20), with the duty phone masked unless the reader may call them: the desk
and the dispatchers reach a person at 23:00, not only a unit. A full phone shown is a logged reveal (Art. 23)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from hotline.directory.choices import Role
from hotline.directory.models import DutyRosterEntry, Staff, Unit
from hotline.duty.rosters import on_duty
from hotline.lib.privacy import mask_phone
from hotline.privacy import security
from hotline.privacy.models import AccessLog, RevealField, SecurityKind

# The hotline roles that phone a unit's duty person about an urgent ticket, and the unit's own manager.
DUTY_PHONE_ROLES = frozenset({Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.MANAGER})


@dataclass(frozen=True)
class OnDuty:
    """One person on duty now, as the reader may see them."""

    person: str
    phone: str
    phone_masked: bool
    starts_at: dt.datetime
    ends_at: dt.datetime


def may_reveal(user: Staff, unit: Unit) -> bool:
    """Whether `user` sees duty phones of `unit` in full."""
    if user.is_hotline:
        return user.role in DUTY_PHONE_ROLES
    return user.role == Role.UNIT_MANAGER and user.unit_id == unit.pk


def who(unit: Unit, *, by: Staff, at: dt.datetime | None = None, ip: str | None = None,
        reveal: bool = True) -> list[OnDuty]:
    """The people on duty for `unit` now; phones in full (one access-log row) only when asked for and allowed."""
    entries = on_duty(unit, at)
    full = reveal and bool(entries) and may_reveal(by, unit)
    if full:
        _log(by, unit, entries, ip)
    return [OnDuty(person=e.person, phone=e.phone if full else mask_phone(e.phone), phone_masked=not full,
                   starts_at=e.starts_at, ends_at=e.ends_at) for e in entries]


def _log(by: Staff, unit: Unit, entries: list[DutyRosterEntry], ip: str | None) -> None:
    reason = f"查看{unit.name}当前值班电话（{'、'.join(e.person for e in entries)}）"
    with transaction.atomic():
        AccessLog.objects.create(at=timezone.now(), staff=by, unit_id=by.unit_id, field=RevealField.PHONE,
                                 reason=reason, allowed=True, ip=ip)
        security.record(SecurityKind.REVEAL, staff=by, ip=ip, detail=reason)
