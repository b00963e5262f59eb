"""Reporting an upper order's progress back to the provincial platform (Art. 27): each later transition of its
ticket is written as a report and an outbox row in the transition's own transaction, and sent after commit, signed
like every exchange, retried by the outbox; its delivery, attempts and lateness are kept on the report."""

from __future__ import annotations

import datetime as dt
import json
import os
import urllib.request
from typing import Any

from django.conf import settings
from django.utils import timezone

from hotline.exchange.models import ReportBack, UpperOrder
from hotline.exchange.signing import signed_headers
from hotline.tickets.choices import TRANSITIONS, Channel, Status
from hotline.tickets.models import Event, Outbox
from hotline.tickets.outbox import SendFailed

KIND = "exchange.report"
TIMEOUT_SECONDS = 10
# Every transition of the table is reported; alerts (warnings, overdue marks) are ours and stay here.
REPORTED = frozenset(TRANSITIONS)


def on_event(sender: type[Event], instance: Event, created: bool, **kwargs: Any) -> None:
    """A new event of an upper order's ticket that moves it: its report and outbox row, in the same transaction."""
    if not created or kwargs.get("raw") or instance.action not in REPORTED:
        return
    if instance.ticket.channel != Channel.UPPER:  # the ticket is in memory: no query for every other event
        return
    order = UpperOrder.objects.filter(ticket_id=instance.ticket_id).select_related("partner").first()
    if order is None or not order.partner.outbound_url:  # report-back is off for a platform that gave no address
        return
    row = Outbox.objects.create(kind=KIND, payload={"ticket": instance.ticket.number})
    report = ReportBack.objects.create(order=order, event=instance, outbox=row, at=instance.at)
    Outbox.objects.filter(pk=row.pk).update(payload={"ticket": instance.ticket.number, "report": report.pk})


def message(report: ReportBack, message_id: str) -> dict[str, Any]:
    """What the upper platform is told: its id, our number, the action and the status after it; no personal data.
    `message_id` (the outbox row's) is the same on every retry, so the upper platform logs a report once."""
    event = report.event
    return {"message_id": message_id, "external_id": report.order.external_id, "number": report.order.ticket.number,
            "action": event.action, "status": event.to_status, "status_label": Status(event.to_status).label,
            "at": timezone.localtime(event.at).isoformat(), "note": event.reason[:500],
            "handling_due": _iso(report.order.ticket.handling_due)}


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def post(url: str, body: bytes, headers: dict[str, str]) -> None:
    """POST one signed report; any answer other than 2xx, or no answer, is a failure to retry."""
    if not url.startswith(("http://", "https://")):
        raise SendFailed("回传地址必须是 http(s) 地址", permanent=True)
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 (scheme checked)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise SendFailed(f"上级平台返回 {response.status}")
    except OSError as exc:  # refused, timed out, HTTP 4xx/5xx (HTTPError is an OSError)
        raise SendFailed(f"上级平台错误：{exc}") from exc


def send(row: Outbox) -> None:
    """The outbox handler of `exchange.` rows: sign and post the report, and record the attempt on it."""
    report_id = (row.payload or {}).get("report")
    report = (ReportBack.objects.select_related("order__partner", "order__ticket", "event")
              .filter(pk=int(report_id)).first() if isinstance(report_id, int) else None)
    if report is None:
        raise SendFailed("回传记录不存在", permanent=True)
    partner = report.order.partner
    body = json.dumps(message(report, str(row.message_id)), ensure_ascii=False).encode()
    try:
        post(partner.outbound_url, body, signed_headers(prefix=partner.outbound_prefix,
                                                        secret=os.environ.get(partner.outbound_secret_env, ""),
                                                        body=body))
    except SendFailed as exc:
        ReportBack.objects.filter(pk=report.pk).update(attempts=row.attempts, last_error=str(exc)[:1000])
        raise
    now = timezone.now()
    within = dt.timedelta(minutes=settings.EXCHANGE_REPORT_MINUTES)
    ReportBack.objects.filter(pk=report.pk).update(delivered_at=now, attempts=row.attempts, last_error="",
                                                   late=now - report.at > within)
