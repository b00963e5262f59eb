"""Routing model: 5-fold cross-validation on a labelled CSV against the TF-IDF + LinearSVC baseline, and speed at scale.

    .venv/bin/python bench/bench_routing.py cv [--csv A.csv B.csv ...] [--folds 5]
    .venv/bin/python bench/bench_routing.py speed [--n 100000]

`cv` runs `hotline.intake.evaluation.evaluate_routing` on each fold of each CSV (the same code as `hotline evaluate
routing`: the model chooses its features and C by 3-fold CV on the training part, the baseline is trained on the same
part) and prints the mean figures of both, per data set. `speed` trains the production bundle (topic and unit
models) on n synthetic tickets recombined from the development texts and times one suggestion at a time (target:
under 5 ms p95), with the words kept from intake and, for comparison, segmenting the text at suggestion time.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

import django  # noqa: E402

django.setup()

from sklearn.model_selection import StratifiedKFold  # noqa: E402

from hotline.intake.evaluation import evaluate_routing  # noqa: E402
from hotline.intake.regions import counties  # noqa: E402
from hotline.intake.routing.features import tokens  # noqa: E402
from hotline.intake.routing.model import Example, RoutingBundle  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "data" / "routing" / "gov-messages-7class-dev.csv"
KEYS = ("accuracy", "macro_f1", "top3_accuracy", "ms_per_item")


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["text", "label"])
        writer.writeheader()
        writer.writerows({"text": r["text"], "label": r["label"]} for r in rows)


def cross_validate(path: Path, folds: int) -> dict[str, object]:
    """Mean and per-fold figures of ours and the baseline over stratified folds (fixed seed)."""
    rows = _rows(path)
    labels = [r["label"] for r in rows]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
        for fold, (train, test) in enumerate(splitter.split(rows, labels)):
            train_path, test_path = Path(tmp) / "train.csv", Path(tmp) / "test.csv"
            _write(train_path, [rows[i] for i in train])
            _write(test_path, [rows[i] for i in test])
            result = evaluate_routing(train_path, test_path)
            results.append(result)
            print(f"fold {fold}: ours ({result['selection']['chosen']}) macro-F1 {result['macro_f1']:.4f} "
                  f"top-3 {result['top3_accuracy']:.4f} | "
                  f"baseline macro-F1 {result['baseline']['macro_f1']:.4f} "
                  f"top-3 {result['baseline']['top3_accuracy']:.4f}", flush=True)
    mean = {k: round(float(np.mean([r[k] for r in results])), 4) for k in KEYS}
    mean["baseline"] = {k: round(float(np.mean([r["baseline"][k] for r in results])), 4) for k in KEYS}
    mean["folds"] = folds
    mean["macro_f1_per_fold"] = [r["macro_f1"] for r in results]
    mean["baseline_macro_f1_per_fold"] = [r["baseline"]["macro_f1"] for r in results]
    mean["chosen_per_fold"] = [r["selection"]["chosen"] for r in results]
    return mean


def synthetic(n: int, path: Path, rng: random.Random) -> list[Example]:
    """n tickets: one or two sentences of a message, its class as topic, and a unit per class and county."""
    pool: dict[str, list[str]] = {}
    for row in _rows(path):
        pool.setdefault(row["label"], []).extend(s for s in re.split(r"[。！？!?\n]", row["text"]) if len(s) >= 8)
    labels = sorted(pool)
    places = [(c.code, c.name, t) for c in counties() for t in c.towns]
    out = []
    for _ in range(n):
        label = labels[rng.randrange(len(labels))]
        code, county, town = places[rng.randrange(len(places))]
        text = "，".join(rng.choice(pool[label]) for _ in range(rng.randint(1, 3)))
        # Half the matters go to a county department (属地), the rest to the city bureau: 7 × 13 units.
        unit = f"{label}-{code}" if rng.random() < 0.5 else f"{label}-city"
        out.append(Example(text=text, topic=label, unit=unit, address=f"{county}{town}"))
    return out


def speed(n: int, path: Path, suggestions: int) -> dict[str, object]:
    """Train the production bundle on n tickets, then time one suggestion two ways: segmenting the text then (as
    before) and reading the words the ticket kept from intake (`Ticket.tokens`), the way the dispatch panel does."""
    rng = random.Random(7)
    examples = synthetic(n, path, rng)
    started = time.perf_counter()
    bundle = RoutingBundle().fit(examples)
    train_s = time.perf_counter() - started
    print(f"trained on {n} tickets in {train_s:.1f} s ({bundle.selection})", flush=True)
    sample = rng.sample(examples, suggestions)
    for example in sample[:20]:  # warm up: jieba's dictionary, numpy's first calls
        bundle.predict(example.text, address=example.address)
    segmenting, kept, intake = [], [], []
    for example in sample:
        started = time.perf_counter()
        bundle.predict(example.text, address=example.address)
        segmenting.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        toks, address_toks = tokens(example.text), tokens(example.address)  # once, at intake
        intake.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        bundle.predict(example.text, toks=toks, address=example.address, address_toks=address_toks)
        kept.append((time.perf_counter() - started) * 1000)
    return {"n": n, "train_seconds": round(train_s, 1), "units": len(bundle.unit_model.classes_),
            "suggest_p50_ms": _ms(kept, 50), "suggest_p95_ms": _ms(kept, 95),
            "segmenting_at_suggestion_p50_ms": _ms(segmenting, 50),
            "segmenting_at_suggestion_p95_ms": _ms(segmenting, 95),
            "segmenting_at_intake_p95_ms": _ms(intake, 95)}


def _ms(spent: list[float], q: int) -> float:
    return round(float(np.percentile(spent, q)), 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["cv", "speed"])
    parser.add_argument("--csv", nargs="+", default=[str(DEFAULT_CSV)], help="one or more labelled CSVs (text,label)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--suggestions", type=int, default=500)
    args = parser.parse_args()
    if args.what == "speed":
        print(json.dumps(speed(args.n, Path(args.csv[0]), args.suggestions), ensure_ascii=False))
        return
    # Every data set it is given, the model and the baseline trained on the same folds in the same run.
    results = {}
    for path in args.csv:
        print(f"== {path}", flush=True)
        results[Path(path).name] = cross_validate(Path(path), args.folds)
        print(json.dumps({Path(path).name: results[Path(path).name]}, ensure_ascii=False), flush=True)
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
