"""The knowledge search engine: Chinese text to ranked article ids, with no database in sight.

Ranking fuses two views of the text (Art. 22 wants a knowledge base good enough to answer on the first call; the
figures are in docs/knowledge.md, measured by `hotline evaluate search`):

* words: BM25 (`bm25s`) over jieba tokens, with unit, place and topic names added to jieba's dictionary; the title
  and question forms count `HEAD_WEIGHT` times (a BM25F approximation: a field weight w counts each occurrence w
  times), so an exact term such as 社保卡, 公积金 or a unit's name weighs most where it names the subject;
* characters: TF-IDF cosine over character 2- and 3-grams (scikit-learn) of the title with the question forms. It
  matches when a caller's words segment differently from the article's (复工复产 vs 复产复工, 减免房租 vs 房租减免),
  and the cosine's length normalisation suits short paraphrased questions. (The same over the answer added nothing
  on the development set and cost most of the memory, so the answer is left to the word index.)

* word cosine: TF-IDF cosine over the same jieba words of the whole article (head and answer, unweighted). BM25
  favours an article that repeats a few of the query's words; the cosine's length normalisation favours one whose
  words as a whole are the query's, which is what a long message has with the reply written for it (issue 16).
* article characters, for long queries only: the character 2- and 3-grams of the whole article, each article
  keeping only its `ARTICLE_GRAMS` heaviest (TF-IDF) grams. A reply shares a message's places and names however
  jieba cuts them; the cut keeps what names the article, in less than half the memory of every gram of every
  answer (which was why the view had been left out: +150 MB at 100,000 real-length answers, docs/routing.md).

The word BM25 scores are scaled by the best score for the query, then the parts are summed with fixed weights
(`Weights`; a long query, such as a ticket's content, leaves the BM25 out: `LONG_WEIGHTS`); filters are a boolean
mask applied before taking the top k.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import bm25s
import jieba
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

# The head's field weight in the word BM25, chosen on the development set (docs/knowledge.md).
HEAD_WEIGHT = 3
GRAM_COLUMNS = 2**21
# How many character grams of each whole article the long-query view keeps (its heaviest by TF-IDF); chosen on the
# tuning half of the development messages, where keeping 100 to 300 ranks as well as keeping all (docs/routing.md).
ARTICLE_GRAMS = 200


@dataclass(frozen=True)
class Weights:
    """How much each view of the text counts in the fused score."""

    word_bm25: float
    head_grams: float
    word_cosine: float
    article_grams: float = 0.0


# Chosen on one half of the development queries (split by document) over both tasks, message → reply and question →
# article, and reported on the other half (docs/routing.md, issue 16).
WEIGHTS = Weights(word_bm25=0.5, head_grams=1.5, word_cosine=1.0)
# A query of LONG_QUERY characters or more (a ticket's content, a message; a question is rarely over 40) is ranked
# without the word BM25: BM25 adds up each of a long text's many words wherever it occurs, so it favours an article
# that repeats a few of them; the cosines weigh the words as a whole, and the whole article's characters count too.
# Chosen on the same half (docs/routing.md).
LONG_QUERY = 60
LONG_WEIGHTS = Weights(word_bm25=0.0, head_grams=1.5, word_cosine=1.0, article_grams=2.0)
# The ranking before the word cosine (issue 5); the benchmarks print it beside the current one.
PREVIOUS_WEIGHTS = Weights(word_bm25=0.7, head_grams=1.0, word_cosine=0.0)

_RUNS = re.compile(r"[0-9A-Za-z\u3400-\u9fff]+")
# Words that say how a question is asked, not what it is about; they would otherwise pull every "如何…" question
# towards every other one.
_STOPWORDS_TEXT = (
    "的 了 是 在 和 与 及 或 等 对 为 有 吗 呢 吧 啊 么 什么 哪些 哪个 哪里 哪儿 怎么 怎样 怎么样 如何 是否 能否 可以 "
    "能 会 要 需要 请问 请 我 我们 你 你们 他 她 它 这 那 这个 那个 一下 一个 有何 何 为何 多少 几"
)
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

_jieba_lock = threading.Lock()
_added_words: set[str] = set()
_jieba = jieba.Tokenizer()


def add_words(words: Iterable[str]) -> None:
    """Teach the segmenter names it must keep whole (units, places, topics); safe to call repeatedly."""
    with _jieba_lock:
        for word in words:
            word = (word or "").strip()
            if len(word) >= 2 and word not in _added_words:
                _jieba.add_word(word, freq=2000)
                _added_words.add(word)


def words(text: str) -> list[str]:
    """jieba tokens of `text` in search mode, lower-cased, without punctuation and question words."""
    out: list[str] = []
    for run in _RUNS.findall((text or "").lower()):
        for token in _jieba.lcut_for_search(run):
            if token not in STOPWORDS:
                out.append(token)
    return out


def char_grams(text: str) -> list[str]:
    """Character 2- and 3-grams inside runs of letters, digits and Chinese characters; a lone character stays."""
    out: list[str] = []
    for run in _RUNS.findall((text or "").lower()):
        if len(run) == 1:
            out.append(run)
            continue
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
        out.extend(run[i:i + 3] for i in range(len(run) - 2))
    return out


@dataclass(frozen=True)
class Doc:
    """One searchable article: its id, texts and the values filters look at."""

    id: int
    title: str
    answer: str
    questions: tuple[str, ...] = ()
    topic_id: int | None = None
    unit_id: int | None = None
    region_id: int | None = None
    valid_from: object = None  # datetime.date or None
    valid_to: object = None


@dataclass(frozen=True)
class Analysed:
    """A document's jieba words, kept between rebuilds because segmenting is the slow part; one string per field
    (a tuple of 100 small strings per article would cost gigabytes over 100,000 articles)."""

    head: str
    answer: str

    def weighted(self) -> list[str]:
        """The word tokens BM25 indexes: the head's counted `HEAD_WEIGHT` times."""
        return self.head.split() * HEAD_WEIGHT + self.answer.split()


