"""Sub-centres' data (Art. 7): a utility's or provincial unit's own hotline pushes each of its tickets on every
change; 12345 keeps the ticket as its latest push says, and every push with how timely and complete it was."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hotline.exchange.models import Partner, PushStatus, SubCentrePush, SubCentreTicket
from hotline.exchange.schemas import SubCentreTicketIn
from hotline.lib.errors import InvalidInput

# The fields a push must carry for its status to be complete (Jiangsu scores 完整性 and 内容完整 apart; WAVE2 §8).
REQUIRED: dict[str, tuple[str, ...]] = {
    PushStatus.RECEIVED: ("category", "content"),
    PushStatus.IN_PROGRESS: ("category", "content", "due_at"),
    PushStatus.RESOLVED: ("category", "content", "due_at", "resolved_at", "result"),
    PushStatus.CLOSED: ("category", "content", "due_at", "resolved_at", "result"),
}


def missing_fields(push: SubCentreTicketIn) -> list[str]:
    """The fields this push's status needs and it left empty."""
    return [name for name in REQUIRED[push.status] if getattr(push, name) in (None, "")]


def on_time(event_at: dt.datetime, at: dt.datetime) -> bool:
    """Pushed within the window after the change it reports (Art. 7 实时; the window is a setting)."""
    return at - event_at <= dt.timedelta(minutes=settings.EXCHANGE_PUSH_MINUTES)


def refuse(partner: Partner, body: bytes, error: Exception) -> None:
    """Keep a refused push (its content could not be read) for the quality table; the caller answers the error."""
    SubCentrePush.objects.create(partner=partner, at=timezone.now(), refused=True, error=str(error)[:1000])


def receive(partner: Partner, push: SubCentreTicketIn) -> SubCentreTicket:
    """Take one push: the ticket created or brought up to date, the push recorded with its timeliness and gaps."""
    if partner.unit is None:
        raise InvalidInput("分中心未设置所属单位", code="partner_without_unit")
    if push.resolved_at is not None and push.resolved_at < push.received_at:
        raise InvalidInput("办结时间早于受理时间", field="resolved_at", code="invalid_resolved_at")
    now = timezone.now()
    gaps = missing_fields(push)
    values = {"category": push.category, "content": push.content, "status": push.status,
              "received_at": push.received_at, "due_at": push.due_at, "resolved_at": push.resolved_at,
              "result": push.result, "satisfaction": push.satisfaction, "last_pushed_at": now}
    with transaction.atomic():
        ticket, _ = SubCentreTicket.objects.select_for_update().update_or_create(
            partner=partner, external_id=push.external_id, defaults=values,
            create_defaults={**values, "unit": partner.unit, "first_pushed_at": now})
        SubCentrePush.objects.create(partner=partner, ticket=ticket, at=now, event_at=push.event_at,
                                     status=push.status, on_time=on_time(push.event_at, now),
                                     complete=not gaps, missing=gaps)
    return ticket
