"""The provincial side of the exchange (Art. 27), for a deployment that is itself an upper platform: a ticket
dispatched to the unit that stands for a lower platform is sent down to it as an order, through the outbox (signed,
retried, delivered once because the lower platform keeps one ticket per external id), and the lower platform's
status reports come back signed and are logged once each, per message id, as events on our ticket."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hotline.deadlines.policy import handling_working_days
from hotline.exchange.models import LowerOrder, LowerReport, Partner, PartnerKind
from hotline.exchange.schemas import ReportIn
from hotline.exchange.signing import signed_headers
from hotline.lib.errors import NotFound
from hotline.tickets import workflow
from hotline.tickets.choices import Action
from hotline.tickets.models import Event, Outbox, Ticket
from hotline.tickets.outbox import SendFailed

KIND = "exchange.order"
TIMEOUT_SECONDS = 10
SENDS_DOWN = frozenset({Action.DISPATCH, Action.REDISPATCH})


def on_event(sender: type[Event], instance: Event, created: bool, **kwargs: Any) -> None:
    """A dispatch to a lower platform's unit: the order and its outbox row, in the dispatch's own transaction."""
    if not created or kwargs.get("raw") or instance.action not in SENDS_DOWN:
        return
    partner = Partner.objects.filter(kind=PartnerKind.LOWER, is_active=True,
                                     unit__code=(instance.data or {}).get("lead_unit", "")).first()
    if partner is None:
        return
    order, _created = LowerOrder.objects.get_or_create(partner=partner, ticket=instance.ticket,
                                                       defaults={"created_at": instance.at})
    Outbox.objects.create(kind=KIND, payload={"ticket": instance.ticket.number, "order": order.pk})


def message(ticket: Ticket) -> dict[str, Any]:
    """The order as the lower platform's `POST /api/v1/exchange/orders` reads it; our number is its external id.

    The requester's name, phone and address travel because the lower platform must reach them to handle the
    matter and to follow it up (Art. 15, 17); the identity number and IP address stay here (Art. 23)."""
    body: dict[str, Any] = {
        "external_id": ticket.number, "category": ticket.topic.name if ticket.topic else "",
        "flag": ticket.upper_flag, "request_type": ticket.request_type, "content": ticket.content,
        "title": ticket.title, "address": ticket.address, "is_confidential": ticket.is_confidential,
    }
    if ticket.upper_due is not None:  # an order from further up keeps its deadline on the way down
        body["deadline"] = timezone.localtime(ticket.upper_due).isoformat()
    else:
        statutory = ticket.topic.statutory_working_days if ticket.topic else None
        body["working_days"] = handling_working_days(ticket.request_type, is_complex=ticket.is_complex,
                                                     statutory_days=statutory)[0]
    requester = ticket.requester
    if requester is not None:
        person = {"name": requester.name, "phone": requester.phone, "address": requester.address}
        body["requester"] = {k: v for k, v in person.items() if v} | {"is_company": requester.is_company}
    return body


def post(url: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    """POST one signed order and read the answer; a refusal of its content (400) is not retried."""
    if not url.startswith(("http://", "https://")):
        raise SendFailed("交办地址必须是 http(s) 地址", permanent=True)
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 (scheme checked)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raise SendFailed(f"下级平台返回 {exc.code}：{exc.read()[:300].decode(errors='replace')}",
                         permanent=exc.code == 400) from exc
    except (OSError, ValueError) as exc:  # refused, timed out, an answer that is not JSON
        raise SendFailed(f"下级平台错误：{exc}") from exc
    return answer if isinstance(answer, dict) else {}


def send(row: Outbox) -> None:
    """The outbox handler of `exchange.order` rows: sign and post the order, and record the attempt on it."""
    order_id = (row.payload or {}).get("order")
    order = (LowerOrder.objects.select_related("partner", "ticket__topic", "ticket__requester")
             .filter(pk=int(order_id)).first() if isinstance(order_id, int) else None)
    if order is None:
        raise SendFailed("交办记录不存在", permanent=True)
    partner = order.partner
    body = json.dumps(message(order.ticket), ensure_ascii=False).encode()
    headers = signed_headers(prefix=partner.outbound_prefix, secret=os.environ.get(partner.outbound_secret_env, ""),
                             body=body)
    try:
        answer = post(partner.outbound_url, body, headers)
    except SendFailed as exc:
        LowerOrder.objects.filter(pk=order.pk).update(attempts=row.attempts, last_error=str(exc)[:1000])
        raise
    LowerOrder.objects.filter(pk=order.pk).update(
        delivered_at=timezone.now(), attempts=row.attempts, last_error="",
        remote_number=str(answer.get("number", ""))[:32])


def receive_report(partner: Partner, report: ReportIn) -> tuple[LowerReport, bool]:
    """Log a lower platform's report on our ticket once per message id; True when this request logged it."""
    found = LowerReport.objects.filter(partner=partner, message_id=report.message_id).first()
    if found is not None:
        return found, False
    order = (LowerOrder.objects.select_related("ticket").filter(partner=partner, ticket__number=report.external_id)
             .first())
    if order is None:
        raise NotFound("没有交给该平台的这张工单", code="order_not_found")
    try:
        with transaction.atomic():
            event = workflow.record_lower_report(
                order.ticket, platform=partner.code, action=report.action, status=report.status, at=report.at,
                note=report.note, data={"number": report.number, "status_label": report.status_label,
                                        "message_id": report.message_id})
            created = LowerReport.objects.create(partner=partner, order=order, message_id=report.message_id,
                                                 event=event, action=report.action, status=report.status,
                                                 at=report.at, received_at=event.at)
    except IntegrityError:
        # The same report arrived twice at once: the other request logged it.
        return LowerReport.objects.get(partner=partner, message_id=report.message_id), False
    return created, True
