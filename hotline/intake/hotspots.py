"""Hotspots (第二十四条第二项): many complaints about one place and matter within a window, ranked by size and growth.

Tickets are grouped by place (county and town read from the address, 属地) and then linked when their texts are alike
(character-bigram TF-IDF cosine) and their topics, where both are set, agree; each connected group of at least
`min_size` tickets is a hotspot. Growth compares the newer half of the window with the older half.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import cast

import numpy as np
from django.core.cache import cache
from django.utils import timezone
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from hotline.directory.choices import UnitKind
from hotline.directory.models import Unit
from hotline.intake.regions import extract_region
from hotline.tickets.choices import RequestType, Status
from hotline.tickets.models import Ticket
from hotline.tickets.selectors import Scope

WINDOW_DAYS = 7
MIN_SIZE = 3
LINK_SIMILARITY = 0.25  # two tickets about the same place this alike in wording are about the same matter
# 第二十四条第二项 names complaints and reports; help requests count too: fifty calls about one outage are a hotspot.
HOTSPOT_TYPES = (RequestType.COMPLAINT, RequestType.REPORT, RequestType.HELP)


@dataclass
class Hotspot:
    """One cluster: where, about what, how many tickets, how fast it grows, and the tickets themselves."""

    place: str
    matter: str
    tickets: list[Ticket]
    recent: int
    earlier: int
    days: list[tuple[dt.date, int]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.tickets)

    @property
    def growth(self) -> int:
        """Tickets in the newer half of the window minus those in the older half."""
        return self.recent - self.earlier

    @property
    def key(self) -> str:
        """A stable identifier for links and alerts: place, matter and the earliest ticket."""
        return f"{self.place}|{self.matter}|{min(t.number for t in self.tickets)}"


def _place(ticket: Ticket) -> str:
    match = extract_region(ticket.address, ticket.content)
    if match is not None:
        return match.place
    return ticket.region.name if ticket.region is not None else ""


def _clusters(tickets: list[Ticket]) -> list[list[Ticket]]:
    """Split one place's tickets into groups about the same matter."""
    if len(tickets) < 2:
        return [tickets]
    vectors = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True).fit_transform(
        [f"{t.title} {t.content}" for t in tickets])
    similar = (vectors @ vectors.T).toarray() >= LINK_SIMILARITY
    topics = np.array([t.topic_id or 0 for t in tickets])
    # Two different topics set by the hotline are two matters, however alike the words.
    same_topic = (topics[:, None] == topics[None, :]) | (topics[:, None] == 0) | (topics[None, :] == 0)
    _, labels = connected_components(similar & same_topic, directed=False)
    groups: dict[int, list[Ticket]] = defaultdict(list)
    for ticket, label in zip(tickets, labels, strict=True):
        groups[int(label)].append(ticket)
    return list(groups.values())


def _matter(tickets: list[Ticket]) -> str:
    topics = Counter(t.topic.name for t in tickets if t.topic is not None)
    if topics:
        return topics.most_common(1)[0][0]
    return min((t.title or t.content[:20] for t in tickets), key=len)


def _daily(tickets: list[Ticket], start: dt.datetime, days: int) -> list[tuple[dt.date, int]]:
    counts = Counter(timezone.localtime(t.created_at).date() for t in tickets)
    first = timezone.localtime(start).date()
    return [(first + dt.timedelta(days=i), counts.get(first + dt.timedelta(days=i), 0)) for i in range(days + 1)]


def find_hotspots(now: dt.datetime | None = None, *, days: int = WINDOW_DAYS, min_size: int = MIN_SIZE,
                  region_id: int | None = None) -> list[Hotspot]:
    """Every hotspot in the `days` before `now`, largest first, faster-growing first among equals."""
    now = now or timezone.now()
    start = now - dt.timedelta(days=days)
    middle = now - dt.timedelta(days=days / 2)
    qs = (Ticket.objects.filter(created_at__gte=start, created_at__lte=now, request_type__in=HOTSPOT_TYPES)
          .exclude(status=Status.DECLINED).select_related("topic", "region", "lead_unit").order_by("created_at"))
    if region_id is not None:
        qs = qs.filter(region_id=region_id)
    by_place: dict[str, list[Ticket]] = defaultdict(list)
    for ticket in qs:
        place = _place(ticket)
        if place:
            by_place[place].append(ticket)
    found = []
    for place, tickets in by_place.items():
        for group in _clusters(tickets):
            if len(group) >= min_size:
                recent = sum(1 for t in group if t.created_at >= middle)
                found.append(Hotspot(place=place, matter=_matter(group), tickets=group, recent=recent,
                                     earlier=len(group) - recent, days=_daily(group, start, days)))
    return sorted(found, key=lambda h: (-h.size, -h.growth, h.place))


