"""Similar tickets: BM25 over hashed character 1-2-grams, with a sparse inverted index and candidate pruning.

Why this design: on the paraphrase set, BM25 over character unigrams and bigrams finds the matching question more often
than TF-IDF cosine over 1-3-grams (docs/routing.md), and needs no word segmentation, so a million tickets index in
minutes. A query gathers candidates from the postings of its rarest terms only (the common ones would touch most of
the corpus), drops those outside the time window and county, then scores the best few hundred exactly. Repeated requests
found this way can be merged (并单, 第十条第四项).

Why the BM25 is written here and not taken from bm25s (pinned for knowledge search): measured paired on the same
synthetic tickets, bm25s ranks the same (recall@1 0.4209, @5 0.6012 either way) but builds 3 times slower at 100,000
tickets and 5.6 times slower at 1,000,000 (206 s against 37 s, 10.4 GiB peak against 3.9 GiB), counting each document's
tokens in Python; its own query path sums every posting of every query gram with no pruning (p95 42 ms against 2.6 ms
at 100,000); and it cannot add a ticket to a built index, so this formula would stay for new tickets anyway. The
figures are in docs/routing.md.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import joblib
import numpy as np
from django.db.models import Q
from django.utils import timezone
from scipy.sparse import csc_matrix, csr_matrix, vstack
from sklearn.feature_extraction.text import HashingVectorizer

from hotline.directory.choices import UnitKind
from hotline.directory.models import Unit
from hotline.intake.regions import extract_region
from hotline.intake.routing.history import ticket_text
from hotline.intake.routing.store import models_dir
from hotline.tickets.models import Ticket

N_FEATURES = 2**21
K1, B = 1.2, 0.75
POSTING_BUDGET = 40_000  # candidate generation reads postings, rarest term first, until this many entries are read
CANDIDATES = 400  # exactly rescored candidates
NO_REGION = 0


def _vectorizer() -> HashingVectorizer:
    # Digits are kept: "3栋" and "5栋" are different buildings. Hashing needs no vocabulary, so new tickets add freely.
    return HashingVectorizer(analyzer="char", ngram_range=(1, 2), n_features=N_FEATURES, alternate_sign=False,
                             norm=None, dtype=np.float32)


PARALLEL_FROM = 50_000  # below this, one process tokenises faster than starting workers


def _transform_chunk(texts: Sequence[str]) -> csr_matrix:
    return _vectorizer().transform(texts).tocsr()


def _counts(texts: Sequence[str], workers: int = 1) -> csr_matrix:
    """Term counts of many texts; tokenising is pure Python, so a large build may fork workers (hashing is stateless).

    Forked, not spawned: a child inherits the configured Django; the command and the benchmark ask for it, a web
    process builds in its own thread only.
    """
    texts = list(texts)
    if not texts:  # a new deployment's first index; the vectoriser refuses an empty list
        return csr_matrix((0, N_FEATURES), dtype=np.float32)
    if workers <= 1 or len(texts) < PARALLEL_FROM:
        return _transform_chunk(texts)
    size = -(-len(texts) // (workers * 4))
    chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
    parts = joblib.Parallel(n_jobs=workers, backend="multiprocessing")(
        joblib.delayed(_transform_chunk)(c) for c in chunks)
    return vstack(parts).tocsr()


def _epoch(moment: dt.datetime | None) -> int:
    return int(moment.timestamp()) if moment is not None else 0


@dataclass
class Hit:
    """One similar document: its id, BM25 score and the score relative to the query matching itself (0-1 roughly)."""

    id: int
    score: float
    similarity: float


def _dot(rows: csr_matrix, terms: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each row's BM25 score for a query given as sorted term ids with idf weights (no 2M-column transpose)."""
    if not len(terms) or rows.shape[0] == 0:
        return np.zeros(rows.shape[0], dtype=np.float32)
    order = np.argsort(terms)
    sorted_terms, sorted_weights = terms[order], weights[order]
    pos = np.minimum(np.searchsorted(sorted_terms, rows.indices), len(sorted_terms) - 1)
    hit = sorted_terms[pos] == rows.indices
    contrib = np.where(hit, rows.data * sorted_weights[pos], 0.0)
    row_of = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
    return np.bincount(row_of, weights=contrib, minlength=rows.shape[0]).astype(np.float32)


