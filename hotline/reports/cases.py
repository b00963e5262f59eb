"""Typical cases of the monthly bulletin (Art. 26 典型案例): tickets the manager chooses by number, each printed with
its topic, lead unit, a short summary of the request and the outcome, and no personal data (Art. 23).

A chosen ticket must exist in the manager's scope and have been received (accepted or declined at intake) or
resolved (reply approved) in the month. The summary and outcome are the ticket's own words, shortened, with the
requester's name and any phone or ID number in them masked (`hotline.lib.privacy`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from hotline.lib.errors import InvalidInput, NotFound
from hotline.lib.privacy import mask_id_number, mask_name, mask_phone
from hotline.reports.facts import Period
from hotline.tickets.access import access_ticket
from hotline.tickets.choices import Action, ReviewState
from hotline.tickets.models import Event, Ticket

if TYPE_CHECKING:
    from hotline.directory.models import Staff

FIELD = "typical_tickets"
MAX_CASES = 10
SUMMARY_CHARS = 80
# An 18-character ID number (the last may be X), a mainland mobile, a landline with area code: matched as whole
# runs of digits so a ticket number (14 digits) or an amount is left alone.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")


@dataclass(frozen=True)
class Choice:
    """One ticket the manager chose, with their comment on it (may be empty)."""

    number: str
    comment: str = ""


def parse(text: str) -> list[Choice]:
    """One case per line: the ticket number, then optionally the manager's comment after a space."""
    choices = []
    for line in (text or "").splitlines():
        number, _, comment = line.strip().partition(" ")
        if number:
            choices.append(Choice(number=number, comment=comment.strip()))
    return choices


def _in_month(ticket: Ticket, period: Period) -> bool:
    low, high = period.bounds
    received = Q(action__in=(Action.ACCEPT, Action.DECLINE), from_status="")
    resolved = Q(action=Action.REVIEW_REPLY, data__approved=True)
    return Event.objects.filter(received | resolved, ticket=ticket, at__gte=low, at__lt=high).exists()


def validate(choices: list[Choice], *, by: Staff, year: int, month: int) -> list[dict[str, str]]:
    """The choices as stored on the month (number and comment), each checked; InvalidInput names the first bad one."""
    if len(choices) > MAX_CASES:
        raise InvalidInput(f"典型案例最多选取{MAX_CASES}件", field=FIELD, code="too_many_cases")
    period, seen, out = Period.month(year, month), set(), []
    for choice in choices:
        if choice.number in seen:
            raise InvalidInput(f"工单{choice.number}重复选取", field=FIELD, code="case_repeated")
        seen.add(choice.number)
        try:
            ticket = access_ticket(by, choice.number)
        except NotFound:
            raise InvalidInput(f"工单{choice.number}不存在或不在您的查看范围内", field=FIELD,
                               code="case_not_found") from None
        if not _in_month(ticket, period):
            raise InvalidInput(f"工单{choice.number}不是{year}年{month}月受理或办结的工单", field=FIELD,
                               code="case_not_in_month")
        out.append({"number": choice.number, "comment": choice.comment})
    return out


def scrub(text: str, names: tuple[str, ...] = ()) -> str:
    """`text` with ID numbers, phone numbers and the given names masked (Art. 23)."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text or "")
    text = _PHONE.sub(lambda m: mask_phone(m.group()), text)
    for name in names:
        if len(name) >= 2:
            text = text.replace(name, mask_name(name))
    return text


def _short(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS] + "……"


def _outcome(ticket: Ticket) -> str:
    reply = ticket.replies.filter(state=ReviewState.APPROVED).order_by("-reviewed_at", "-id").first()
    if reply is not None:
        return reply.result
    return ticket.answer or ticket.explanation or f"{ticket.get_status_display()}（尚无办理结果）"


def case(stored: dict[str, Any]) -> dict[str, str]:
    """One chosen case as the bulletin prints it: number, topic, lead unit, summary, outcome, comment."""
    ticket = Ticket.objects.select_related("topic", "lead_unit", "requester").get(number=stored["number"])
    names = (ticket.requester.name.strip(),) if ticket.requester and ticket.requester.name else ()
    return {
        "number": ticket.number,
        "topic": ticket.topic.name if ticket.topic else "未分类",
        "lead_unit": ticket.lead_unit.name if ticket.lead_unit else "热线直接办理",
        # Masked before shortening, so a number cut at the end cannot slip past the mask half-written.
        "summary": _short(scrub(ticket.content, names)),
        "outcome": _short(scrub(_outcome(ticket), names)),
        "comment": scrub(stored.get("comment", ""), names),
    }