CACHE_SECONDS = 300  # like the desk's alert: a week's clusters change slowly, and computing them costs seconds
# The default page (the city's week, which the desk's alert reads) is computed by the `hotspots` job of
# `hotline.ops.schedule` every CACHE_SECONDS, never by a page view while the job runs; a page view computes it only
# when it is missing or this old (no job running: the embedded loop and Celery beat both run it).
KEEP_SECONDS = 1800
CLOCK_SKEW = dt.timedelta(minutes=1)
REFRESH_EARLY_SECONDS = 30  # the job's rounds (every 60 s embedded, every CACHE_SECONDS under beat) do not wait a round
SHOWN = 50  # the screen lists the largest; a thousand clusters with every ticket helps nobody
LINES_SHOWN = 10  # tickets listed under one hotspot; the rest are counted
SUMMARY_CHARS = 30  # a listed ticket's title, cut with an ellipsis


@dataclass(frozen=True)
class TicketLine:
    """One ticket as the hotspot screen lists it: plain values, cheap to cache (a model instance is not)."""

    number: str
    summary: str  # at most SUMMARY_CHARS, ellipsis included
    status: str


@dataclass(frozen=True)
class HotspotView:
    """A hotspot as the screens show it: the figures and the first tickets, without the rows behind them."""

    place: str
    matter: str
    size: int
    growth: int
    days: list[tuple[dt.date, int]]
    lines: list[TicketLine]

    @property
    def more(self) -> int:
        return self.size - len(self.lines)


@dataclass(frozen=True)
class HotspotPage:
    total: int
    shown: list[HotspotView]
    computed_at: dt.datetime | None = None  # when the clusters were computed: the page says how old they are


def _summary(ticket: Ticket) -> str:
    """The title (or the content) as a hotspot's line shows it, cut once here: 500 lines a page cut by the
    template's `truncatechars` took a quarter of the page's CPU."""
    text = ticket.title or ticket.content
    return text if len(text) <= SUMMARY_CHARS else f"{text[:SUMMARY_CHARS - 1]}…"


def _view(spot: Hotspot) -> HotspotView:
    lines = [TicketLine(t.number, _summary(t), t.get_status_display()) for t in spot.tickets[:LINES_SHOWN]]
    return HotspotView(spot.place, spot.matter, spot.size, spot.growth, spot.days, lines)


def _largest(page: HotspotPage) -> HotspotPage:
    return replace(page, shown=page.shown[:SHOWN])


def _key(days: int, region_id: int | None) -> str:
    return f"intake:hotspots:v5:{days}:{region_id or 'city'}"


def _max_age(days: int, region_id: int | None) -> dt.timedelta:
    """How old a cached page may be served: the default page is kept fresh by the job, any other is computed by the
    view that asks for it."""
    default = days == WINDOW_DAYS and region_id is None
    return dt.timedelta(seconds=KEEP_SECONDS if default else CACHE_SECONDS)


def _fresh(page: object, now: dt.datetime, max_age: dt.timedelta) -> bool:
    """Whether `page` was computed within `max_age` before `now` (a minute after it is allowed: workers on other
    hosts keep slightly different clocks)."""
    return (isinstance(page, HotspotPage) and page.computed_at is not None
            and -CLOCK_SKEW <= now - page.computed_at < max_age)


