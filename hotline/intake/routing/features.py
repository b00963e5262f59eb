"""Text features for Chinese tickets: character 1-4-grams and jieba word 1-2-grams, TF-IDF with sublinear tf.

Characters catch place and object names jieba splits badly; words catch the matter ("拖欠工资", "噪音扰民"). Digits and
Latin codes (house numbers, plate numbers, anonymised place codes) are folded so they do not become features of a class.
"""

from __future__ import annotations

import logging
import re

import jieba
import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer

jieba.setLogLevel(logging.WARNING)

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_LATIN = re.compile(r"[A-Za-z]+")
_SPACE = re.compile(r"\s+")
_PUNCT = frozenset("，。、；：？！,.;:?!（）()【】[]“”\"'《》<>—-_/\\|·…~～ 　")


def normalise(text: str) -> str:
    """Fold digits to 0 and Latin runs to A, collapse whitespace."""
    return _SPACE.sub(" ", _LATIN.sub("A", _DIGITS.sub("0", text or ""))).strip()


def words(text: str) -> list[str]:
    """jieba words of normalised text, punctuation and spaces dropped."""
    return [w for w in jieba.lcut(text) if w.strip() and w not in _PUNCT]


def word_ngrams(text: str) -> list[str]:
    """Word unigrams and bigrams (the analyzer of the word vectorizer; module level so models pickle)."""
    tokens = words(text)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


class Featurizer:
    """Fits the two TF-IDF vocabularies and maps texts to one sparse matrix; also names each column for explanations."""

    def __init__(self, *, char_range: tuple[int, int] = (1, 4), min_df: int = 2,
                 max_char_features: int | None = 400_000, max_word_features: int | None = 200_000) -> None:
        self.chars = TfidfVectorizer(analyzer="char", ngram_range=char_range, sublinear_tf=True, min_df=min_df,
                                     max_features=max_char_features, dtype=np.float32)
        self.words = TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True, min_df=min_df,
                                     max_features=max_word_features, dtype=np.float32)
        self._names: np.ndarray | None = None

    def fit_transform(self, texts: list[str]) -> csr_matrix:
        norm = [normalise(t) for t in texts]
        matrix = hstack([self.chars.fit_transform(norm), self.words.fit_transform(norm)]).tocsr()
        self._names = None
        return matrix

    def transform(self, texts: list[str]) -> csr_matrix:
        norm = [normalise(t) for t in texts]
        return hstack([self.chars.transform(norm), self.words.transform(norm)]).tocsr()

    @property
    def names(self) -> np.ndarray:
        """Column names: the character n-gram, or the word(s) with spaces removed."""
        if self._names is None:
            chars = self.chars.get_feature_names_out()
            word_names = np.array([n.replace(" ", "") for n in self.words.get_feature_names_out()], dtype=object)
            self._names = np.concatenate([chars.astype(object), word_names])
        return self._names
