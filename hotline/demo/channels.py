"""Demo records for the intake desk's side tables: NPC deputies with their ledger (Art. 18), nuisance flags
(Art. 29) and a growing hotspot (Art. 24.2), so those screens have something to show."""

from __future__ import annotations

import datetime as dt

import time_machine

from hotline.channels import desk
from hotline.channels.models import DeputyTicket, FlagState, NuisanceFlag
from hotline.directory.models import Staff, Topic, Unit
from hotline.lib.privacy import mask_phone
from hotline.tickets import workflow
from hotline.tickets.choices import Channel
from hotline.tickets.models import Ticket
from hotline.vault.keys import phone_lookup_hash

DEPUTIES = [("刘建国", "双清区代表团", "city", "13807390001"), ("王秀英", "邵东市代表团", "city", "13807390002"),
            ("陈志强", "隆回县代表团", "county", "13807390003")]


def build(staff: dict[str, Staff], *, now: dt.datetime) -> None:
    """Register the deputies, enter the deputy-channel tickets in their ledger, and raise two nuisance flags."""
    deputies = [desk.register_deputy(name=name, delegation=delegation, level=level, phone=phone)
                for name, delegation, level, phone in DEPUTIES]
    for index, ticket in enumerate(Ticket.objects.filter(channel=Channel.DEPUTY).order_by("created_at")):
        DeputyTicket.objects.create(deputy=deputies[index % len(deputies)], ticket=ticket,
                                    recorded_at=ticket.created_at)
    operator, manager = staff["operator"], staff["manager"]
    for phone, kind, evidence, state in (
        ("13907399999", "repeat", "近30天来电41次，均为同一已办结事项，无新情况；录音 R-20261102-0153 等",
         FlagState.CONFIRMED),
        ("13707398888", "abuse", "11月20日来电辱骂话务员，录音 R-20261120-0877", FlagState.PENDING),
    ):
        NuisanceFlag.objects.create(
            phone_hash=phone_lookup_hash(phone), phone_masked=mask_phone(phone), kind=kind, evidence=evidence,
            raised_by=operator, raised_at=now - dt.timedelta(days=3), state=state,
            reviewed_by=manager if state == FlagState.CONFIRMED else None,
            reviewed_at=now - dt.timedelta(days=2) if state == FlagState.CONFIRMED else None)


# A cluster of calls about one broken street-light row, growing over four days: the hotspots page (Art. 24.2) and the
# desk alert have something to show.
HOTSPOT_CALLS = [
    (4, "宝庆路中段路灯一排不亮，晚上很黑"), (2, "宝庆路中段路灯一排不亮好几天了，行人不安全"),
    (1, "宝庆路中段路灯一排还是不亮，老人晚上出门摔倒了"), (1, "宝庆路中段路灯一排不亮，小区居民反映多次"),
    (0, "宝庆路中段路灯一排全部不亮，请尽快处理"),
]


def build_hotspot(staff: dict[str, Staff], topics: dict[str, Topic], region: Unit, *, now: dt.datetime) -> None:
    """Register the calls of HOTSPOT_CALLS at past moments through the workflow, waiting for dispatch."""
    for index, (days_ago, content) in enumerate(HOTSPOT_CALLS):
        at = now - dt.timedelta(days=days_ago, hours=2 + index)
        with time_machine.travel(at, tick=False):
            workflow.create_ticket(
                by=staff["operator"], channel=Channel.PHONE, request_type="complaint", content=content,
                address="双清区龙须塘街道宝庆路", topic=topics.get("0202"), region=region,
                requester={"name": "市民", "phone": f"1390739{index:04d}"})
