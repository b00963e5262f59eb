"""Text features for Chinese tickets: character n-grams and jieba word 1-2-grams, TF-IDF, in the mix a city's own
history selects (see `selection.py`).

Characters catch place and object names jieba splits badly; words catch the matter ("拖欠工资", "噪音扰民"). Digits and
Latin codes (house numbers, plate numbers, anonymised place codes) are folded so they do not become features of a class.
A text's head (its first HEAD characters: a ticket's title, or the first words of a message, or the address a unit
model reads first) can be read again as a block of its own, so what a citizen put first weighs more than the long
account that follows.
A text is segmented once (`tokens`) and its words reused by every vectorizer, fold and candidate.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import jieba
import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer

jieba.setLogLevel(logging.WARNING)

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_LATIN = re.compile(r"[A-Za-z]+")
_SPACE = re.compile(r"\s+")
_PUNCT = frozenset("，。、；：？！,.;:?!（）()【】[]“”\"'《》<>—-_/\\|·…~～ 　")
SEP = "\x1f"  # joins a text's words into one string for the word vectorizer
# Only words made of Chinese characters are shown as evidence: no punctuation, no folded digits or codes.
_HAN = re.compile(r"[\u3400-\u9fff]+")
# Words that say how a citizen writes, not what the matter is; never shown as the reason for a suggestion.
_EVIDENCE_STOPWORDS_TEXT = (
    "的 了 是 在 和 与 及 或 等 对 为 有 吗 呢 吧 啊 么 也 都 就 还 又 被 把 让 给 从 向 到 跟 很 太 更 最 不 没 没有 "
    "我 我们 你 你们 他 她 它 他们 这 那 这个 那个 这里 那里 这些 那些 哪 哪里 什么 怎么 怎样 如何 多少 几 是否 能否 "
    "可以 能 会 要 需要 想 请 请问 您好 你好 谢谢 麻烦 希望 要求 反映 问题 情况 相关 有关 部门 领导 已经 现在 目前 "
    "一直 还是 就是 但是 因为 所以 而且 如果 然后 一下 一个 一些 这样 那样 今天 昨天 时候 现象 事情 处理 解决 "
    "尽快 及时 已 并 且 而 但 却 再 才 自己 大家 其他 其它 之前 之后 以后 以前 上 下 里 中 后 前 "
    "街道 社区 小区 区 县 市 镇 乡 村 路 号 栋 单元 楼 附近 门口 旁边 地方"
)
EVIDENCE_STOPWORDS = frozenset(_EVIDENCE_STOPWORDS_TEXT.split())
HEAD = 20  # characters of a text's beginning read again as the head block (a title is 10-20 characters)
HEAD_WEIGHT = 0.5  # the head block's rows are scaled by this before the blocks are joined


def normalise(text: str) -> str:
    """Fold digits to 0 and Latin runs to A, collapse whitespace."""
    return _SPACE.sub(" ", _LATIN.sub("A", _DIGITS.sub("0", text or ""))).strip()


def words(text: str) -> list[str]:
    """jieba words of normalised text, punctuation and spaces dropped."""
    return [w for w in jieba.lcut(text) if w.strip() and w not in _PUNCT]


def tokens(text: str) -> str:
    """The text's words, segmented once and kept as one string (what `Featurizer` takes instead of segmenting)."""
    return SEP.join(words(normalise(text)))


def joined_ngrams(joined: str) -> list[str]:
    """Word 1-2-grams of a `tokens` string (the word vectorizer's analyzer; module level so models pickle)."""
    parts = [w for w in joined.split(SEP) if w]
    return parts + [f"{a} {b}" for a, b in zip(parts, parts[1:], strict=False)]


def word_ngrams(text: str) -> list[str]:
    """Word unigrams and bigrams of raw text (kept for models pickled before `tokens` existed)."""
    return joined_ngrams(tokens(text))


def is_evidence(name: str) -> bool:
    """Whether a feature reads as a word to show a dispatcher: Chinese words, none of them a stop word."""
    parts = name.split(" ")
    return (len("".join(parts)) >= 2 and all(_HAN.fullmatch(p) and p not in EVIDENCE_STOPWORDS for p in parts))


def _row(vectorizer: TfidfVectorizer, doc: str) -> csr_matrix:
    """TF-IDF row of one document with the fitted vocabulary and idf: counts, sublinear tf, idf, l2 norm."""
    vocabulary = vectorizer.vocabulary_
    counts = Counter(term for term in vectorizer.build_analyzer()(doc) if term in vocabulary)
    columns = np.fromiter((vocabulary[t] for t in counts), dtype=np.int64, count=len(counts))
    values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    if vectorizer.sublinear_tf:
        values = np.log(values) + 1.0
    values = values * vectorizer.idf_[columns]
    norm = float(np.sqrt(np.dot(values, values)))
    if norm > 0:
        values /= norm
    order = np.argsort(columns)
    return csr_matrix((values[order].astype(np.float32), columns[order], [0, len(columns)]),
                      shape=(1, len(vocabulary)), dtype=np.float32)


