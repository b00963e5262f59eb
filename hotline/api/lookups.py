"""Codes in request bodies turned into rows, with a 400 naming the field when the code is unknown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hotline.directory.models import Platform, Topic, Unit
from hotline.lib.errors import InvalidInput, NotFound
from hotline.tickets.access import access_ticket
from hotline.tickets.models import Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff


def unit(code: str | None, field: str) -> Unit | None:
    """The unit with this code, None for no code; unknown codes are 400 on `field`."""
    if not code:
        return None
    found = Unit.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(f"单位编码“{code}”不存在", field=field, code="unknown_unit")
    return found


def required_unit(code: str, field: str) -> Unit:
    """Like `unit`, for fields that must name one."""
    found = unit(code, field)
    if found is None:
        raise InvalidInput("请选择单位", field=field, code="required")
    return found


def units(codes: list[str], field: str) -> list[Unit]:
    """Every unit named, in order; the first unknown code is 400 on `field`."""
    return [required_unit(code, field) for code in codes]


def platform(code: str, field: str) -> Platform:
    """The platform with this code; an unknown code is 400 on `field`."""
    found = Platform.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(f"平台编码“{code}”不存在", field=field, code="unknown_platform")
    return found


def topic(code: str | None, field: str) -> Topic | None:
    """The active topic with this code; unknown or retired codes are 400 on `field`."""
    if not code:
        return None
    found = Topic.objects.filter(code=code, is_active=True).first()
    if found is None:
        raise InvalidInput(f"事项分类编码“{code}”不存在或已停用", field=field, code="unknown_topic")
    return found


def other_ticket(user: Staff, number: str, field: str) -> Ticket:
    """A second ticket named in a body (merge target): invisible or unknown is 400 on `field`, not a 404 of the URL."""
    try:
        return access_ticket(user, number)
    except NotFound as exc:
        raise InvalidInput(f"工单“{number}”不存在或无权查看", field=field, code="unknown_ticket") from exc
