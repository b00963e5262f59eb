"""Orders from the provincial platform (上级交办, Art. 27): taken once per external id through the one intake
service, the upper deadline stored on the ticket so the handling clock runs to the earlier of it and the local rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from hotline.channels import intake
from hotline.channels.services import lookup_code
from hotline.deadlines.policy import Clock, compute
from hotline.deadlines.store import load_calendar
from hotline.directory.choices import UnitKind
from hotline.directory.models import Topic, Unit
from hotline.exchange.models import Partner, UpperOrder
from hotline.exchange.schemas import OrderIn
from hotline.lib.errors import InvalidInput
from hotline.tickets.choices import Channel
from hotline.tickets.workflow import Contact


@dataclass(frozen=True)
class Taken:
    """The order and whether this request created it (False: the same external id came before)."""

    order: UpperOrder
    created: bool


def upper_due(order: OrderIn, now: dt.datetime) -> dt.datetime:
    """The upper platform's deadline: the moment it gave, or its working days counted with our calendar from now."""
    if (order.deadline is None) == (order.working_days is None):
        raise InvalidInput("deadline 与 working_days 须且只须提供一项", field="deadline", code="deadline_ambiguous")
    if order.deadline is not None:
        return order.deadline
    assert order.working_days is not None
    return compute(load_calendar(), Clock.HANDLING, now, amount=order.working_days).at


def take_order(partner: Partner, order: OrderIn) -> Taken:
    """Register an order as a ticket of the 上级交办 channel, once: the same external id again answers the first."""
    found = UpperOrder.objects.filter(partner=partner, external_id=order.external_id).select_related("ticket").first()
    if found is not None:
        return Taken(found, created=False)
    now = timezone.now()
    due = upper_due(order, now)
    contact = Contact(
        channel=Channel.UPPER, request_type=order.request_type, content=order.content, address=order.address,
        topic=lookup_code(Topic, order.topic, "topic", "事项分类"),
        region=lookup_code(Unit, order.region, "region", "所属区县", kind=UnitKind.COUNTY),
        requester=order.requester.model_dump(exclude_none=True) if order.requester else None, title=order.title,
        is_confidential=order.is_confidential, upper_due=due, upper_flag=order.flag,
    )
    try:
        with transaction.atomic():
            ticket = intake.take(contact, by=None)
            created = UpperOrder.objects.create(partner=partner, external_id=order.external_id, ticket=ticket,
                                                category=order.category, flag=order.flag, upper_due=due,
                                                received_at=now)
    except IntegrityError:
        # The same order arrived twice at once: the other request created it; answer that one.
        return Taken(UpperOrder.objects.select_related("ticket").get(partner=partner,
                                                                     external_id=order.external_id), created=False)
    return Taken(created, created=True)
