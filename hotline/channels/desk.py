"""The operator's intake desk services: caller history, nuisance flags, emergencies and deputies.

Repeated requests (Art. 10.4; 并单) are found by `hotline.intake.repeats.find_repeats`, over the similar-ticket index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hotline.channels.deputies import save_deputy, serving
from hotline.channels.models import Deputy, DeputyTicket, FlagState, NuisanceFlag
from hotline.directory.choices import Role
from hotline.directory.models import Staff, Topic, Unit
from hotline.followups import appeal_evidence
from hotline.followups.models import Appeal
from hotline.lib.errors import Conflict, Forbidden, InvalidInput
from hotline.lib.privacy import mask_phone
from hotline.tickets.models import Ticket
from hotline.vault.keys import phone_lookup_hash as phone_hash


def caller_history(phone: str, *, limit: int = 20) -> list[Ticket]:
    """The caller's earlier tickets, newest first, found by the keyed phone hash (no decryption)."""
    digest = phone_hash(phone)
    if not digest:
        return []
    return list(Ticket.objects.filter(requester__phone_hash=digest).select_related("lead_unit", "topic")
                .order_by("-created_at")[:limit])


def nuisance_flags(phone: str) -> list[NuisanceFlag]:
    """Confirmed and pending flags on this number, for the warning at intake (Art. 29)."""
    digest = phone_hash(phone)
    if not digest:
        return []
    return list(NuisanceFlag.objects.filter(phone_hash=digest).exclude(state=FlagState.DISMISSED)
                .order_by("-raised_at"))


def flags_for_appeal(appeal: Appeal) -> list[appeal_evidence.Record]:
    """The nuisance flags on the appealed ticket's requester, or naming the ticket, not dismissed: the evidence a
    reviewer weighs on an appeal on the ground of a malicious request (Art. 25, 29)."""
    ticket = appeal.ticket
    digest = ticket.requester.phone_hash if ticket.requester_id and ticket.requester else ""
    match = Q(tickets=ticket) | (Q(phone_hash=digest) if digest else Q(pk__in=[]))
    flags = (NuisanceFlag.objects.filter(match).exclude(state=FlagState.DISMISSED).distinct()
             .select_related("raised_by").order_by("-raised_at"))
    return [appeal_evidence.Record(title=f"{flag.get_kind_display()}（{flag.phone_masked}）",
                                   state=flag.get_state_display(), at=flag.raised_at, by=str(flag.raised_by),
                                   detail=flag.evidence) for flag in flags]


def raise_flag(*, by: Staff, phone: str, kind: str, evidence: str, tickets: Sequence[Ticket] = ()) -> NuisanceFlag:
    """An operator flags a caller with evidence; the hotline manager reviews it (Art. 29)."""
    if not by.is_hotline:
        raise Forbidden("只有热线工作人员可以标记骚扰来电", code="role_not_allowed")
    digest = phone_hash(phone)
    if not digest:
        raise InvalidInput("请填写来电号码", field="phone", code="required")
    evidence = (evidence or "").strip()
    if len(evidence) < 4:
        raise InvalidInput("请写明证据：来电次数、日期、录音编号等", field="evidence", code="evidence_required")
    if kind not in {"repeat", "abuse", "occupy"}:
        raise InvalidInput("标记类型不正确", field="kind", code="invalid_kind")
    with transaction.atomic():
        flag = NuisanceFlag.objects.create(phone_hash=digest, phone_masked=mask_phone(phone), kind=kind,
                                           evidence=evidence, raised_by=by, raised_at=timezone.now())
        flag.tickets.set(tickets)
    return flag


def review_flag(flag: NuisanceFlag, *, by: Staff, confirm: bool, note: str = "") -> NuisanceFlag:
    """The hotline manager confirms or dismisses a flag; only a pending flag can be reviewed."""
    if by.role != Role.MANAGER:
        raise Forbidden("只有热线管理员可以审核骚扰来电标记", code="role_not_allowed")
    state = FlagState.CONFIRMED if confirm else FlagState.DISMISSED
    changed = NuisanceFlag.objects.filter(pk=flag.pk, state=FlagState.PENDING).update(
        state=state, reviewed_by=by, reviewed_at=timezone.now(), review_note=(note or "").strip())
    if changed != 1:
        raise Conflict("该标记已审核", code="already_reviewed")
    flag.refresh_from_db()
    return flag


def emergency_unit(topic: Topic | None) -> Unit | None:
    """The city unit that takes the topic's emergency category (Art. 12.2): the unit registered for the category,
    else the topic's own unit; None when the topic is not an emergency."""
    if topic is None or not topic.emergency_category:
        return None
    unit = Unit.objects.filter(handles_emergency=topic.emergency_category, is_active=True).first()
    return unit or topic.default_unit


def deputy_for(phone: str) -> Deputy | None:
    """The serving NPC deputy calling from either of their numbers, if any; a deputy whose term has ended is not
    recognised (Art. 18)."""
    digest = phone_hash(phone)
    if not digest:
        return None
    return Deputy.objects.filter(Q(phone_hash=digest) | Q(other_phone_hash=digest), serving()).first()


def register_deputy(*, name: str, delegation: str, level: str, phone: str, term_start: dt.date | None = None,
                    term_end: dt.date | None = None) -> Deputy:
    """Add a deputy to the information base (Art. 18); the phone is kept encrypted beside its hash and mask."""
    if not phone_hash(phone):
        raise InvalidInput("请填写代表的联系电话", field="phone", code="required")
    deputy, _created = save_deputy({"name": name.strip(), "delegation": delegation.strip(), "level": level,
                                    "phone": phone, "term_start": term_start, "term_end": term_end})
    return deputy


def record_deputy_ticket(deputy: Deputy, ticket: Ticket) -> DeputyTicket:
    """Enter a deputy's ticket in the ledger (工作台账, Art. 18)."""
    entry, _ = DeputyTicket.objects.get_or_create(deputy=deputy, ticket=ticket,
                                                  defaults={"recorded_at": timezone.now()})
    return entry


# Cue words for the request type (Art. 9, 14), checked in order: the first cue found decides, and is the reason shown.
_TYPE_CUES: list[tuple[str, tuple[str, ...]]] = [
    ("report", ("举报", "检举", "非法", "违法")),
    ("complaint", ("投诉", "不作为", "乱收费", "态度恶劣", "扰民")),
    ("praise", ("表扬", "感谢", "锦旗", "点赞")),
    ("suggestion", ("建议", "希望增设", "提议")),
    ("consultation", ("咨询", "请问", "怎么办理", "如何办理", "需要什么材料", "是否可以", "多少钱")),
]


def suggest_request_type(content: str) -> tuple[str, str]:
    """A request type for the text and the words that suggest it; help (求助) when no cue is present."""
    for request_type, cues in _TYPE_CUES:
        found = [cue for cue in cues if cue in (content or "")]
        if found:
            return request_type, f"含“{'、'.join(found[:3])}”"
    return "help", "未见咨询、投诉、举报、建议、表扬用语，按求助处理"
