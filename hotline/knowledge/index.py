"""The in-process search index over published articles, kept in step with edits in every process.

Each search first reads a cheap revision of the article table (count and newest `updated_at`, like
`deadlines/store.py`). When it moved, the published (id, version) pairs are reloaded: if articles only left
(withdrawn, expired, revised) the current index is kept and they are masked out; otherwise the index is rebuilt from
per-article token caches, so only new or changed articles are tokenised again.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Max
from django.utils import timezone

from hotline.directory.models import Topic, Unit
from hotline.knowledge.choices import ArticleState
from hotline.knowledge.models import Article
from hotline.knowledge.search import Analysed, Doc, Hit, SearchIndex, add_words, analyse

_lock = threading.Lock()
_NO_DATE_FROM = dt.date.min.toordinal()
_NO_DATE_TO = dt.date.max.toordinal()


@dataclass
class LiveIndex:
    """A built index plus the arrays the filters read and the set of articles still published."""

    index: SearchIndex
    versions: dict[int, int]
    alive: np.ndarray
    topic: np.ndarray
    unit: np.ndarray
    region: np.ndarray
    valid_from: np.ndarray
    valid_to: np.ndarray
    revision: tuple[object, ...] = ()
    cache: dict[tuple[int, int], Analysed] = field(default_factory=dict, repr=False)


_state: dict[str, LiveIndex] = {}


def _revision() -> tuple[object, ...]:
    # One aggregate per search: every process (web workers, sweeps, Celery) sees a publish without a restart.
    agg = Article.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    return (agg["n"], agg["m"])


def load_dictionary() -> None:
    """Add unit, place and topic names to jieba's dictionary so they stay one token (issue 5)."""
    add_words(Unit.objects.values_list("name", flat=True))
    add_words(Topic.objects.values_list("name", flat=True))


def _doc(a: Article) -> Doc:
    return Doc(id=a.pk, title=a.title, answer=a.answer, questions=tuple(a.question_list()), topic_id=a.topic_id,
               unit_id=a.owner_unit_id, region_id=a.region_id, valid_from=a.valid_from, valid_to=a.valid_to)


def _ordinal(day: dt.date | None, default: int) -> int:
    return day.toordinal() if day else default


def _build(revision: tuple[object, ...], previous: LiveIndex | None) -> LiveIndex:
    load_dictionary()
    fields = ("id", "version", "title", "questions", "answer", "topic_id", "owner_unit_id", "region_id",
              "valid_from", "valid_to")
    articles = list(Article.objects.filter(state=ArticleState.PUBLISHED).only(*fields).order_by("id"))
    docs = [_doc(a) for a in articles]
    old_cache = previous.cache if previous else {}
    cache: dict[tuple[int, int], Analysed] = {}
    for a, d in zip(articles, docs, strict=True):
        key = (a.pk, a.version)
        cache[key] = old_cache.get(key) or analyse(d)
    index = SearchIndex.build(docs, [cache[(a.pk, a.version)] for a in articles])

    def col(values: Iterable[int | None]) -> np.ndarray:
        return np.array([v if v is not None else -1 for v in values], dtype=np.int64)

    return LiveIndex(
        index=index, versions={a.pk: a.version for a in articles}, alive=np.ones(len(docs), dtype=bool),
        topic=col(d.topic_id for d in docs), unit=col(d.unit_id for d in docs), region=col(d.region_id for d in docs),
        valid_from=np.array([_ordinal(d.valid_from, _NO_DATE_FROM) for d in docs], dtype=np.int64),  # type: ignore[arg-type]
        valid_to=np.array([_ordinal(d.valid_to, _NO_DATE_TO) for d in docs], dtype=np.int64),  # type: ignore[arg-type]
        revision=revision, cache=cache,
    )


def _refresh(live: LiveIndex, revision: tuple[object, ...]) -> LiveIndex:
    """Mask out articles that left; rebuild when any article arrived or changed."""
    published = dict(Article.objects.filter(state=ArticleState.PUBLISHED).values_list("id", "version"))
    if any(live.versions.get(pk) != version for pk, version in published.items()):
        return _build(revision, live)
    alive = np.array([d.id in published for d in live.index.docs], dtype=bool)
    return LiveIndex(index=live.index, versions=live.versions, alive=alive, topic=live.topic, unit=live.unit,
                     region=live.region, valid_from=live.valid_from, valid_to=live.valid_to, revision=revision,
                     cache=live.cache)


def current() -> LiveIndex:
    """The index as the database holds it now (built on first use, refreshed when articles changed)."""
    revision = _revision()
    live = _state.get("live")
    if live is not None and live.revision == revision:
        return live
    with _lock:
        live = _state.get("live")
        if live is None or live.revision != revision:
            live = _build(revision, None) if live is None else _refresh(live, revision)
            _state["live"] = live
    return live


def reset() -> None:
    """Forget the in-process index (tests, and after the dictionary of names changed)."""
    with _lock:
        _state.pop("live", None)


def _topic_ids(topic: Topic) -> list[int]:
    """The topic and all its descendants: filtering by 城市管理 also finds 路灯照明."""
    ids, frontier = [topic.pk], [topic.pk]
    while frontier:
        frontier = list(Topic.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        ids.extend(frontier)
    return ids


@dataclass(frozen=True)
class Filters:
    """What the operator narrowed the search to; `valid_today` keeps only articles in their validity period."""

    topic: Topic | None = None
    unit: Unit | None = None
    region: Unit | None = None
    valid_today: bool = True


def _mask(live: LiveIndex, filters: Filters, today: dt.date) -> np.ndarray:
    mask = live.alive.copy()
    if filters.topic is not None:
        mask &= np.isin(live.topic, _topic_ids(filters.topic))
    if filters.unit is not None:
        mask &= live.unit == filters.unit.pk
    if filters.region is not None:
        # An article without a region applies city-wide, so it answers for every county too.
        mask &= (live.region == filters.region.pk) | (live.region == -1)
    if filters.valid_today:
        day = today.toordinal()
        mask &= (live.valid_from <= day) & (live.valid_to >= day)
    return mask


def search_ids(query: str, *, filters: Filters | None = None, k: int = 10) -> list[Hit]:
    """The best `k` published article ids for `query` under `filters`."""
    query = (query or "").strip()
    if not query:
        return []
    live = current()
    mask = _mask(live, filters or Filters(), timezone.localdate())
    return live.index.search(query, k=k, mask=mask)


def search(query: str, *, filters: Filters | None = None, k: int = 10) -> list[tuple[Article, float]]:
    """The best `k` published articles for `query`, loaded, best first."""
    hits = search_ids(query, filters=filters, k=k)
    by_id = Article.objects.select_related("topic", "owner_unit", "region").in_bulk([h.id for h in hits])
    return [(by_id[h.id], h.score) for h in hits if h.id in by_id and by_id[h.id].state == ArticleState.PUBLISHED]


def warm() -> None:
    """Build the index now (at start-up or after an import) rather than on the first search."""
    current()
