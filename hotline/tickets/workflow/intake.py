"""Intake (Art. 9-12): a contact registered and accepted or declined, answered, consulted, merged or handed off."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hotline.deadlines.policy import Clock, compute
from hotline.deadlines.store import load_calendar
from hotline.directory.choices import INTAKE_ROLES, UNIT_ROLES, UnitKind
from hotline.directory.models import Topic, Unit, root_platform_id
from hotline.lib.errors import Forbidden, InvalidInput, TransitionNotAllowed
from hotline.lib.privacy import is_valid_phone, normalise_phone
from hotline.tickets.choices import Action, Channel, DeclineReason, EmergencyLine, RequestType, Status
from hotline.tickets.models import ConsultationAnswer, HandOff, Requester, Ticket, TicketCounter

if TYPE_CHECKING:
    from hotline.directory.models import Staff

from hotline.tickets.workflow._core import (
    MAX_CONTENT_CHARS,
    MIN_CONTENT_CHARS,
    _against,
    _cn_number,
    _event,
    _move,
    _readable_by,
    _require_active_unit,
    _require_role,
    _text,
)
from hotline.tickets.workflow.followup import owe_merged_calls


def _next_number(now: dt.datetime) -> str:
    day = timezone.localtime(now).date()
    # The UPDATE takes the row lock, so concurrent intakes get distinct numbers on both databases.
    if not TicketCounter.objects.filter(day=day).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                TicketCounter.objects.create(day=day, last=1)
        except IntegrityError:
            TicketCounter.objects.filter(day=day).update(last=F("last") + 1)
    last = TicketCounter.objects.get(day=day).last
    return f"{day:%Y%m%d}{last:06d}"


def _requester(data: dict[str, Any] | None) -> Requester | None:
    if not data:
        return None
    phone = (data.get("phone") or "").strip()
    if phone and not is_valid_phone(phone):
        raise InvalidInput("电话号码格式不正确", field="requester.phone", code="invalid_phone")
    name = _text(data.get("name"), "requester.name", "姓名", required=False, max_chars=100)
    id_number = _text(data.get("id_number"), "requester.id_number", "证件号码", required=False, max_chars=32)
    address = _text(data.get("address"), "requester.address", "住址", required=False, max_chars=300)
    ip = _ip(data.get("ip"))
    if not (name or phone or id_number or address or ip):
        return None
    return Requester.objects.create(
        name=name, phone=normalise_phone(phone), id_number=id_number, address=address,
        is_company=bool(data.get("is_company")), ip=ip,
    )


def _ip(value: Any) -> str:
    """The source address of a web or app contact, checked before anything else is decided: a wrong one is refused,
    never dropped because no other requester field came with it."""
    text = str(value or "").strip()
    if not text:
        return ""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise InvalidInput("IP地址格式不正确", field="requester.ip", code="invalid_ip") from None


@dataclass(frozen=True)
class Contact:
    """What a requester brought, checked: the fields every intake channel fills (Art. 9, 11)."""

    channel: str
    request_type: str
    content: str
    address: str = ""
    topic: Topic | None = None
    region: Unit | None = None
    requester: dict[str, Any] | None = None
    title: str = ""
    is_confidential: bool = False
    is_complex: bool = False
    upper_due: dt.datetime | None = None  # an upper platform's order: its deadline and mark (Art. 27)
    upper_flag: str = ""


def _checked(contact: Contact) -> Contact:
    if contact.channel not in Channel.values:
        raise InvalidInput("来源渠道不正确", field="channel", code="invalid_channel")
    if contact.request_type not in RequestType.values:
        raise InvalidInput("诉求类型不正确", field="request_type", code="invalid_request_type")
    content = _text(contact.content, "content", "诉求内容", max_chars=MAX_CONTENT_CHARS)
    if len(content) < MIN_CONTENT_CHARS:
        raise InvalidInput(f"诉求内容至少{MIN_CONTENT_CHARS}个字", field="content", code="too_short")
    address = _text(contact.address, "address", "事发地点", required=False, max_chars=300)
    title = _text(contact.title, "title", "标题", required=False, max_chars=120) or content[:30]
    if contact.region is not None and contact.region.kind != UnitKind.COUNTY:
        raise InvalidInput("所属区县必须是县市区", field="region", code="invalid_region")
    # Art. 23: complaints about illegal building, demolition, fumes and noise are confidential without asking.
    confidential = contact.is_confidential or bool(contact.topic and contact.topic.always_confidential)
    return replace(contact, content=content, address=address, title=title, is_confidential=confidential)


def _register(contact: Contact, *, by: Staff | None, now: dt.datetime, **fields: Any) -> Ticket:
    """The ticket row of a registered contact; the caller writes its first event in the same transaction. It is
    received and held at the platform of the desk that took it, or the city platform for a channel without a desk
    (Art. 30); its number comes from one sequence for every platform, so numbers stay unique across them."""
    platform = by.platform_id if by is not None else root_platform_id()
    return Ticket.objects.create(
        number=_next_number(now), channel=contact.channel, request_type=contact.request_type, topic=contact.topic,
        title=contact.title, content=contact.content, address=contact.address, region=contact.region,
        requester=_requester(contact.requester), is_confidential=contact.is_confidential,
        is_complex=contact.is_complex, upper_due=contact.upper_due, upper_flag=contact.upper_flag, created_by=by,
        created_at=now, platform_id=platform, received_by_id=platform, **fields,
    )


def create_ticket(*, by: Staff | None, channel: str, request_type: str, content: str, address: str = "",
                  topic: Topic | None = None, region: Unit | None = None, requester: dict[str, Any] | None = None,
                  title: str = "", is_confidential: bool = False, is_complex: bool = False,
                  suggested_unit: Unit | None = None, data: dict[str, Any] | None = None,
                  upper_due: dt.datetime | None = None, upper_flag: str = "") -> Ticket:
    """Register a contact and accept it: a ticket waiting for dispatch, the 2-hour dispatch clock running (Art. 11,
    13). Its first event is `accept` from no status. Channels reach this through `hotline.channels.intake`."""
    if by is not None:
        _require_role(by, INTAKE_ROLES, Action.ACCEPT)
    contact = _checked(Contact(channel=channel, request_type=request_type, content=content, address=address,
                               topic=topic, region=region, requester=requester, title=title,
                               is_confidential=is_confidential, is_complex=is_complex,
                               upper_due=upper_due, upper_flag=upper_flag))
    now = timezone.now()
    due = compute(load_calendar(), Clock.DISPATCH, now)
    with transaction.atomic():
        ticket = _register(contact, by=by, now=now, status=Status.PENDING_DISPATCH, dispatch_due=due.at,
                           suggested_unit=suggested_unit)
        _event(ticket, Action.ACCEPT, by, frm="", to=Status.PENDING_DISPATCH, at=now, article="第十一条",
               data={"channel": channel, **(data or {})})
    return ticket


def _decline_reason(reason_code: str, explanation: str) -> tuple[str, str]:
    if reason_code not in DeclineReason.values:
        raise InvalidInput("请选择第十条规定的不予受理原因（1-10）", field="reason_code", code="invalid_reason_code")
    return reason_code, _text(explanation, "explanation", "告知服务对象的说明")


def register_declined(*, by: Staff, contact: Contact, reason_code: str, explanation: str,
                      data: dict[str, Any] | None = None) -> Ticket:
    """Register a contact that is not accepted, for one of the ten reasons of Art. 10 with the explanation told to the
    requester. Its one event is `decline` from no status: it was never accepted and runs no dispatch clock."""
    _require_role(by, INTAKE_ROLES, Action.DECLINE)
    reason_code, explanation = _decline_reason(reason_code, explanation)
    contact = _checked(contact)
    now = timezone.now()
    with transaction.atomic():
        ticket = _register(contact, by=by, now=now, status=Status.DECLINED, decline_reason=reason_code,
                           explanation=explanation, closed_at=now)
        _event(ticket, Action.DECLINE, by, frm="", to=Status.DECLINED, at=now, reason=explanation,
               article=f"第十条第{_cn_number(int(reason_code))}项",
               data={"reason_code": reason_code, "channel": contact.channel, **(data or {})})
    return ticket


def decline(ticket: Ticket, *, by: Staff, reason_code: str, explanation: str) -> Ticket:
    """An accepted ticket found, before dispatch, not to be the hotline's: one of the ten reasons of Art. 10, with the
    explanation told to the requester. A contact declined at intake is `register_declined` instead."""
    _require_role(by, INTAKE_ROLES, Action.DECLINE)
    reason_code, explanation = _decline_reason(reason_code, explanation)
    now = timezone.now()
    with transaction.atomic():
        _move(ticket, Action.DECLINE, by, to=Status.DECLINED, now=now, reason=explanation,
              article=f"第十条第{_cn_number(int(reason_code))}项", decline_reason=reason_code, explanation=explanation,
              closed_at=now, data={"reason_code": reason_code})
    return ticket


def answer(ticket: Ticket, *, by: Staff, text: str, article_ref: str = "") -> Ticket:
    """Answered on the spot from the knowledge base, or after consulting a unit (Art. 12.1, 14.1)."""
    _require_role(by, INTAKE_ROLES, Action.ANSWER)
    text = _text(text, "answer", "答复内容")
    now = timezone.now()
    data: dict[str, Any] = {"knowledge_article": article_ref} if article_ref else {}
    if ticket.status == Status.CONSULTING:
        # The 24-hour answer after consulting (Art. 12.1), and the unit consulted.
        data.update(_against(ticket.consult_due, now), consult_unit=ticket.consult_unit_id)
    with transaction.atomic():
        _move(ticket, Action.ANSWER, by, to=Status.ANSWERED, now=now, reason=text, article="第十二条第一项",
              answer=text, closed_at=now, data=data)
    return ticket


def consult(ticket: Ticket, *, by: Staff, unit: Unit, note: str = "") -> Ticket:
    """Consult a unit with the requester's consent and answer within 24 clock hours (Art. 12.1)."""
    _require_role(by, INTAKE_ROLES, Action.CONSULT)
    _require_active_unit(unit, "unit", by=by)
    now = timezone.now()
    due = compute(load_calendar(), Clock.CONSULT, now)
    with transaction.atomic():
        _move(ticket, Action.CONSULT, by, to=Status.CONSULTING, now=now, reason=note, article="第十二条第一项",
              consult_unit=unit, consult_due=due.at, data={"unit": unit.code})
        _readable_by(ticket, [unit], now)  # it may read the ticket from now on, for good (interpretation 89)
    return ticket


