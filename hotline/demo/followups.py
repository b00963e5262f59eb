"""Demo follow-up records from every channel and appeals (Art. 17, 25), made through the real services at past
moments: portal and SMS ratings beside the calls, an appeal upheld, one rejected and one waiting for review, so the
follow-up desk, the appeal queue and the ledger have something to show."""

from __future__ import annotations

import datetime as dt
import io

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hotline.demo.directory import handler_username
from hotline.directory.models import Staff
from hotline.followups import appeals, ratings
from hotline.lib.errors import DomainError
from hotline.tickets import workflow
from hotline.tickets.choices import EvidenceKind, FollowUpChannel, Status
from hotline.tickets.models import FollowUp, Ticket

# (ground, statement, decision: True upheld, False rejected, None pending, the reviewer's reason)
APPEALS = [
    ("untrue", "服务对象称无人联系，经查我局已于办理当日两次电话联系并上门查看，附通话记录截图。", True,
     "通话记录与上门照片属实，回访结论与事实不符，申诉成立。"),
    ("policy", "诉求涉及的老旧小区加装电梯补贴尚无政策依据，已向服务对象解释并告知政策出台后优先办理。", False,
     "未提供告知解决期限的材料，不符合第十五条第二款，申诉不成立。"),
    ("lawful_handling", "邻里纠纷已依法调解两次，双方未达成一致，已告知可通过诉讼途径解决，附调解记录。", None, ""),
]


def _proof(name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (24, 24), (200, 220, 240)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _at(moment: dt.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


def build(staff: dict[str, Staff], *, now: dt.datetime) -> None:
    """On the tickets waiting for their follow-up, oldest first: three dissatisfied calls that the units appeal, then
    portal and SMS ratings on the next ones, which stay on the follow-up desk for the agent to call."""
    resolved = [t for t in Ticket.objects.filter(status=Status.RESOLVED, requester__isnull=False,
                                                 lead_unit__isnull=False).order_by("resolved_at")]
    appealed = 0
    for ticket in resolved[:max(0, len(resolved) - 2)]:  # two stay resolved, waiting on the desk
        if appealed == len(APPEALS):
            break
        start = _last_event_at(ticket) + dt.timedelta(minutes=40)
        if start + dt.timedelta(hours=6) >= now:
            break
        _dissatisfied_and_appealed(ticket, staff, start, APPEALS[appealed])
        appealed += 1
    # A small history has few tickets left waiting: the rest are appeals of a dissatisfied portal rating left on a
    # filed ticket (a requester may rate after the call; Art. 25 covers any dissatisfied rating).
    closed = Ticket.objects.filter(status=Status.CLOSED, requester__isnull=False, lead_unit__isnull=False,
                                   closed_at__lt=now - dt.timedelta(hours=8)).order_by("-closed_at")
    for ticket in closed[:len(APPEALS) - appealed]:
        with _at(_last_event_at(ticket) + dt.timedelta(minutes=40)):
            fu = ratings.rate_on_portal(ticket, satisfaction="1", comment="问题没有解决")
        ground, statement, decision, reason = APPEALS[appealed]
        _appeal(fu, staff, ground=ground, statement=statement, decision=decision, reason=reason)
        appealed += 1
    rated = list(resolved[appealed:appealed + 4])
    used = set(FollowUp.objects.exclude(channel=FollowUpChannel.CALL).values_list("ticket_id", flat=True))
    rated += [t for t in Ticket.objects.filter(status=Status.CLOSED, requester__isnull=False).exclude(pk__in=used)
              .order_by("-closed_at")[:2]]
    for index, ticket in enumerate(rated):
        # After the ticket's last event, so its history stays in time order.
        moment = min(now - dt.timedelta(minutes=1), _last_event_at(ticket) + dt.timedelta(minutes=40))
        if moment <= _last_event_at(ticket):
            continue
        with _at(moment):
            if index % 2 == 0:
                ratings.rate_on_portal(ticket, satisfaction="2" if index == 0 else "4",
                                       comment="路灯修了又坏" if index == 0 else "处理及时")
            else:
                workflow.record_rating(ticket, channel=FollowUpChannel.SMS, satisfaction="4" if index == 1 else "3",
                                       comment="谢谢")


def _dissatisfied_and_appealed(ticket: Ticket, staff: dict[str, Staff], start: dt.datetime,
                               plan: tuple[str, str, bool | None, str]) -> None:
    ground, statement, decision, reason = plan
    fault = {"untrue": "requester", "policy": "policy", "lawful_handling": "objective"}.get(ground, "requester")
    with _at(start):
        fu = workflow.follow_up(ticket, by=staff["followup"], reached=True, satisfaction="2", solved=False,
                                unit_contacted=True, unit_contact_method="phone", fault=fault,
                                note="服务对象对处理结果不满意")
    _appeal(fu, staff, ground=ground, statement=statement, decision=decision, reason=reason)


def _last_event_at(ticket: Ticket) -> dt.datetime:
    last = ticket.events.order_by("-at", "-id").values_list("at", flat=True).first()
    return last or ticket.created_at


def _appeal(fu: FollowUp, staff: dict[str, Staff], *, ground: str, statement: str, decision: bool | None,
            reason: str) -> None:
    unit = fu.ticket.lead_unit
    handler = Staff.objects.filter(username=handler_username(unit)).first() if unit is not None else None
    if handler is None:
        return
    try:
        with _at(fu.at + dt.timedelta(hours=2)):
            filed = appeals.file_appeal(fu, by=handler, ground=ground, statement=statement, evidence=[
                appeals.Evidence(_proof("通话记录.png"), EvidenceKind.CONTACT_PROOF)])
        if decision is not None:
            with _at(fu.at + dt.timedelta(hours=5)):
                appeals.review_appeal(filed, by=staff["reviewer"], approve=decision, note=reason)
    except DomainError:
        return  # a story whose rating cannot be appealed (e.g. its window) is simply left without one
