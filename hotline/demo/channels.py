"""Demo records for the intake desk's side tables: NPC deputies with their ledger (Art. 18) and nuisance flags
(Art. 29), so those screens have something to show."""

from __future__ import annotations

import datetime as dt

from hotline.channels import desk
from hotline.channels.models import DeputyTicket, FlagState, NuisanceFlag
from hotline.directory.models import Staff
from hotline.lib.privacy import mask_phone
from hotline.privacy.keys import phone_lookup_hash
from hotline.tickets.choices import Channel
from hotline.tickets.models import Ticket

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