def consultation_answered(ticket: Ticket) -> ConsultationAnswer | None:
    """The consulted unit's answer to the running consultation, if it has answered (Art. 12(1))."""
    if ticket.status != Status.CONSULTING or ticket.consult_unit_id is None:
        return None
    since = ticket.events.filter(action=Action.CONSULT).order_by("-at", "-id").values_list("at", flat=True).first()
    answers = ticket.consultation_answers.filter(unit_id=ticket.consult_unit_id)
    if since is not None:
        answers = answers.filter(answered_at__gte=since)
    return answers.order_by("-answered_at").first()


def answer_consultation(ticket: Ticket, *, by: Staff, text: str) -> ConsultationAnswer:
    """The consulted unit answers the hotline's question; the operator then answers the requester within the
    24 hours (Art. 12(1)). One answer per consultation; the ticket stays consulting."""
    _require_role(by, UNIT_ROLES, Action.CONSULT_REPLY)
    if by.unit_id is None or by.unit_id != ticket.consult_unit_id:
        raise Forbidden("只有被咨询的单位可以答复咨询", code="not_consulted_unit")
    text = _text(text, "text", "答复内容")
    if consultation_answered(ticket) is not None:
        raise TransitionNotAllowed("本单位已答复该咨询", code="already_answered")
    now = timezone.now()
    with transaction.atomic():
        # The compare-and-swap on the ticket's version lets one of two simultaneous answers win (the other: 409).
        _move(ticket, Action.CONSULT_REPLY, by, to=Status.CONSULTING, now=now, reason=text, article="第十二条第一项",
              data={"unit": by.unit.code if by.unit else "", **_against(ticket.consult_due, now)})
        return ConsultationAnswer.objects.create(ticket=ticket, unit_id=by.unit_id, text=text, answered_by=by,
                                                 answered_at=now)


