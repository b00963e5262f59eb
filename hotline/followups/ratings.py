"""Every channel of rating is a follow-up record (Art. 17 全面回访): the citizen portal and SMS replies come here, the
portal and the SMS gateway in `channels` call these; the agent's call is `tickets.workflow.follow_up`.

Precedence in the statistics: a requester's own rating counts until an agent reaches them by phone about the same
ticket later; from then on the call counts and the rating is kept and shown, but not counted (`counted`)."""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, Q, QuerySet

from hotline.lib.errors import Forbidden, InvalidInput
from hotline.tickets import workflow
from hotline.tickets.choices import FollowUpChannel, Satisfaction
from hotline.tickets.models import FollowUp, Ticket
from hotline.tickets.outbox import RATING_PROMPT
from hotline.vault.keys import phone_lookup_hash

RATING_CHANNELS = (FollowUpChannel.PORTAL, FollowUpChannel.SMS)

# The SMS sent at resolution (`tickets.outbox`, kind "sms.rating") reads "回复1 满意 / 2 基本满意 / 3 不满意"; the
# words of all five levels are read too.
SMS_MENU: dict[str, str] = {"1": Satisfaction.SATISFIED, "2": Satisfaction.NEUTRAL, "3": Satisfaction.DISSATISFIED}
SMS_PROMPT = RATING_PROMPT
# Longest first, so 非常不满意 is not read as 不满意 or 满意.
_WORDS = sorted(((str(label), value) for value, label in Satisfaction.choices), key=lambda item: -len(item[0]))


def parse_sms_reply(text: str) -> tuple[str, str]:
    """The satisfaction level an SMS reply chose and the rest of the text as a comment; InvalidInput if none."""
    body = (text or "").strip()
    match = re.match(r"^\s*([1-3])(?!\d)\s*[.、,，:：]?\s*(.*)$", body, re.S)
    if match:
        return SMS_MENU[match.group(1)], match.group(2).strip()
    for word, value in _WORDS:
        if word in body:
            return value, body.replace(word, "", 1).strip(" ，,。.")
    raise InvalidInput("短信回复无法识别为满意度，请回复 1、2 或 3", field="text", code="invalid_satisfaction")


def rate_on_portal(ticket: Ticket, *, satisfaction: str, comment: str = "") -> FollowUp:
    """The requester's rating on the portal, once per ticket (the portal checked the query code)."""
    return workflow.record_rating(ticket, channel=FollowUpChannel.PORTAL, satisfaction=satisfaction,
                                  comment=comment)


def rate_by_sms(ticket: Ticket, *, phone: str, text: str) -> FollowUp:
    """An SMS reply from the requester's own phone: the number must be the ticket's requester's."""
    digest = phone_lookup_hash(phone or "")
    requester = ticket.requester
    if not digest or requester is None or requester.phone_hash != digest:
        raise Forbidden("短信号码与工单服务对象不符", code="phone_mismatch")
    satisfaction, comment = parse_sms_reply(text)
    return workflow.record_rating(ticket, channel=FollowUpChannel.SMS, satisfaction=satisfaction, comment=comment)


def already_rated(ticket: Ticket, channel: str) -> bool:
    return ticket.follow_ups.filter(channel=channel).exists()


def counted(qs: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    """The records statistics count: every call, and a requester's own rating unless a later call reached them."""
    later_call = FollowUp.objects.filter(ticket=OuterRef("ticket"), channel=FollowUpChannel.CALL, reached=True,
                                         at__gte=OuterRef("at"), pk__gt=OuterRef("pk"))
    return qs.filter(Q(channel=FollowUpChannel.CALL) | ~Q(Exists(later_call)))
