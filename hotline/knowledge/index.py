"""The in-process search index over published articles, kept in step with edits in every process.

Each search first reads a cheap revision of the article table (the newest `updated_at`, like
`deadlines/store.py`). When it moved, the published (id, version) pairs are reloaded: articles that left (withdrawn,
expired, revised) are masked out at once; when any arrived or changed the index is rebuilt from per-article word
caches, so only new or changed articles are segmented again (see `current`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from hotline.directory.models import Topic, Unit
from hotline.knowledge.choices import ArticleState
from hotline.knowledge.models import Article
from hotline.knowledge.search import Analysed, Doc, Hit, SearchIndex, add_words, analyse

log = logging.getLogger(__name__)
_lock = threading.Lock()
_rebuilding = threading.Event()
# Below this many articles a search that finds the index stale rebuilds it before answering: about 0.6 s at 2,000
# articles of a real reply's length, most of it hashing the whole articles' characters (docs/routing.md).
SYNC_REBUILD_LIMIT = 2000
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
    # One indexed look-up per search (the newest change): every process (web workers, sweeps, Celery) sees a
    # change without a restart. Every change sets updated_at and articles are never deleted (uses protect them, the
    # admin is read-only). A single MAX, not two: SQLite answers a lone MIN/MAX from the index, but scans the whole
    # table for two in one query (20 ms at 100,000 articles).
    return (Article.objects.aggregate(m=Max("updated_at"))["m"],)


def load_dictionary() -> None:
    """Add unit, place and topic names to jieba's dictionary so they stay one token (issue 5)."""
    add_words(Unit.objects.values_list("name", flat=True))
    add_words(Topic.objects.values_list("name", flat=True))


def _doc(a: Article) -> Doc:
    return Doc(id=a.pk, title=a.title, answer=a.answer, questions=tuple(a.question_list()), topic_id=a.topic_id,
               unit_id=a.owner_unit_id, region_id=a.region_id, valid_from=a.valid_from, valid_to=a.valid_to)


def analysed_fields(article: Article) -> dict[str, str]:
    """`search_head` and `search_answer` for `article` as it reads now."""
    load_dictionary()
    analysed = analyse(_doc(article))
    return {"search_head": analysed.head, "search_answer": analysed.answer}


def _stored(article: Article, doc: Doc) -> Analysed:
    """The words stored at publishing, or segmented now for rows written without them (imports by SQL)."""
    if article.search_head or article.search_answer:
        return Analysed(head=article.search_head, answer=article.search_answer)
    return analyse(doc)


def _ordinal(day: dt.date | None, default: int) -> int:
    return day.toordinal() if day else default


def _build(revision: tuple[object, ...], previous: LiveIndex | None) -> LiveIndex:
    load_dictionary()
    fields = ("id", "version", "title", "questions", "answer", "topic_id", "owner_unit_id", "region_id",
              "valid_from", "valid_to", "search_head", "search_answer")
    articles = list(Article.objects.filter(state=ArticleState.PUBLISHED).only(*fields).order_by("id"))
    docs = [_doc(a) for a in articles]
    old_cache = previous.cache if previous else {}
    cache: dict[tuple[int, int], Analysed] = {}
    for a, d in zip(articles, docs, strict=True):
        key = (a.pk, a.version)
        cache[key] = old_cache.get(key) or _stored(a, d)
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


def _masked(live: LiveIndex, revision: tuple[object, ...]) -> tuple[LiveIndex, bool]:
    """The current index with articles that left masked out, and whether articles arrived or changed."""
    published = dict(Article.objects.filter(state=ArticleState.PUBLISHED).values_list("id", "version"))
    stale = any(live.versions.get(pk) != version for pk, version in published.items())
    alive = np.array([published.get(d.id) == live.versions[d.id] for d in live.index.docs], dtype=bool)
    masked = LiveIndex(index=live.index, versions=live.versions, alive=alive, topic=live.topic, unit=live.unit,
                       region=live.region, valid_from=live.valid_from, valid_to=live.valid_to, revision=revision,
                       cache=live.cache)
    return masked, stale


def _rebuild_in_background(revision: tuple[object, ...], previous: LiveIndex) -> None:
    def run() -> None:
        try:
            fresh = _build(revision, previous)
            with _lock:
                _state["live"] = fresh
        except Exception:  # the old index keeps serving; the next change tries again
            log.exception("knowledge index rebuild failed")
        finally:
            _rebuilding.clear()
            connection.close()

    if not _rebuilding.is_set():
        _rebuilding.set()
        threading.Thread(target=run, name="knowledge-index", daemon=True).start()


def current() -> LiveIndex:
    """The index as the database holds it now (built on first use, refreshed when articles changed).

    A withdrawn, expired or revised article disappears at once (masked). A new or changed one is indexed at once
    while the index is small; over `SYNC_REBUILD_LIMIT` articles the rebuild runs in a thread and searches keep
    using the previous index (with removals masked) until it is ready, so no search waits for a rebuild.
    """
    revision = _revision()
    live = _state.get("live")
    if live is not None and live.revision == revision:
        return live
    with _lock:
        live = _state.get("live")
        if live is None:
            live = _state["live"] = _build(revision, None)
        elif live.revision != revision:
            masked, stale = _masked(live, revision)
            if stale and len(live.index) < SYNC_REBUILD_LIMIT:
                masked = _build(revision, live)
            elif stale:
                _rebuild_in_background(revision, live)
            live = _state["live"] = masked
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

