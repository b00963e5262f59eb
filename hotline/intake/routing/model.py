"""The routing bundle: one featurizer, a topic model and a unit model, trained together and stored as one file."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

from hotline.intake.routing.classifier import MIN_EXAMPLES, LabelModel, Ranked
from hotline.intake.routing.features import Featurizer

FORMAT = 1  # bumped when the pickled layout changes, so an old file is refused rather than misread


@dataclass
class Example:
    """One training ticket: its text, topic code and final lead unit code (either may be empty) and when."""

    text: str
    topic: str
    unit: str
    at: dt.datetime | None = None


@dataclass
class Prediction:
    """Top-k topics and top-k lead units for one text."""

    topics: list[Ranked] = field(default_factory=list)
    units: list[Ranked] = field(default_factory=list)


def _learnable(labels: list[str]) -> bool:
    counts = Counter(label for label in labels if label)
    return sum(1 for n in counts.values() if n >= MIN_EXAMPLES) >= 2


def _fit_target(matrix: object, labels: list[str]) -> LabelModel | None:
    rows = [i for i, label in enumerate(labels) if label]
    if len({labels[i] for i in rows}) < 2:
        return None
    try:
        return LabelModel().fit(matrix[rows], [labels[i] for i in rows])  # type: ignore[index]
    except ValueError:
        return None


def top_k_accuracy(proba: np.ndarray, classes: np.ndarray, truth: Sequence[str], k: int = 3) -> float:
    """Share of rows whose true label is among the k most probable."""
    best = np.argsort(-proba, axis=1)[:, :k]
    return float(np.mean([truth[i] in set(classes[best[i]]) for i in range(len(truth))])) if len(truth) else 0.0


class RoutingBundle:
    """Everything a suggestion needs, pickled as one object with a format number."""

    format = FORMAT

    def __init__(self) -> None:
        self.featurizer = Featurizer()
        self.topic_model: LabelModel | None = None
        self.unit_model: LabelModel | None = None

    def fit(self, examples: Sequence[Example]) -> RoutingBundle:
        """Fit features on every text and one model per target that has at least two labels."""
        if not any(_learnable([getattr(e, target) for e in examples]) for target in ("topic", "unit")):
            raise ValueError("训练数据不足：事项分类和承办单位都少于两个类别（每类至少3条）")
        matrix = self.featurizer.fit_transform([e.text for e in examples])
        self.topic_model = _fit_target(matrix, [e.topic for e in examples])
        self.unit_model = _fit_target(matrix, [e.unit for e in examples])
        if self.topic_model is None and self.unit_model is None:
            raise ValueError("训练数据不足：事项分类和承办单位都少于两个类别（每类至少3条）")
        _ = self.featurizer.names  # computed once here so loading and suggesting never pay for it
        return self

    def predict(self, text: str, k: int = 3) -> Prediction:
        """Top-k topics and lead units for one text."""
        row = self.featurizer.transform([text])
        names = self.featurizer.names
        return Prediction(
            topics=self.topic_model.top(row, names, k) if self.topic_model else [],
            units=self.unit_model.top(row, names, k) if self.unit_model else [],
        )


def _score(model: LabelModel | None, matrix: object, truth: list[str]) -> dict[str, float] | None:
    rows = [i for i, label in enumerate(truth) if label and label in set(model.classes_)] if model else []
    if model is None or not rows:
        return None
    proba = model.predict_proba(matrix[rows])  # type: ignore[index]
    y = [truth[i] for i in rows]
    predicted = model.classes_[proba.argmax(axis=1)]
    return {"accuracy": round(float(accuracy_score(y, predicted)), 4),
            "macro_f1": round(float(f1_score(y, predicted, average="macro")), 4),
            "top3_accuracy": round(top_k_accuracy(proba, model.classes_, y), 4), "n": len(rows)}


def heldout_figures(examples: Sequence[Example], *, test_size: float = 0.2, seed: int = 0) -> dict[str, object]:
    """Train on the older part, test on the newest `test_size`, and return the figures per target."""
    ordered = sorted(examples, key=lambda e: e.at or dt.datetime.min.replace(tzinfo=dt.UTC))
    cut = int(len(ordered) * (1 - test_size))
    train, test = list(ordered[:cut]), list(ordered[cut:])
    if len(test) < 2 * MIN_EXAMPLES or not train:
        # Too few tickets for a time split to say anything: fall back to a shuffled split.
        train, test = train_test_split(list(examples), test_size=test_size, random_state=seed)
    bundle = RoutingBundle().fit(train)
    matrix = bundle.featurizer.transform([e.text for e in test])
    return {"train": len(train), "test": len(test),
            "topic": _score(bundle.topic_model, matrix, [e.topic for e in test]),
            "unit": _score(bundle.unit_model, matrix, [e.unit for e in test])}