@dataclass(frozen=True)
class FeatureSpec:
    """Which features: character n-gram range (or none), word 1-2-grams or not, and the TF-IDF options."""

    chars: tuple[int, int] | None = (1, 4)
    words: bool = True
    sublinear: bool = True
    min_df: int = 2
    fold: bool = True  # fold digits and Latin codes before the character n-grams
    head: int = 0  # characters of the text's beginning read again as a character 1-3-gram block (0: none)

    @property
    def name(self) -> str:
        parts = [f"char{self.chars[0]}-{self.chars[1]}"] if self.chars else []
        parts += ["word1-2"] if self.words else []
        parts += [f"head{self.head}"] if self.head else []
        return "+".join(parts) + ("" if self.sublinear or self.min_df > 1 else " plain")


# The plain baseline every trained model is measured against: character 1-3-gram TF-IDF of the raw text.
BASELINE = FeatureSpec(chars=(1, 3), words=False, sublinear=False, min_df=1, fold=False)


class Featurizer:
    """Fits the TF-IDF vocabularies of a spec and maps texts to one sparse matrix; names columns for explanations."""

    def __init__(self, spec: FeatureSpec = FeatureSpec(), *, max_char_features: int | None = 400_000,
                 max_word_features: int | None = 200_000) -> None:
        self.spec = spec
        self.chars = TfidfVectorizer(analyzer="char", ngram_range=spec.chars, sublinear_tf=spec.sublinear,
                                     min_df=spec.min_df, max_features=max_char_features,
                                     dtype=np.float32) if spec.chars else None
        self.words = TfidfVectorizer(analyzer=joined_ngrams, sublinear_tf=spec.sublinear, min_df=spec.min_df,
                                     max_features=max_word_features, dtype=np.float32) if spec.words else None
        self.head = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=spec.min_df,
                                    dtype=np.float32) if spec.head else None
        self._names: np.ndarray | None = None
        self._evidence: np.ndarray | None = None

    def _head(self) -> TfidfVectorizer | None:
        return getattr(self, "head", None)  # featurizers pickled before the head block have none

    def _inputs(self, texts: Sequence[str], toks: Sequence[str] | None) -> tuple[list[str], list[str], list[str]]:
        folded = [normalise(t) if self.spec.fold else (t or "") for t in texts] if self.chars or self._head() else []
        joined = (list(toks) if toks is not None else [tokens(t) for t in texts]) if self.words else []
        heads = [t[: self.spec.head] for t in folded] if self._head() else []
        return (folded if self.chars else []), joined, heads

    def fit_transform(self, texts: Sequence[str], toks: Sequence[str] | None = None) -> csr_matrix:
        chars, joined, heads = self._inputs(texts, toks)
        head = self._head()
        blocks = ([self.chars.fit_transform(chars)] if self.chars else []) + \
                 ([self.words.fit_transform(joined)] if self.words else []) + \
                 ([head.fit_transform(heads) * HEAD_WEIGHT] if head else [])
        self._names = self._evidence = None
        return hstack(blocks).tocsr()

    def transform(self, texts: Sequence[str], toks: Sequence[str] | None = None) -> csr_matrix:
        chars, joined, heads = self._inputs(texts, toks)
        head = self._head()
        blocks = ([self.chars.transform(chars)] if self.chars else []) + \
                 ([self.words.transform(joined)] if self.words else []) + \
                 ([head.transform(heads) * HEAD_WEIGHT] if head else [])
        return hstack(blocks).tocsr()

    def transform_one(self, text: str, toks: str | None = None) -> csr_matrix:
        """One text's row, the same values as `transform` without scikit-learn's per-call input checks, which cost
        several milliseconds per vectorizer (a suggestion must take under 5 ms, 第十三条)."""
        chars, joined, heads = self._inputs([text], [toks] if toks is not None else None)
        head = self._head()
        blocks = ([_row(self.chars, chars[0])] if self.chars else []) + \
                 ([_row(self.words, joined[0])] if self.words else []) + \
                 ([_row(head, heads[0]) * HEAD_WEIGHT] if head else [])
        return hstack(blocks).tocsr() if len(blocks) > 1 else blocks[0]

    @property
    def names(self) -> np.ndarray:
        """Column names: the character n-gram, or the word(s) with spaces removed."""
        if self._names is None:
            self._names, self._evidence = self._columns()
        return self._names

    @property
    def evidence(self) -> np.ndarray:
        """Per column, whether it may be shown as a word behind a suggestion (word features that read as words)."""
        if self._evidence is None:
            self._names, self._evidence = self._columns()
        return self._evidence

    def _columns(self) -> tuple[np.ndarray, np.ndarray]:
        empty = np.array([], dtype=object)
        chars = self.chars.get_feature_names_out().astype(object) if self.chars else empty
        raw = self.words.get_feature_names_out() if self.words else empty
        head = self._head()
        heads = head.get_feature_names_out().astype(object) if head else empty
        names = np.concatenate([chars, np.array([n.replace(" ", "") for n in raw], dtype=object), heads])
        if self.words:
            char_evidence = np.zeros(len(chars) + len(heads), dtype=bool)
        else:  # characters only: show the n-grams that are dictionary words
            jieba.dt.check_initialized()
            char_evidence = np.array([is_evidence(n) and jieba.dt.FREQ.get(n, 0) > 0
                                      for n in np.concatenate([chars, heads])], dtype=bool)
        evidence = np.concatenate([char_evidence[: len(chars)], np.array([is_evidence(n) for n in raw], dtype=bool),
                                   char_evidence[len(chars):]])
        return names, evidence
