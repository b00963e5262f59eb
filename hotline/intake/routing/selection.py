"""Choosing the routing model on the city's own history: features and regularisation by 3-fold cross-validation,
with the plain character TF-IDF + linear SVM baseline among the candidates, so the choice is never worse than it.

Every city's tickets differ (long messages, short department-routing texts, 7 or 90 classes): no one mix of
features wins everywhere, so `train` measures a few on the history it is given and keeps the best by macro-F1.
Texts are segmented once and their words reused by every fold and candidate.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from hotline.intake.routing.features import BASELINE, HEAD, FeatureSpec, Featurizer, tokens

FOLDS = 3
# Candidates besides the baseline: characters and words together, words alone, characters and words with a longer
# character range, and characters with and without words with the text's head read again (the title, or the address
# for a unit model); each with two regularisation strengths. Small on purpose: training runs on a shared CPU.
CANDIDATES: tuple[FeatureSpec, ...] = (FeatureSpec(chars=(1, 3)), FeatureSpec(chars=None), FeatureSpec(chars=(1, 4)),
                                       FeatureSpec(chars=(1, 3), words=False, head=HEAD),
                                       FeatureSpec(chars=(1, 3), head=HEAD))
C_GRID = (0.5, 1.0)
# Above this many tickets the choice is made on a fixed random sample: the ranking of a few candidates settles long
# before 100,000 tickets, and training must finish on a small server (the chosen model still learns from all).
SELECTION_MAX = 20_000


@dataclass(frozen=True)
class Choice:
    """What to train: the features, C, whether classes are balanced; and the cross-validated macro-F1 of each."""

    spec: FeatureSpec
    c: float
    balanced: bool
    figures: dict[str, float] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.spec.name} C={self.c}" if self.balanced else "baseline"

    def report(self) -> dict[str, object]:
        """The figures it was chosen on, for the model's record and the command's output."""
        return {"chosen": self.label, "folds": FOLDS, "cv_macro_f1": dict(self.figures),
                "baseline_cv_macro_f1": self.figures.get("baseline")}


BASELINE_CHOICE = Choice(spec=BASELINE, c=1.0, balanced=False)


def _learnable(labels: Sequence[str]) -> list[int]:
    counts = Counter(labels)
    return [i for i, label in enumerate(labels) if label and counts[label] >= FOLDS]


def _cv_f1(spec: FeatureSpec, texts: list[str], toks: list[str], y: np.ndarray, folds: list[tuple[np.ndarray,
           np.ndarray]], cs: Sequence[float], balanced: bool) -> dict[float, float]:
    """Mean macro-F1 over the folds for each C (the vectorizer is fitted on each training part only)."""
    scores: dict[float, list[float]] = {c: [] for c in cs}
    for train, test in folds:
        featurizer = Featurizer(spec)
        x_train = featurizer.fit_transform([texts[i] for i in train], [toks[i] for i in train])
        x_test = featurizer.transform([texts[i] for i in test], [toks[i] for i in test])
        for c in cs:
            svm = LinearSVC(C=c, class_weight="balanced" if balanced else None).fit(x_train, y[train])
            scores[c].append(f1_score(y[test], svm.predict(x_test), average="macro"))
    return {c: float(np.mean(v)) for c, v in scores.items()}


def choose(texts: Sequence[str], labels: Sequence[str], toks: Sequence[str] | None = None) -> Choice:
    """The best candidate by 3-fold macro-F1 on these texts; the baseline unless a candidate beats it."""
    rows = _learnable(labels)
    if len(rows) > SELECTION_MAX:
        sample = sorted(random.Random(0).sample(rows, SELECTION_MAX))
        rows = [sample[i] for i in _learnable([labels[j] for j in sample])]
    y = np.asarray([labels[i] for i in rows], dtype=object)
    if len(set(y)) < 2 or len(rows) < 2 * FOLDS:
        return Choice(spec=FeatureSpec(), c=1.0, balanced=True, figures={})
    texts_ = [texts[i] for i in rows]
    toks_ = [toks[i] for i in rows] if toks is not None else [tokens(t) for t in texts_]
    folds = list(StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=0).split(texts_, y))
    best_score = _cv_f1(BASELINE, texts_, toks_, y, folds, (1.0,), False)[1.0]
    figures = {"baseline": round(best_score, 4)}
    best = BASELINE_CHOICE
    for spec in CANDIDATES:
        for c, score in _cv_f1(spec, texts_, toks_, y, folds, C_GRID, True).items():
            label = f"{spec.name} C={c}"
            figures[label] = round(score, 4)
            # Strictly better than the best so far, the baseline first, as the figures show them (four decimals):
            # a tie keeps the earlier, simpler model.
            if round(score, 4) > round(best_score, 4):
                best, best_score = Choice(spec=spec, c=c, balanced=True), score
    return Choice(spec=best.spec, c=best.c, balanced=best.balanced, figures=figures)