def _compute(now: dt.datetime, days: int, region_id: int | None) -> HotspotPage:
    """Compute the page and cache it with its largest hotspots beside it, both kept as long as they may be read."""
    found = find_hotspots(now, days=days, region_id=region_id)
    page = HotspotPage(total=len(found), shown=[_view(h) for h in found], computed_at=now)
    key, timeout = _key(days, region_id), int(_max_age(days, region_id).total_seconds())
    cache.set_many({key: page, f"{key}:largest": _largest(page)}, timeout)
    return page


def cached_hotspots(now: dt.datetime, *, days: int = WINDOW_DAYS, region_id: int | None = None,
                    largest: bool = False) -> HotspotPage:
    """Every hotspot of the window and county for the screens, as plain values: clustering a week's texts at a
    city's volume (about 10,000 tickets) takes seconds of CPU, far more than a page may. The city's week is computed
    by the `hotspots` job (`refresh`) and served until it is `KEEP_SECONDS` old; any other window or county is
    computed by the view that asks and served for `CACHE_SECONDS`. Unpickling the ticket rows behind a week's clusters
    took longer than the clustering itself; the views keep ten tickets each. The screen shows the largest `SHOWN`:
    with `largest`, only those are read, from an entry of their own written beside the whole page (unpickling a
    week's thousand clusters took 40 ms of every desk load)."""
    key, max_age = _key(days, region_id), _max_age(days, region_id)
    if largest and _fresh(head := cache.get(f"{key}:largest"), now, max_age):
        return cast(HotspotPage, head)
    page = cache.get(key)
    if not _fresh(page, now, max_age):
        page = _compute(now, days, region_id)
    elif largest:  # the small entry alone was evicted: write it again, or every view unpickles the whole page
        cache.set(f"{key}:largest", _largest(cast(HotspotPage, page)), int(max_age.total_seconds()))
    return _largest(page) if largest else cast(HotspotPage, page)


def refresh(now: dt.datetime | None = None) -> bool:
    """The `hotspots` job (hotline.ops.schedule): compute the city's week when its cached page is `CACHE_SECONDS`
    old, a little before, or missing, so that the desk's alert and the hotspot page read it and never compute it
    during a request (at a million tickets a computation took 1.6 s of CPU, every five minutes, in whichever
    desk load came first, and in every worker that missed it at once). Returns False: once a round is enough."""
    now = now or timezone.now()
    page = cache.get(_key(WINDOW_DAYS, None))
    if not _fresh(page, now, dt.timedelta(seconds=CACHE_SECONDS - REFRESH_EARLY_SECONDS)):
        _compute(now, WINDOW_DAYS, None)
    return False


def for_scope(scope: Scope, now: dt.datetime, *, days: int = WINDOW_DAYS, region_id: int | None = None
              ) -> tuple[HotspotPage, list[Unit], int | None]:
    """The hotspot page a reader may see (the largest `SHOWN`), with the counties they may choose among. The city's
    desk sees every county; a county sub-centre's desk (Art. 30) sees the hotspots whose place lies in its counties,
    and under each only the tickets its platform holds (the others are counted, not listed, as the rest of the page
    is). Returns the page, the counties to choose among and the county asked for (None: all it may see)."""
    counties = list(scope.units().filter(kind=UnitKind.COUNTY, is_active=True).order_by("code"))
    if not scope.sub_centre:
        return cached_hotspots(now, days=days, region_id=region_id, largest=True), counties, region_id
    if region_id not in {c.pk for c in counties}:
        region_id = None
    names = tuple(c.name for c in counties if region_id in (None, c.pk))
    # The place is read from the address (county and town), so the county's name begins it.
    whole = cached_hotspots(now, days=days)
    mine = [spot for spot in whole.shown if names and spot.place.startswith(names)]
    numbers = [line.number for spot in mine[:SHOWN] for line in spot.lines]
    visible = set(scope.tickets().filter(number__in=numbers).values_list("number", flat=True))
    shown = [replace(spot, lines=[line for line in spot.lines if line.number in visible]) for spot in mine[:SHOWN]]
    return HotspotPage(total=len(mine), shown=shown, computed_at=whole.computed_at), counties, region_id


def active_hotspots(now: dt.datetime | None = None) -> list[Hotspot]:
    """Hotspots of the last week, for the alert on the hotline desk (第二十四条第二项: 集中投诉举报的热点)."""
    return find_hotspots(now)
