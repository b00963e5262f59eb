"""Dispatch suggestions for one ticket: top lead units with calibrated confidence, the topic and the words behind each.

Two sources are combined per lead unit: the unit model trained on where tickets finally went, and the topic model read
through the dispatch catalogue for the ticket's county (第三条 属地管理, 第十二条). Where both speak, the confidence
is their mean; above ROUTING_AUTO_CONFIDENCE the first suggestion is offered as one-click dispatch (第十三条: 2 hours).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from hotline.directory.choices import UnitKind
from hotline.directory.models import Topic, Unit
from hotline.intake import catalogue
from hotline.intake.regions import RegionMatch, extract_region
from hotline.intake.routing.history import ticket_text
from hotline.intake.routing.model import Prediction
from hotline.intake.routing.store import active_bundle, loaded_version
from hotline.tickets.models import Ticket

TOP_K = 3
TOPIC_CANDIDATES = 3  # topic probability mass is summed per unit over this many topics


@dataclass
class Suggestion:
    """One lead unit to dispatch to, with assisting units, confidence (None if not calibrated) and why."""

    lead_unit: Unit
    assisting_units: tuple[Unit, ...] = ()
    confidence: float | None = None
    topic: Topic | None = None
    topic_confidence: float | None = None
    words: tuple[str, ...] = ()
    basis: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        return None if self.confidence is None else round(self.confidence * 100)


@dataclass
class Suggestions:
    """Everything the dispatch panel shows: the suggestions, the region read, and whether one-click applies."""

    items: list[Suggestion]
    region: Unit | None
    region_match: RegionMatch | None
    model_version: int | None
    threshold: float

    @property
    def auto(self) -> Suggestion | None:
        """The first suggestion when it clears the one-click threshold."""
        first = self.items[0] if self.items else None
        if first is not None and first.confidence is not None and first.confidence >= self.threshold:
            return first
        return None


def _region(ticket: Ticket) -> tuple[Unit | None, RegionMatch | None]:
    match = extract_region(ticket.address, ticket.content)
    if ticket.region_id is not None:
        return ticket.region, match
    return (match.unit() if match else None), match


def _from_topics(pred: Prediction, region: Unit | None, out: dict[int, Suggestion]) -> dict[int, float]:
    """Add the catalogue's unit for each likely topic; returns unit id → summed topic probability."""
    topics = {t.code: t for t in Topic.objects.filter(code__in=[r.label for r in pred.topics], is_active=True)}
    mass: dict[int, float] = {}
    for ranked in pred.topics:
        topic = topics.get(ranked.label)
        target = catalogue.resolve(topic, region) if topic else None
        if topic is None or target is None:
            continue
        mass[target.lead_unit.pk] = mass.get(target.lead_unit.pk, 0.0) + ranked.confidence
        item = out.setdefault(target.lead_unit.pk, Suggestion(lead_unit=target.lead_unit))
        if item.topic is None:
            item.topic, item.topic_confidence = topic, ranked.confidence
            item.assisting_units = target.assisting_units
            item.words = item.words or ranked.words
            item.basis.append(target.basis)
    return mass


def _county_of(unit: Unit) -> Unit | None:
    """The county a unit belongs to (itself for a county), None for city and provincial units."""
    node: Unit | None = unit
    while node is not None and node.kind != UnitKind.COUNTY:
        node = node.parent
    return node


def _from_units(pred: Prediction, region: Unit | None, address: str,
                out: dict[int, Suggestion]) -> dict[int, float]:
    units = {u.code: u for u in Unit.objects.filter(code__in=[r.label for r in pred.units], is_active=True)
             .select_related("parent__parent")}
    mass: dict[int, float] = {}
    for ranked in pred.units:
        unit = units.get(ranked.label)
        county = _county_of(unit) if unit is not None else None
        # 第三条 属地管理: a unit of another county is never suggested for a place the ticket names.
        if unit is None or (region is not None and county is not None and county.pk != region.pk):
            continue
        mass[unit.pk] = ranked.confidence
        item = out.setdefault(unit.pk, Suggestion(lead_unit=unit))
        # The address decides the county (shown as the region); the words shown are the matter's.
        words = tuple(w for w in ranked.words if w not in address)
        item.words = words or item.words
        item.basis.insert(0, "历史派单")
    return mass


def _keyword_fallback(ticket: Ticket, region: Unit | None, out: dict[int, Suggestion]) -> None:
    """Without a trained model: topics whose keywords occur in the text, through the catalogue (never one-click)."""
    text = ticket_text(ticket)
    for topic in Topic.objects.filter(is_active=True).exclude(keywords=""):
        hits = tuple(k.strip() for k in topic.keywords.replace("，", ",").split(",") if k.strip() and k.strip() in text)
        target = catalogue.resolve(topic, region) if hits else None
        if target is not None and target.lead_unit.pk not in out:
            out[target.lead_unit.pk] = Suggestion(lead_unit=target.lead_unit, assisting_units=target.assisting_units,
                                                  topic=topic, words=hits, basis=["关键词", target.basis])


def suggest_for_ticket(ticket: Ticket, *, k: int = TOP_K) -> Suggestions:
    """The top-k dispatch suggestions for a ticket (第十二条、第十三条)."""
    region, match = _region(ticket)
    bundle = active_bundle()
    out: dict[int, Suggestion] = {}
    version = None
    if bundle is not None:
        version = loaded_version()
        # More unit candidates than shown: some may belong to another county and be dropped.
        # The words kept at intake, when the ticket has them: segmenting is most of a suggestion's time.
        kept = bool(ticket.tokens)
        pred = bundle.predict(ticket_text(ticket, address=False), k=TOPIC_CANDIDATES + 3,
                              toks=ticket.tokens if kept else None, address=ticket.address or "",
                              address_toks=ticket.address_tokens if kept else None)
        unit_mass = _from_units(Prediction(units=pred.units), region, ticket.address or "", out)
        pred.topics = pred.topics[:TOPIC_CANDIDATES]
        topic_mass = _from_topics(pred, region, out)
        for pk, item in out.items():
            # A source that spoke at all gives 0 to a unit it did not name, so agreement ranks first.
            sources = [mass.get(pk, 0.0) for mass in (unit_mass, topic_mass) if mass]
            item.confidence = sum(sources) / len(sources) if sources else None
    else:
        _keyword_fallback(ticket, region, out)
    items = sorted(out.values(), key=lambda s: -(s.confidence or 0.0))[:k]
    threshold = float(getattr(settings, "ROUTING_AUTO_CONFIDENCE", 0.85))
    return Suggestions(items=items, region=region, region_match=match, model_version=version, threshold=threshold)