def head_text(doc: Doc) -> str:
    """Title and question forms: what a caller's question most resembles."""
    return " ".join([doc.title, *doc.questions])


def analyse(doc: Doc) -> Analysed:
    """The words of the head (title, question forms) and of the answer."""
    return Analysed(head=" ".join(words(head_text(doc))), answer=" ".join(words(doc.answer)))


def _bm25(corpus: list[list[str]]) -> bm25s.BM25:
    model = bm25s.BM25(k1=1.2, b=0.75)
    # bm25s needs at least one token per document; an empty one gets a token no query produces.
    model.index([tokens or ["\x00"] for tokens in corpus] or [["\x00"]], show_progress=False)
    return model


def _postings(model: bm25s.BM25) -> sparse.csr_matrix:
    """bm25s's precomputed per-(token, document) scores as a token-major scipy matrix: summing a query's rows in
    compiled code is several times faster than bm25s's own accumulation over 100,000 documents."""
    s = model.scores
    return sparse.csr_matrix((s["data"], s["indices"], s["indptr"]), shape=(len(s["indptr"]) - 1, s["num_docs"]))


def _row_sum(matrix: sparse.csr_matrix, rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """`weights @ matrix[rows]` as a dense vector: touches only the postings of `rows`."""
    if rows.size == 0:
        return np.zeros(matrix.shape[1], dtype=np.float32)
    return np.asarray(matrix[rows].T @ weights).ravel()


def _bm25_scores(model: bm25s.BM25, postings: sparse.csr_matrix, tokens: Sequence[str]) -> np.ndarray:
    """BM25 of every document: each query token's postings, counted as often as the token occurs in the query."""
    ids, counts = np.unique(np.asarray(model.get_tokens_ids(list(tokens)), dtype=np.int64), return_counts=True)
    return _row_sum(postings, ids, counts.astype(np.float32))


def _normalised(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


class GramSpace:
    """TF-IDF cosine over the character grams of each document's head. Grams are hashed into 2^21 columns rather
    than kept in a vocabulary (millions of distinct grams over 100,000 articles would cost hundreds of MB as a
    dict); the matrix is kept term-major so a query only touches the postings of its own grams."""

    def __init__(self, heads: Sequence[str]) -> None:
        self.hasher = HashingVectorizer(analyzer=char_grams, n_features=GRAM_COLUMNS, alternate_sign=False, norm=None,
                                        dtype=np.float32)
        self.idf = TfidfTransformer(sublinear_tf=True)
        counts = self.hasher.transform(heads) if heads else None
        self.head = normalize(self.idf.fit_transform(counts)).T.tocsr() if counts is not None else None
        self.idf_ = self.idf.idf_ if counts is not None else np.zeros(0, dtype=np.float32)
        # Which columns some document has; when set, a query's other grams are left out of its vector.
        self.seen: np.ndarray | None = None

    @classmethod
    def pruned(cls, texts: Sequence[str], keep: int, chunk: int = 20_000) -> GramSpace:
        """The same over whole texts, each row cut to its `keep` heaviest grams after normalising (not normalised
        again). Over `chunk` texts it is built a chunk at a time, hashing each text twice (once for the document
        frequencies, once for the weights), so at most two chunks' grams are in memory at once, never all."""
        if keep < 1:
            raise ValueError("keep must be at least 1")
        space = cls([])
        if not texts:
            return space
        starts = range(0, len(texts), chunk)
        first = space.hasher.transform(texts[:chunk])
        df = np.bincount(first.indices, minlength=GRAM_COLUMNS)
        for start in starts[1:]:
            df += np.bincount(space.hasher.transform(texts[start:start + chunk]).indices, minlength=GRAM_COLUMNS)
        # TfidfTransformer's smooth idf and sublinear tf, computed here so that the counts are read a chunk at a time.
        space.idf_ = (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)
        space.seen = df > 0
        parts = []
        for start in starts:
            counts = first if start == 0 else space.hasher.transform(texts[start:start + chunk])
            counts.data = (1 + np.log(counts.data)) * space.idf_[counts.indices]
            parts.append(_keep_heaviest(normalize(counts), keep))
        space.head = sparse.vstack(parts, format="csr").T.tocsr()
        return space

    def vector(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """The query's unit TF-IDF vector as (columns, weights), hashed exactly as `HashingVectorizer` does but
        without its per-call overhead (about 1 ms, most of a query's time)."""
        counts: dict[int, int] = {}
        for gram in char_grams(query):
            column = abs(murmurhash3_32(gram, seed=0)) % GRAM_COLUMNS
            counts[column] = counts.get(column, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        columns = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        if self.seen is not None:
            keep = self.seen[columns]
            columns, tf = columns[keep], tf[keep]
            if not columns.size:
                return columns, tf
        weights = ((1 + np.log(tf)) * self.idf_[columns]).astype(np.float32)
        return columns, weights / np.float32(np.linalg.norm(weights))

    def scores(self, query: str, n: int) -> np.ndarray:
        """Cosine of the query with every head."""
        if self.head is None:
            return np.zeros(n, dtype=np.float32)
        return _row_sum(self.head, *self.vector(query))


def _keep_heaviest(matrix: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Each row's `keep` largest entries (all of a row with fewer)."""
    lengths = np.diff(matrix.indptr)
    if not (lengths > keep).any():
        return matrix
    kept = np.ones(matrix.nnz, dtype=bool)
    for row in np.flatnonzero(lengths > keep):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        kept[start:end] = False
        kept[start + np.argpartition(-matrix.data[start:end], keep - 1)[:keep]] = True
    rows = np.repeat(np.arange(matrix.shape[0]), lengths)[kept]
    return sparse.csr_matrix((matrix.data[kept], (rows, matrix.indices[kept])), shape=matrix.shape)


class WordSpace:
    """TF-IDF cosine over each document's jieba words (the stored `Analysed` strings: nothing is segmented again),
    kept term-major like `GramSpace`."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.vectorizer = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, dtype=np.float32)
        self.matrix = normalize(self.vectorizer.fit_transform(texts)).T.tocsr() if texts else None

    def vector(self, tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The query's unit TF-IDF vector as (rows, weights); words no document has are left out."""
        vocabulary = self.vectorizer.vocabulary_
        counts: dict[int, int] = {}
        for token in tokens:
            row = vocabulary.get(token)
            if row is not None:
                counts[row] = counts.get(row, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        rows = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        weights = ((1 + np.log(tf)) * self.vectorizer.idf_[rows]).astype(np.float32)
        return rows, weights / np.float32(np.linalg.norm(weights))

    def scores(self, tokens: Sequence[str], n: int) -> np.ndarray:
        """Cosine of the query's words with every document's."""
        if self.matrix is None:
            return np.zeros(n, dtype=np.float32)
        return _row_sum(self.matrix, *self.vector(tokens))


@dataclass
class Hit:
    """One ranked result: the article id and its fused score."""

    id: int
    score: float


@dataclass
class SearchIndex:
    """An immutable index over a list of documents; build a new one to change it (see `index.py`)."""

    docs: list[Doc]
    analysed: list[Analysed] = field(repr=False)
    word_model: bm25s.BM25 = field(repr=False)
    word_postings: sparse.csr_matrix = field(repr=False)
    grams: GramSpace = field(repr=False)
    word_space: WordSpace = field(repr=False)
    ids: np.ndarray = field(repr=False)
    article_grams: GramSpace = field(repr=False, default_factory=lambda: GramSpace([]))
    weights: Weights = WEIGHTS
    long_weights: Weights | None = LONG_WEIGHTS  # for queries of LONG_QUERY characters or more; None: `weights`

    @classmethod
    def build(cls, docs: Sequence[Doc], analysed: Sequence[Analysed] | None = None, *,
              weights: Weights = WEIGHTS, long_weights: Weights | None = LONG_WEIGHTS) -> SearchIndex:
        """Index `docs`; pass their `analyse()` results when already known to skip tokenising. `long_weights` rank
        queries of LONG_QUERY characters or more, whatever `weights` are; None ranks every query with `weights`."""
        docs = list(docs)
        done = list(analysed) if analysed is not None else [analyse(d) for d in docs]
        word_model = _bm25([a.weighted() for a in done])
        grams = GramSpace([head_text(d) for d in docs])
        def used(part: str) -> bool:  # whether either weight set reads this view: build it only then
            return any(getattr(w, part) for w in (weights, long_weights) if w is not None)

        word_space = WordSpace([f"{a.head} {a.answer}" for a in done] if used("word_cosine") else [])
        article_grams = GramSpace.pruned([f"{head_text(d)} {d.answer}" for d in docs] if used("article_grams") else [],
                                         ARTICLE_GRAMS)
        return cls(docs=docs, analysed=done, word_model=word_model, word_postings=_postings(word_model), grams=grams,
                   word_space=word_space, ids=np.array([d.id for d in docs], dtype=np.int64), weights=weights,
                   long_weights=long_weights, article_grams=article_grams)

    def weights_for(self, query: str) -> Weights:
        """The fusion weights for this query: `long_weights` for a long one."""
        if self.long_weights is not None and len(query.strip()) >= LONG_QUERY:
            return self.long_weights
        return self.weights

    def __len__(self) -> int:
        return len(self.docs)

    def scores(self, query: str) -> np.ndarray:
        """Fused relevance of every document for `query` (0 where nothing matches)."""
        n = len(self.docs)
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        tokens = words(query)
        w = self.weights_for(query)
        fused = self.grams.scores(query, n) * np.float32(w.head_grams)
        if w.word_bm25:
            fused += w.word_bm25 * _normalised(_bm25_scores(self.word_model, self.word_postings, tokens))
        if w.word_cosine:
            fused += w.word_cosine * self.word_space.scores(tokens, n)
        if w.article_grams:
            fused += w.article_grams * self.article_grams.scores(query, n)
        return fused

    def search(self, query: str, *, k: int = 10, mask: np.ndarray | None = None) -> list[Hit]:
        """The `k` best documents for `query`, optionally only those where `mask` is true."""
        scores = self.scores(query)
        if scores.size == 0:
            return []
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        return top_hits(scores, k, self.ids)


def top_hits(scores: np.ndarray, k: int, ids: Sequence[int] | np.ndarray) -> list[Hit]:
    """The `k` highest positive scores as hits, best first (argpartition: no full sort over 100,000 articles)."""
    k = min(k, scores.size)
    if k <= 0:
        return []
    part = np.argpartition(-scores, k - 1)[:k]
    order = part[np.argsort(-scores[part], kind="stable")]
    return [Hit(id=int(ids[i]), score=float(scores[i])) for i in order if scores[i] > 0]


def plain_words(text: str) -> list[str]:
    """jieba's default (precise) segmentation, lower-cased, punctuation dropped: the baseline's tokens."""
    return [t for run in _RUNS.findall((text or "").lower()) for t in _jieba.lcut(run)]


class BaselineIndex:
    """Plain BM25 (bm25s defaults) over jieba words of title and answer, one field: the evaluation's yardstick."""

    def __init__(self, docs: Sequence[Doc]) -> None:
        self.ids = [d.id for d in docs]
        model = bm25s.BM25()
        corpus = [plain_words(f"{d.title} {' '.join(d.questions)} {d.answer}") or ["\x00"] for d in docs]
        model.index(corpus or [["\x00"]], show_progress=False)
        self.model = model
        self.postings = _postings(model)

    def search(self, query: str, *, k: int = 10) -> list[Hit]:
        """The `k` best documents for `query` by plain BM25."""
        if not self.ids:
            return []
        return top_hits(_bm25_scores(self.model, self.postings, plain_words(query)), k, self.ids)
