"""Masked personal values, and revealing one in full as its own permission-checked, logged action (Art. 23).

Unit staff see `139****4321`. Revealing the full value needs a reason and one of the named roles: the hotline's
manager, reviewers and follow-up agents, or the manager of the ticket's lead unit; the lead unit's handlers may reveal
the name and phone, the two values they need to contact the requester (Art. 14(2), 15), with that purpose preset. A
confidential ticket (asked for by the requester, or a complaint about illegal building, demolition, fumes or noise,
Art. 23) never reveals its requester outside the hotline: the unit asks the hotline to relay instead (Art. 12(1)).
Every reveal and every refusal writes an AccessLog row and a security event.
"""

from __future__ import annotations

import csv
import datetime as dt
import ipaddress
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from hotline.directory.choices import Role
from hotline.lib.errors import Forbidden, InvalidInput
from hotline.lib.privacy import mask_address, mask_id_number, mask_name, mask_phone
from hotline.privacy import security
from hotline.privacy.models import AccessLog, RevealField, SecurityKind
from hotline.tickets.models import Requester, Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff

# Art. 23: the hotline roles that call the requester back or check the handling may see the full values.
HOTLINE_REVEAL_ROLES = frozenset({Role.MANAGER, Role.REVIEWER, Role.FOLLOWUP})
MAX_REASON_CHARS = 500
# What the lead unit's handler may reveal to reach the requester, and the purpose written to the access log.
CONTACT_FIELDS = (RevealField.NAME, RevealField.PHONE)
CONTACT_PURPOSE = "承办单位联系服务对象了解情况、告知办理结果（第十四条第二项、第十五条）"

REFUSALS = {
    "reason_required": "查看完整信息须填写理由",
    "role_not_allowed": "当前角色无权查看完整个人信息",
    "confidential": "保密工单不向热线以外人员显示服务对象信息（第二十三条）",
    "not_lead_unit": "只有牵头承办单位可以查看",
    "ticket_required": "承办单位须通过所承办的工单查看",
}


def mask_ip(raw: str) -> str:
    """`10.2.*.*` for IPv4, the first two groups for IPv6."""
    try:
        address = ipaddress.ip_address((raw or "").strip())
    except ValueError:
        return "*" * len(raw or "")
    if address.version == 4:
        return ".".join(str(address).split(".")[:2] + ["*", "*"])
    return ":".join(address.exploded.split(":")[:2]) + ":*"


MASKERS: dict[str, Callable[[str], str]] = {
    RevealField.NAME: mask_name, RevealField.PHONE: mask_phone, RevealField.ID_NUMBER: mask_id_number,
    RevealField.ADDRESS: mask_address, RevealField.IP: mask_ip,
}


def masked(requester: Requester, field: str) -> str:
    """The value as unit staff see it (`139****4321`, `张**`)."""
    if field not in MASKERS:
        raise InvalidInput("未知的个人信息字段", field="field", code="invalid_field")
    return MASKERS[field](getattr(requester, field))


def _refusal(ticket: Ticket | None, requester: Requester, by: Staff, reason: str, field: str = "") -> str:
    """The refusal code, or '' when `by` may see the full value of `field` ('' for any field)."""
    if not reason:
        return "reason_required"
    if not by.is_active:
        return "role_not_allowed"
    if by.role in HOTLINE_REVEAL_ROLES:
        return ""
    confidential = ticket.is_confidential if ticket else requester.tickets.filter(is_confidential=True).exists()
    if confidential and not by.is_hotline:
        return "confidential"
    if by.role not in (Role.UNIT_MANAGER, Role.UNIT_HANDLER):
        return "role_not_allowed"
    # A handler reveals only what contacting the requester needs, only through the contact action's preset purpose.
    if by.role == Role.UNIT_HANDLER and (field not in CONTACT_FIELDS or reason != CONTACT_PURPOSE):
        return "role_not_allowed"
    if ticket is None:
        return "ticket_required"
    if by.unit_id is None or ticket.lead_unit_id != by.unit_id or not ticket.assignments.filter(
            unit_id=by.unit_id, is_active=True).exists():
        return "not_lead_unit"
    return ""


