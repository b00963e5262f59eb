"""Repeated requests (并单, 第十条第四项): earlier tickets that may be the same matter as the call being taken.

A new contact from the same requester about the same matter while the first is open, or closed with no new facts, is
merged into it or declined with a link. The score combines the text, the phone hash and the place, and the operator
sees the reasons and can overrule it. The text side is the indexed similar-ticket engine (`similar.py`), so every
ticket of the window is searched, not only the latest few hundred; the caller's own tickets and those the index has
not read yet are scored directly with the same measure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from hotline.directory.models import Unit
from hotline.intake.similar import similar_ids, text_similarity
from hotline.tickets.choices import Status
from hotline.tickets.models import Ticket
from hotline.tickets.selectors import statuses_at
from hotline.vault.keys import phone_lookup_hash as phone_hash

REPEAT_WINDOW = dt.timedelta(days=90)
REPEAT_THRESHOLD = 0.55  # at or above: the desk proposes merging; the operator decides
MIN_SCORE = 0.3  # below this a candidate is not worth the operator's attention
# Weights of the repeat score; text similarity carries most, the same caller and the same place add to it.
W_TEXT, W_PHONE, W_PLACE = 0.6, 0.25, 0.15
SHOWN = 5
# Text matches asked of the index: more than are shown, since some turn out declined, merged or handed off.
TEXT_MATCHES = 30
# A caller's own tickets are always scored; a caller with more in the window is a nuisance case (Art. 29), and the
# latest ones are those a repeat would join.
CALLER_TICKETS = 200
# A declined, merged or handed-off ticket is not followed up here: a repeat joins the ticket it was merged into.
NOT_MERGEABLE = [Status.DECLINED, Status.MERGED, Status.HANDED_OFF]


@dataclass
class RepeatCandidate:
    """An earlier ticket that may be the same matter, with its score and the reasons the operator sees."""

    ticket: Ticket
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def proposed(self) -> bool:
        return self.score >= REPEAT_THRESHOLD


def find_repeats(*, content: str, phone: str = "", address: str = "", region: Unit | None = None,
                 now: dt.datetime | None = None, exclude: Ticket | None = None, phone_digest: str = "",
                 before: dt.datetime | None = None) -> list[RepeatCandidate]:
    """Earlier tickets that may be the same matter, best first (at most five). `phone_digest` stands for `phone` when
    only the stored hash is known; `before` leaves out tickets taken at or after it and reads each candidate's status
    as it was then (measuring on past merges)."""
    content = (content or "").strip()
    if len(content) < 4:
        return []
    since = (now or timezone.now()) - REPEAT_WINDOW
    digest = phone_hash(phone) if phone else phone_digest
    pool = _pool(content, digest=digest, since=since, exclude=exclude, before=before)
    # Content against content: the place has its own weight, and an address in the text would count it twice.
    sims = text_similarity(content, [t.content for t in pool])
    region_id = region.pk if region else None
    scored = [_score(ticket, sim, digest=digest, address=address, region_id=region_id)
              for ticket, sim in zip(pool, sims, strict=True)]
    best = sorted((c for c in scored if c.score >= MIN_SCORE), key=lambda c: c.score, reverse=True)
    return best[:SHOWN]


def _pool(content: str, *, digest: str, since: dt.datetime, exclude: Ticket | None,
          before: dt.datetime | None = None) -> list[Ticket]:
    """Tickets of the window worth scoring: the engine's text matches and unread tickets, and the caller's own."""
    excluded = [exclude.pk] if exclude is not None else []
    window = Q(created_at__gte=since) & (Q(created_at__lt=before) if before is not None else Q())
    wanted = Q(pk__in=similar_ids(content, since=since, limit=TEXT_MATCHES, exclude=excluded, until=before))
    if digest:
        own = (Ticket.objects.filter(window, requester__phone_hash=digest)
               .order_by("-created_at").values_list("pk", flat=True)[:CALLER_TICKETS])
        wanted |= Q(pk__in=list(own))
    tickets = (Ticket.objects.filter(wanted, window).exclude(pk__in=excluded)
               .select_related("lead_unit", "requester").order_by("-created_at"))
    if before is None:
        return list(tickets.exclude(status__in=NOT_MERGEABLE))
    # Measuring a past merge: what could be merged into then, replayed from the event log (a ticket declined or
    # merged since was a candidate at the time; one without events keeps its status of today).
    pool = list(tickets)
    then = statuses_at([t.pk for t in pool], before)
    return [t for t in pool if then.get(t.pk, t.status) not in NOT_MERGEABLE]


def _score(ticket: Ticket, sim: float, *, digest: str, address: str, region_id: int | None) -> RepeatCandidate:
    sim = min(sim, 1.0)  # a text repeating the call's grams, or shorter with its rare ones, can score above 1
    same_phone = bool(digest and ticket.requester and ticket.requester.phone_hash == digest)
    same_place = _place_match(address, ticket.address, region_id, ticket.region_id)
    reasons = [f"内容相似度 {sim:.2f}"]
    if same_phone:
        reasons.append("同一来电号码")
    if same_place:
        reasons.append("同一地点或区县")
    score = W_TEXT * sim + W_PHONE * same_phone + W_PLACE * same_place
    return RepeatCandidate(ticket=ticket, score=round(score, 3), reasons=reasons)


def _place_match(a: str, b: str, region_a: int | None, region_b: int | None) -> bool:
    if a and b and (a in b or b in a or a[:8] == b[:8]):
        return True
    return bool(region_a and region_a == region_b)
