"""What every supervision action shares: role checks, the compare-and-swap move and its one sealed event."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import F

from hotline.directory.choices import SUPERVISION_ROLES
from hotline.lib.errors import ConcurrentChange, Forbidden, InvalidInput, TransitionNotAllowed
from hotline.supervision.choices import CASE_TRANSITIONS, CaseAction, CaseStatus
from hotline.supervision.models import CaseEvent, Coordination, SupervisionCase

if TYPE_CHECKING:
    from hotline.directory.models import Staff


def auto_mode() -> str:
    """What an automatic trigger does: open a case at once, or propose one to the supervisor (a setting)."""
    return "open" if getattr(settings, "SUPERVISION_AUTO_MODE", "propose") == "open" else "propose"


def require_supervisor(by: Staff | None, action: str) -> None:
    if by is None or not by.is_active or by.role not in SUPERVISION_ROLES:
        raise Forbidden(f"只有督办员或热线管理员可以执行“{CaseAction(action).label}”", code="role_not_allowed")


def require_target_unit(case: SupervisionCase, by: Staff | None, action: str) -> int:
    """A unit named by the case acts on it; returns the unit's id."""
    if by is None or not by.is_active or by.is_hotline or by.unit_id is None:
        raise Forbidden(f"只有督办对象单位可以执行“{CaseAction(action).label}”", code="not_target_unit")
    if not case.units.filter(pk=by.unit_id).exists():
        raise Forbidden(f"只有督办对象单位可以执行“{CaseAction(action).label}”", code="not_target_unit")
    return by.unit_id


def text(value: str | None, field: str, label: str, *, required: bool = True, max_chars: int = 2000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}", field=field, code="required")
    if len(value) > max_chars:
        raise InvalidInput(f"{label}不能超过{max_chars}字", field=field, code="too_long")
    return value


def days(value: Any, field: str, maximum: int, label: str) -> int:
    # bool is an int in Python; `True` must not pass as "1 working day".
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= maximum:
        raise InvalidInput(f"{label}须为1至{maximum}个工作日", field=field, code="invalid_working_days")
    return value


def event(*, case: SupervisionCase | None = None, coordination: Coordination | None = None, action: str,
          by: Staff | None, frm: str, to: str, at: dt.datetime, reason: str = "", article: str = "",
          data: dict[str, Any] | None = None) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, coordination=coordination, action=action, from_status=frm, to_status=to, actor=by,
        actor_unit=getattr(by, "unit", None) if by is not None else None, at=at, reason=reason, article=article,
        data=data or {})


def move(case: SupervisionCase, action: str, by: Staff | None, *, now: dt.datetime, reason: str = "",
         article: str = "第二十四条", data: dict[str, Any] | None = None, **fields: Any) -> CaseEvent:
    """Check the transition table, compare-and-swap the case row and write its one event (inside a transaction)."""
    frm = case.status
    to = CASE_TRANSITIONS[action].get(frm)
    if to is None:
        raise TransitionNotAllowed(
            f"督办件当前状态为“{CaseStatus(frm).label}”，不能执行“{CaseAction(action).label}”",
            status=str(frm), action=str(action))
    changed = SupervisionCase.objects.filter(pk=case.pk, status=frm, version=case.version).update(
        status=to, version=F("version") + 1, **fields)
    if changed != 1:
        raise ConcurrentChange("督办件已被他人处理，请刷新后重试")
    case.status = to
    case.version += 1
    for name, value in fields.items():
        setattr(case, name, value)
    return event(case=case, action=action, by=by, frm=frm, to=to, at=now, reason=reason, article=article, data=data)