def may_reveal(ticket: Ticket, by: Staff) -> bool:
    """Whether `by` may reveal any field of this ticket's requester (given a reason): the reasoned reveal form."""
    return ticket.requester is not None and not _refusal(ticket, ticket.requester, by, "理由")


def may_reveal_contact(ticket: Ticket, by: Staff) -> bool:
    """Whether `by` may reveal the name and phone to contact the requester: the one-click action of the lead unit."""
    return ticket.requester is not None and all(
        not _refusal(ticket, ticket.requester, by, CONTACT_PURPOSE, field) for field in CONTACT_FIELDS)


def reveal_contact(ticket: Ticket, *, by: Staff, ip: str | None = None) -> dict[str, str]:
    """The name and phone in full for contacting the requester (Art. 14(2), 15), each logged with the preset
    purpose; Forbidden on a confidential ticket, where the hotline relays instead (Art. 12(1), 23)."""
    return {field: reveal(ticket, field, by=by, reason=CONTACT_PURPOSE, ip=ip) for field in CONTACT_FIELDS}


def reveal(target: Requester | Ticket, field: str, *, by: Staff, reason: str, ip: str | None = None) -> str:
    """The full value of one personal field, or Forbidden; either way one AccessLog row and one security event.

    Call it outside a transaction that the refusal would roll back (views are not atomic), so refusals stay logged.
    """
    if field not in RevealField.values:
        raise InvalidInput("未知的个人信息字段", field="field", code="invalid_field")
    ticket = target if isinstance(target, Ticket) else None
    requester = target.requester if isinstance(target, Ticket) else target
    if requester is None:
        raise InvalidInput("该工单没有服务对象信息", field="field", code="no_requester")
    reason = (reason or "").strip()[:MAX_REASON_CHARS]
    refusal = _refusal(ticket, requester, by, reason, field)
    label = RevealField(field).label
    with transaction.atomic():
        AccessLog.objects.create(at=timezone.now(), staff=by, unit_id=by.unit_id, ticket=ticket, requester=requester,
                                 field=field, reason=reason, allowed=not refusal, refusal=refusal, ip=ip)
        security.record(SecurityKind.REVEAL_REFUSED if refusal else SecurityKind.REVEAL, staff=by, ip=ip,
                        ticket=ticket, detail=f"{label}: {refusal or reason}")
    if refusal:
        raise Forbidden(REFUSALS[refusal], code=f"reveal_{refusal}")
    return str(getattr(requester, field))


def access_log(by: Staff, *, since: dt.datetime | None = None, until: dt.datetime | None = None
               ) -> QuerySet[AccessLog]:
    """The access log for the hotline manager only (Art. 23 accountability)."""
    if not by.is_active or by.role != Role.MANAGER:
        raise Forbidden("只有热线管理员可以查看个人信息查看记录", code="role_not_allowed")
    rows = AccessLog.objects.select_related("staff", "unit", "ticket").order_by("-at", "-id")
    if since is not None:
        rows = rows.filter(at__gte=since)
    if until is not None:
        rows = rows.filter(at__lt=until)
    return rows


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


CSV_HEADER = ["时间", "查看人", "所属单位", "工单编号", "字段", "理由", "结果", "拒绝原因", "来源IP"]


def export_access_log(by: Staff, out: IO[str], *, since: dt.datetime | None = None,
                      until: dt.datetime | None = None, ip: str | None = None) -> int:
    """Write the access log as CSV (UTF-8, Chinese header) for the manager; the export itself is recorded."""
    rows = access_log(by, since=since, until=until)
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    count = 0
    for row in rows.iterator(chunk_size=1000):
        writer.writerow([_cell(v) for v in (
            timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"), row.staff, row.unit or "",
            row.ticket.number if row.ticket else "", RevealField(row.field).label, row.reason,
            "允许" if row.allowed else "拒绝", REFUSALS.get(row.refusal, ""), row.ip or "")])
        count += 1
    security.record(SecurityKind.ACCESS_LOG_EXPORT, staff=by, ip=ip, detail=f"导出{count}条")
    return count
