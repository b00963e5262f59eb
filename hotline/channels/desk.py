"""The operator's intake desk services: caller history, repeated requests, nuisance flags, emergencies, deputies.

Repeated requests (Art. 10.4; 并单): a new contact from the same requester about the same matter while the first is
open, or closed with no new facts, is merged into it or declined with a link. The score combines the phone hash,
the text and the place, and the operator sees and can overrule it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from hotline.channels.models import Deputy, DeputyTicket, FlagState, NuisanceFlag
from hotline.directory.choices import Role
from hotline.directory.models import Staff, Topic, Unit
from hotline.lib.errors import Conflict, Forbidden, InvalidInput
from hotline.lib.privacy import mask_phone
from hotline.tickets.choices import Status
from hotline.tickets.models import Ticket
from hotline.vault.keys import phone_lookup_hash as phone_hash

REPEAT_WINDOW = dt.timedelta(days=90)
REPEAT_THRESHOLD = 0.55  # at or above: the desk proposes merging; the operator decides
_MAX_CANDIDATES = 400
# Weights of the repeat score; text similarity carries most, the same caller and the same place add to it.
W_TEXT, W_PHONE, W_PLACE = 0.6, 0.25, 0.15


@dataclass
class RepeatCandidate:
    """An earlier ticket that may be the same matter, with its score and the reasons the operator sees."""

    ticket: Ticket
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def proposed(self) -> bool:
        return self.score >= REPEAT_THRESHOLD


def caller_history(phone: str, *, limit: int = 20) -> list[Ticket]:
    """The caller's earlier tickets, newest first, found by the keyed phone hash (no decryption)."""
    digest = phone_hash(phone)
    if not digest:
        return []
    return list(Ticket.objects.filter(requester__phone_hash=digest).select_related("lead_unit", "topic")
                .order_by("-created_at")[:limit])


_PUNCT = set("，。！？；：、,.!?;:（）()《》“”\"' \n\t")


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if c not in _PUNCT]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def _containment(a: set[str], b: set[str]) -> float:
    """Share of the shorter text's character bigrams found in the other: a paraphrase keeps its key pairs."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _place_match(a: str, b: str, region_a: int | None, region_b: int | None) -> bool:
    if a and b and (a in b or b in a or a[:8] == b[:8]):
        return True
    return bool(region_a and region_a == region_b)


def find_repeats(*, content: str, phone: str = "", address: str = "", region: Unit | None = None,
                 now: dt.datetime | None = None, exclude: Ticket | None = None) -> list[RepeatCandidate]:
    """Earlier tickets that may be the same matter, best first (at most five)."""
    content = (content or "").strip()
    if len(content) < 4:
        return []
    now = now or timezone.now()
    digest = phone_hash(phone) if phone else ""
    pool = (Ticket.objects.filter(created_at__gte=now - REPEAT_WINDOW)
            .exclude(status__in=[Status.DECLINED, Status.MERGED, Status.HANDED_OFF])
            .select_related("lead_unit", "requester").order_by("-created_at"))
    if exclude is not None:
        pool = pool.exclude(pk=exclude.pk)
    candidates = list(pool[:_MAX_CANDIDATES])
    if not candidates:
        return []
    # Character bigrams suit short Chinese texts without a segmenter; fitted on this small pool only.
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True)
    matrix = vectorizer.fit_transform([content] + [t.content for t in candidates])
    sims = cosine_similarity(matrix[0], matrix[1:]).ravel()
    query_grams = _bigrams(content)
    scored = []
    for ticket, cosine in zip(candidates, sims, strict=True):
        sim = max(float(cosine), _containment(query_grams, _bigrams(ticket.content)))
        same_phone = bool(digest and ticket.requester and ticket.requester.phone_hash == digest)
        same_place = _place_match(address, ticket.address, region.pk if region else None, ticket.region_id)
        score = W_TEXT * sim + W_PHONE * same_phone + W_PLACE * same_place
        if score < 0.3:
            continue
        reasons = [f"内容相似度 {sim:.2f}"]
        if same_phone:
            reasons.append("同一来电号码")
        if same_place:
            reasons.append("同一地点或区县")
        scored.append(RepeatCandidate(ticket=ticket, score=round(score, 3), reasons=reasons))
    scored.sort(key=lambda c: c.score, reverse=True)
    return scored[:5]


def nuisance_flags(phone: str) -> list[NuisanceFlag]:
    """Confirmed and pending flags on this number, for the warning at intake (Art. 29)."""
    digest = phone_hash(phone)
    if not digest:
        return []
    return list(NuisanceFlag.objects.filter(phone_hash=digest).exclude(state=FlagState.DISMISSED)
                .order_by("-raised_at"))


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
    """The active NPC deputy calling from this number, if any (Art. 18)."""
    digest = phone_hash(phone)
    return Deputy.objects.filter(phone_hash=digest, is_active=True).first() if digest else None


def register_deputy(*, name: str, delegation: str, level: str, phone: str) -> Deputy:
    """Add a deputy to the information base (Art. 18); the phone is kept only as hash and mask."""
    if not phone_hash(phone):
        raise InvalidInput("请填写代表的联系电话", field="phone", code="required")
    return Deputy.objects.create(name=name.strip(), delegation=delegation.strip(), level=level,
                                 phone_hash=phone_hash(phone), phone_masked=mask_phone(phone))


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
