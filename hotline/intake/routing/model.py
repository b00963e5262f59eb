"""The routing bundle: a topic model and a unit model, each on the features chosen for it, stored as one file."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

from hotline.intake.routing.classifier import MIN_EXAMPLES, LabelModel, Ranked
from hotline.intake.routing.features import SEP, FeatureSpec, Featurizer, tokens
from hotline.intake.routing.selection import Choice, choose

FORMAT = 2  # bumped when the pickled layout changes, so an old file is refused rather than misread


@dataclass
class Example:
    """One training ticket: its text, topic code and final lead unit code (either may be empty) and when."""

    text: str
    topic: str
    unit: str
    at: dt.datetime | None = None
    tokens: str = ""  # its words, when already segmented (features.tokens)
    address: str = ""  # read by the unit model only (属地); the topic is the matter, wherever it is


def _with_address(address: str, text: str) -> str:
    return f"{address} {text}" if address else text


@dataclass
class Prediction:
    """Top-k topics and top-k lead units for one text."""

    topics: list[Ranked] = field(default_factory=list)
    units: list[Ranked] = field(default_factory=list)


def _learnable(labels: list[str]) -> bool:
    counts = Counter(label for label in labels if label)
    return sum(1 for n in counts.values() if n >= MIN_EXAMPLES) >= 2


def _join(first: str, second: str) -> str:
    return f"{first}{SEP}{second}" if first and second else first or second


def _fit_target(featurizers: dict[tuple[str, FeatureSpec], tuple[Featurizer, csr_matrix]],
                examples: Sequence[Example],
                target: str, texts: list[str], toks: list[str], select: bool,
                ) -> tuple[LabelModel | None, FeatureSpec | None, dict[str, object] | None]:
    labels = [getattr(e, target) for e in examples]
    rows = [i for i, label in enumerate(labels) if label]
    if len({labels[i] for i in rows}) < 2:
        return None, None, None
    choice = choose([texts[i] for i in rows], [labels[i] for i in rows], [toks[i] for i in rows]) if select \
        else Choice(spec=FeatureSpec(), c=1.0, balanced=True)
    key = (RoutingBundle.kind(target), choice.spec)
    if key not in featurizers:
        featurizer = Featurizer(choice.spec)
        featurizers[key] = (featurizer, featurizer.fit_transform(texts, toks))
    matrix = featurizers[key][1]
    try:
        model = LabelModel(c=choice.c, balanced=choice.balanced).fit(matrix[rows], [labels[i] for i in rows])
    except ValueError:
        return None, None, None
    return model, choice.spec, choice.report() if select else None


def top_k_accuracy(proba: np.ndarray, classes: np.ndarray, truth: Sequence[str], k: int = 3) -> float:
    """Share of rows whose true label is among the k most probable."""
    best = np.argsort(-proba, axis=1)[:, :k]
    return float(np.mean([truth[i] in set(classes[best[i]]) for i in range(len(truth))])) if len(truth) else 0.0


class RoutingBundle:
    """Everything a suggestion needs, pickled as one object with a format number."""

    format = FORMAT

    def __init__(self, *, select: bool = True) -> None:
        self.select = select
        # Keyed by what the featurizer reads ("text", or "place": address and text) and its spec.
        self.featurizers: dict[tuple[str, FeatureSpec], Featurizer] = {}
        self.topic_model: LabelModel | None = None
        self.unit_model: LabelModel | None = None
        self.specs: dict[str, FeatureSpec] = {}
        self.selection: dict[str, object] = {}

    def fit(self, examples: Sequence[Example]) -> RoutingBundle:
        """Choose and fit one model per target that has at least two labels (`select`: by cross-validation)."""
        if not any(_learnable([getattr(e, target) for e in examples]) for target in ("topic", "unit")):
            raise ValueError("训练数据不足：事项分类和承办单位都少于两个类别（每类至少3条）")
        texts = [e.text for e in examples]
        toks = [e.tokens or tokens(e.text) for e in examples]  # segmented once for every candidate and fold
        places = [_with_address(e.address, e.text) for e in examples]
        place_toks = [_join(tokens(e.address), t) if e.address else t for e, t in zip(examples, toks, strict=True)]
        fitted: dict[tuple[str, FeatureSpec], tuple[Featurizer, csr_matrix]] = {}
        for target in ("topic", "unit"):
            x, x_toks = (places, place_toks) if target == "unit" else (texts, toks)
            model, spec, report = _fit_target(fitted, examples, target, x, x_toks, self.select)
            setattr(self, f"{target}_model", model)
            if spec is not None:
                self.specs[target] = spec
            if report is not None:
                self.selection[target] = report
        if self.topic_model is None and self.unit_model is None:
            raise ValueError("训练数据不足：事项分类和承办单位都少于两个类别（每类至少3条）")
        self.featurizers = {key: pair[0] for key, pair in fitted.items()}
        for featurizer in self.featurizers.values():
            _ = featurizer.names, featurizer.evidence  # computed once here, never while suggesting
        return self

    def transform(self, target: str, texts: list[str], addresses: list[str] | None = None) -> csr_matrix:
        """Feature rows of many texts for one target's model."""
        if target == "unit" and addresses:
            texts = [_with_address(a, t) for a, t in zip(addresses, texts, strict=True)]
        return self.featurizers[(self.kind(target), self.specs[target])].transform(texts)

    @staticmethod
    def kind(target: str) -> str:
        return "place" if target == "unit" else "text"

    def predict(self, text: str, k: int = 3, toks: str | None = None, address: str = "",
                address_toks: str | None = None) -> Prediction:
        """Top-k topics and lead units for one text (`toks`, `address_toks`: its words, segmented at intake)."""
        joined = toks if toks is not None else tokens(text)
        place = (address_toks if address_toks is not None else tokens(address)) if address else ""
        inputs = {"text": (text, joined),
                  "place": (_with_address(address, text), _join(place, joined) if address else joined)}
        out = Prediction()
        for target, model in (("topic", self.topic_model), ("unit", self.unit_model)):
            if model is not None:
                featurizer = self.featurizers[(self.kind(target), self.specs[target])]
                x, x_toks = inputs[self.kind(target)]
                row = featurizer.transform_one(x, x_toks)
                setattr(out, f"{target}s", model.top(row, featurizer.names, k, evidence=featurizer.evidence))
        return out


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
    texts = [e.text for e in test]
    return {"train": len(train), "test": len(test),
            "topic": _score(bundle.topic_model, bundle.transform("topic", texts) if bundle.topic_model else None,
                            [e.topic for e in test]),
            "unit": _score(bundle.unit_model, bundle.transform("unit", texts, [e.address for e in test])
                           if bundle.unit_model else None, [e.unit for e in test])}