class SimilarIndex:
    """BM25 index over many short texts, each with an id, a county id (0 for none) and a time."""

    def __init__(self) -> None:
        self.ids = np.zeros(0, dtype=np.int64)
        self.regions = np.zeros(0, dtype=np.int32)
        self.times = np.zeros(0, dtype=np.int64)
        self.time_ordered = False  # documents indexed oldest first: the time window is a cut of each posting list
        self.idf = np.zeros(N_FEATURES, dtype=np.float32)
        self.avgdl = 1.0
        self.rows = csr_matrix((0, N_FEATURES), dtype=np.float32)  # BM25 term weights per document
        self.postings = csc_matrix((0, N_FEATURES), dtype=np.float32)
        self.delta: list[csr_matrix] = []  # documents added since the build, searched by brute force

    # ------------------------------------------------------------------ building

    @classmethod
    def build(cls, ids: Sequence[int], texts: Sequence[str], regions: Sequence[int] | None = None,
              times: Sequence[dt.datetime | None] | None = None, workers: int = 1) -> SimilarIndex:
        """Index `texts`; idf and the average length are fixed here and reused for later additions."""
        index = cls()
        counts = _counts(texts, workers)
        n = counts.shape[0]
        # A gram no document has is weighted as one a single document has: no document can match it, so a higher
        # weight would only lower every similarity, the more so the smaller the index (a new deployment's first
        # tickets would hide their repeats). Rankings are the same either way.
        df = np.bincount(counts.indices, minlength=N_FEATURES)
        if n:
            df = np.maximum(df, 1)
        index.idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        index.avgdl = float(lengths.mean()) if n else 1.0
        index.rows = index._bm25(counts)
        index.postings = index.rows.tocsc()
        index.ids = np.asarray(ids, dtype=np.int64)
        index.regions = np.asarray(regions if regions is not None else [NO_REGION] * n, dtype=np.int32)
        index.times = np.asarray([_epoch(t) for t in times] if times is not None else [0] * n, dtype=np.int64)
        index.time_ordered = bool(np.all(index.times[1:] >= index.times[:-1]))
        return index

    def _bm25(self, counts: csr_matrix) -> csr_matrix:
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        per_entry = np.repeat(lengths, np.diff(counts.indptr))
        weights = counts.copy().astype(np.float32)
        weights.data = (counts.data * (K1 + 1) / (counts.data + K1 * (1 - B + B * per_entry / self.avgdl))).astype(
            np.float32)
        return weights

    def add(self, ids: Sequence[int], texts: Sequence[str], regions: Sequence[int],
            times: Sequence[dt.datetime | None]) -> None:
        """Append documents (new tickets) without rebuilding; they are scored with the build's idf."""
        if not ids:
            return
        # Kept as one matrix so a query stacks nothing.
        self.delta = [vstack([*self.delta, self._bm25(_vectorizer().transform(texts).tocsr())]).tocsr()]
        self.ids = np.concatenate([self.ids, np.asarray(ids, dtype=np.int64)])
        self.regions = np.concatenate([self.regions, np.asarray(regions, dtype=np.int32)])
        self.times = np.concatenate([self.times, np.asarray([_epoch(t) for t in times], dtype=np.int64)])

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def delta_size(self) -> int:
        return sum(m.shape[0] for m in self.delta)

    def memory_bytes(self) -> int:
        """Approximate resident size of the index arrays."""
        mats = [self.rows, self.postings, *self.delta]
        arrays = sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in mats)
        return int(arrays + self.ids.nbytes + self.regions.nbytes + self.times.nbytes + self.idf.nbytes)

    # ------------------------------------------------------------------ searching

    def _query(self, text: str) -> tuple[np.ndarray, np.ndarray, float]:
        counts = _vectorizer().transform([text]).tocsr()
        terms = counts.indices
        weights = self.idf[terms]
        self_score = float((self._bm25(counts).data * weights).sum()) if len(terms) else 0.0
        return terms, weights, self_score

    def _mask(self, docs: np.ndarray, region: int | None, since: dt.datetime | None,
              exclude: set[int] | None, until: dt.datetime | None = None) -> np.ndarray:
        keep = np.ones(len(docs), dtype=bool)
        if region is not None:
            keep &= self.regions[docs] == region
        if since is not None:
            keep &= self.times[docs] >= _epoch(since)
        if until is not None:
            keep &= self.times[docs] < _epoch(until)
        if exclude:
            keep &= ~np.isin(self.ids[docs], np.fromiter(exclude, dtype=np.int64))
        return keep

    def _candidates(self, terms: np.ndarray, weights: np.ndarray, region: int | None, since: dt.datetime | None,
                    exclude: set[int] | None, until: dt.datetime | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Documents in the county and window sharing one of the query's rarest terms, with their partial scores."""
        n = self.rows.shape[0]
        if n == 0 or not len(terms):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        indptr, indices, data = self.postings.indptr, self.postings.indices, self.postings.data
        starts, ends = indptr[terms].copy(), indptr[terms + 1]
        if since is not None and self.time_ordered:
            # Tickets are indexed in the order they were taken, so each posting list is in time order too:
            # skip the part before the window instead of reading and discarding it.
            first = int(np.searchsorted(self.times[:n], _epoch(since)))
            starts = np.array([lo + np.searchsorted(indices[lo:hi], first)
                               for lo, hi in zip(starts, ends, strict=True)], dtype=indptr.dtype)
        by_rarity = np.argsort(-weights)
        lengths = (ends - starts)[by_rarity]
        # Rare terms are cheap and decisive; stop before the common ones that would touch most of the corpus.
        within = np.cumsum(lengths) <= POSTING_BUDGET
        within[0] = True
        chosen = by_rarity[within]
        docs = np.concatenate([indices[starts[i]:ends[i]] for i in chosen])
        vals = np.concatenate([data[starts[i]:ends[i]] * weights[i] for i in chosen])
        keep = self._mask(docs, region, since, exclude, until)
        docs, vals = docs[keep], vals[keep]
        if not len(docs):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if len(docs) * 8 < n:
            # Few entries: sorting them is cheaper than a pass over an accumulator as long as the corpus.
            unique, inverse = np.unique(docs, return_inverse=True)
            return unique.astype(np.int64), np.bincount(inverse, weights=vals).astype(np.float32)
        acc = np.bincount(docs, weights=vals, minlength=n)
        unique = np.flatnonzero(acc)
        return unique, acc[unique].astype(np.float32)

    def search(self, text: str, *, region: int | None = None, since: dt.datetime | None = None, limit: int = 5,
               exclude: set[int] | None = None, min_similarity: float = 0.0,
               until: dt.datetime | None = None) -> list[Hit]:
        """The `limit` best documents for `text` within the county and since the given time (and before `until`)."""
        terms, weights, self_score = self._query(text)
        docs, partial = self._candidates(terms, weights, region, since, exclude, until)
        if len(docs) > CANDIDATES:
            best = np.argpartition(-partial, CANDIDATES)[:CANDIDATES]
            docs = docs[best]
        scores = _dot(self.rows[docs], terms, weights) if len(docs) else np.zeros(0, dtype=np.float32)
        docs, scores = self._with_delta(terms, weights, docs, scores, region, since, exclude, until)
        order = np.argsort(-scores)[:limit]
        return [Hit(int(self.ids[d]), float(scores[i]), float(scores[i] / self_score) if self_score else 0.0)
                for i, d in zip(order, docs[order], strict=True)
                if scores[i] > 0 and (not self_score or scores[i] / self_score >= min_similarity)]

    def similarity(self, text: str, others: Sequence[str]) -> np.ndarray:
        """How like `text` each of `others` is, scored exactly as a search scores a document (for texts a search has
        not returned: not indexed yet, or outside its best candidates)."""
        terms, weights, self_score = self._query(text)
        if not len(others) or not self_score:
            return np.zeros(len(others), dtype=np.float32)
        rows = self._bm25(_vectorizer().transform(others).tocsr())
        return _dot(rows, terms, weights) / np.float32(self_score)

    def _with_delta(self, terms: np.ndarray, weights: np.ndarray, docs: np.ndarray, scores: np.ndarray,
                    region: int | None, since: dt.datetime | None,
                    exclude: set[int] | None, until: dt.datetime | None = None) -> tuple[np.ndarray, np.ndarray]:
        if not self.delta:
            return docs, scores
        added = self.delta[0]
        offset = self.rows.shape[0]
        delta_docs = np.arange(offset, offset + added.shape[0])
        delta_scores = _dot(added, terms, weights)
        keep = self._mask(delta_docs, region, since, exclude, until) & (delta_scores > 0)
        return np.concatenate([docs, delta_docs[keep]]), np.concatenate([scores, delta_scores[keep]])


# ---------------------------------------------------------------------- over the ticket table

INDEX_FILE = "similar-index.joblib"
CATCH_UP_SECONDS = 5.0  # how often a process looks for tickets created since its index was built
MIN_SIMILARITY = 0.15  # below this a "similar" ticket shares little more than common characters
REBUILD_RATIO = 0.2  # rebuild (new idf, no brute-force delta) once additions exceed this share of the index
LATE_COMMIT = dt.timedelta(minutes=1)  # longer than any intake transaction: see `similar_ids`
_engine: dict[str, Any] = {"index": None, "max_id": 0, "checked": 0.0}
_engine_lock = threading.Lock()


@dataclass
class SimilarTicket:
    """A ticket like the query text, with its similarity (1.0 = the same words)."""

    ticket: Ticket
    similarity: float


def _county_ids() -> dict[str, int]:
    return {code: pk for code, pk in Unit.objects.filter(kind=UnitKind.COUNTY).values_list("code", "id")}


def _rows(after: int, batch: int = 20_000) -> Iterator[tuple[list[int], list[str], list[int], list[dt.datetime]]]:
    """Tickets with id > after, in batches: ids, texts, county ids (read from the address when not set), times."""
    counties = _county_ids()
    last = after
    while True:
        rows = list(Ticket.objects.filter(id__gt=last).order_by("id")
                    .values_list("id", "title", "content", "address", "region_id", "created_at")[:batch])
        if not rows:
            return
        ids, texts, regions, times = [], [], [], []
        for pk, title, content, address, region_id, created in rows:
            if region_id is None:
                match = extract_region(address, content)
                region_id = counties.get(match.code, NO_REGION) if match else NO_REGION
            ids.append(pk)
            texts.append(ticket_text(Ticket(title=title, content=content, address=address)))
            regions.append(region_id)
            times.append(created)
        yield ids, texts, regions, times
        last = rows[-1][0]


def rebuild_index(*, workers: int = 1) -> SimilarIndex:
    """Index every ticket, save it under the models directory and use it in this process."""
    ids: list[int] = []
    texts: list[str] = []
    regions: list[int] = []
    times: list[dt.datetime] = []
    for batch in _rows(0):
        for target, part in zip((ids, texts, regions, times), batch, strict=True):
            target.extend(part)  # type: ignore[attr-defined]
    index = SimilarIndex.build(ids, texts, regions, times, workers=workers)
    joblib.dump({"index": index, "max_id": max(ids, default=0)}, models_dir() / INDEX_FILE)
    with _engine_lock:
        _engine.update(index=index, max_id=max(ids, default=0), checked=time.monotonic())
    return index


def _current_index() -> tuple[SimilarIndex, int]:
    """The process's index and the highest ticket id it has read; it reads new tickets every few seconds."""
    with _engine_lock:
        if _engine["index"] is None:
            path = models_dir() / INDEX_FILE
            if path.exists():
                saved = joblib.load(path)
                _engine.update(index=saved["index"], max_id=saved["max_id"])
        index = _engine["index"]
        if index is not None and time.monotonic() - _engine["checked"] < CATCH_UP_SECONDS:
            return index, _engine["max_id"]
    if index is None or index.delta_size > REBUILD_RATIO * max(len(index), 1000):
        rebuilt = rebuild_index()
        with _engine_lock:
            return rebuilt, _engine["max_id"]
    with _engine_lock:
        for ids, texts, regions, times in _rows(_engine["max_id"]):
            index.add(ids, texts, regions, times)
            _engine["max_id"] = ids[-1]
        _engine["checked"] = time.monotonic()
        return index, _engine["max_id"]


def forget_index() -> None:
    """Drop the in-process index (tests; after the ticket table is replaced)."""
    with _engine_lock:
        _engine.update(index=None, max_id=0, checked=0.0)


def similar_tickets(text: str, *, region: Unit | int | None = None, since: dt.datetime | None = None, limit: int = 5,
                    exclude: Sequence[int] = ()) -> list[SimilarTicket]:
    """Tickets most like `text`, in a county and since a time if given, best first (并单, 第十条第四项)."""
    region_id = region.pk if isinstance(region, Unit) else region
    index, _ = _current_index()
    hits = index.search(text, region=region_id, since=since, limit=limit, exclude=set(exclude),
                        min_similarity=MIN_SIMILARITY)
    tickets = Ticket.objects.select_related("lead_unit", "topic", "region").in_bulk([h.id for h in hits])
    return [SimilarTicket(tickets[h.id], round(h.similarity, 3)) for h in hits if h.id in tickets]


def similar_ids(text: str, *, since: dt.datetime, limit: int, exclude: Sequence[int] = (),
                until: dt.datetime | None = None) -> list[int]:
    """Ids of the tickets most like `text` since a time (and before `until`), best first, then of every ticket since
    then the index may not hold yet: a ticket taken moments ago is never missed (score those with
    `text_similarity`)."""
    index, read_through = _current_index()
    hits = index.search(text, since=since, limit=limit, exclude=set(exclude), min_similarity=MIN_SIMILARITY,
                        until=until)
    # Above the id the index has read: taken since its last catch-up. Recent: committed after a higher id was read
    # (ids are handed out before commit, so on PostgreSQL a slow transaction can land behind the catch-up).
    unread = (Ticket.objects.filter(Q(id__gt=read_through) | Q(created_at__gte=timezone.now() - LATE_COMMIT),
                                    created_at__gte=since)
              .exclude(id__in=[*exclude, *(h.id for h in hits)]))
    if until is not None:
        unread = unread.filter(created_at__lt=until)
    return [h.id for h in hits] + list(unread.order_by("id").values_list("id", flat=True))


def text_similarity(text: str, others: Sequence[str]) -> list[float]:
    """How like `text` each of `others` is (1.0 = the same words), scored with the index's statistics as a search
    scores a ticket, whether or not the index holds it."""
    index, _ = _current_index()
    return [round(float(s), 3) for s in index.similarity(text, others)]