def merge(ticket: Ticket, *, by: Staff, into: Ticket, note: str = "") -> Ticket:
    """Join a repeated request to the original ticket; the requester keeps their own follow-up (Art. 10.4)."""
    _require_role(by, INTAKE_ROLES, Action.MERGE)
    while into.merged_into_id is not None:  # merge into the root so chains stay one level deep
        into = Ticket.objects.get(pk=into.merged_into_id)
    if into.pk == ticket.pk:
        raise InvalidInput("不能并入本工单", field="into", code="merge_into_self")
    if into.status in (Status.DECLINED, Status.HANDED_OFF):
        raise InvalidInput("不能并入不予受理或已转出的工单", field="into", code="merge_target_invalid")
    now = timezone.now()
    with transaction.atomic():
        # Tickets already merged into this one follow it to the root, so every chain stays one level deep.
        children = Ticket.objects.filter(merged_into=ticket)
        repointed = list(children.values_list("number", flat=True))
        _move(ticket, Action.MERGE, by, to=Status.MERGED, now=now, reason=note, article="第十条第四项",
              merged_into=into, closed_at=now, data={"into": into.number, "repointed": repointed})
        children.update(merged_into=into)
        owe_merged_calls(into)
    return ticket


def hand_off(ticket: Ticket, *, by: Staff, line: str, summary: str) -> HandOff:
    """Transfer an emergency to 110, 119, 120 or 122 and record time, line, operator and summary (Art. 7)."""
    _require_role(by, INTAKE_ROLES, Action.HAND_OFF)
    if line not in EmergencyLine.values:
        raise InvalidInput("联动线路须为110、119、120或122", field="line", code="invalid_line")
    summary = _text(summary, "summary", "转出摘要")
    now = timezone.now()
    with transaction.atomic():
        _move(ticket, Action.HAND_OFF, by, to=Status.HANDED_OFF, now=now, reason=summary, article="第七条",
              handed_off_to=line, closed_at=now, data={"line": line})
        return HandOff.objects.create(ticket=ticket, line=line, summary=summary, operator=by, at=now)
