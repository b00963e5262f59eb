"""Repeat detection with the replies of earlier tickets (issue 16, item 3), measured outside the product.

A new ticket is a development question; the earlier tickets are the other questions, each with the answer it received
(similar/policy-questions-dev.csv: same docid = same matter). For each question with a partner: is the best other
question one of its document's (recall@1)? The questions are split in two halves by document (md5 of the docid,
`bench_search.half`); each weight is chosen on half 0 and reported on half 1.

    .venv/bin/python bench/repeat_replies.py [--data ../shared/data]

Variants: the index as it is (question only); question and answer as one text; the question's BM25 plus w times a
separate answer field's BM25 (its own idf and lengths), raw or both max-scaled per query; plus w times a word TF-IDF
cosine (jieba words, as knowledge search) against the answer, against question and answer, and, as the control,
against the question alone; the answer field with only the answer's first sentence, or its first 40 characters (a
short reply); and with only some earlier tickets replied to (a new ticket has no reply yet). Runs in seconds.
Prints a JSON line last (with each fusion's recall at every weight tried).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

import django  # noqa: E402

django.setup()


from bench_search import half  # noqa: E402

from hotline.intake.similar import SimilarIndex, _vectorizer  # noqa: E402
from hotline.knowledge.search import words  # noqa: E402

WEIGHTS = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.5, 2.0]


def scores(index: SimilarIndex, queries: list[str]) -> np.ndarray:
    """BM25 of every indexed text for every query, as `SimilarIndex.search` scores a candidate (dense)."""
    q = _vectorizer().transform(queries).tocsr()
    q.data[:] = 1.0
    q = csr_matrix(q.multiply(index.idf[np.newaxis, :]))
    return np.asarray((q @ index.rows.T).todense(), dtype=np.float32)


def first_sentence(text: str) -> str:
    parts = [p for p in re.split(r"(?<=[。！？；!?;\n])", text.strip()) if p.strip()]
    return parts[0] if parts else ""


class Task:
    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.questions = [r["question"] for r in rows]
        self.answers = [r["answer"] for r in rows]
        groups = [r["docid"] for r in rows]
        sizes = Counter(groups)
        self.queries = np.array([i for i, g in enumerate(groups) if sizes[g] > 1])
        gid = {g: k for k, g in enumerate(sorted(set(groups)))}
        self.gid = np.array([gid[g] for g in groups])
        self.halves = np.array([half(groups[i]) for i in self.queries])  # type: ignore[arg-type]

    def field(self, texts: list[str]) -> np.ndarray:
        ids = list(range(len(texts)))
        s = scores(SimilarIndex.build(ids, texts), [self.questions[i] for i in self.queries])
        s[np.arange(len(self.queries)), self.queries] = -np.inf  # a ticket is not its own repeat
        return s

    def word_cosine(self, texts: list[str]) -> np.ndarray:
        """TF-IDF cosine over jieba words of each query against `texts` (the knowledge search's word view)."""
        vec = TfidfVectorizer(analyzer=words, sublinear_tf=True)
        m = normalize(vec.fit_transform(texts))
        q = normalize(vec.transform([self.questions[i] for i in self.queries]))
        s = np.asarray((q @ m.T).todense(), dtype=np.float32)
        s[np.arange(len(self.queries)), self.queries] = -np.inf
        return s

    def recall(self, s: np.ndarray) -> tuple[float, float]:
        hit = self.gid[s.argmax(axis=1)] == self.gid[self.queries]
        return round(float(hit[self.halves == 0].mean()), 4), round(float(hit[self.halves == 1].mean()), 4)


def max_scaled(s: np.ndarray) -> np.ndarray:
    """Each query's scores over its best one (0 when it matches nothing)."""
    finite = np.where(np.isfinite(s), s, 0.0)
    top = finite.max(axis=1, keepdims=True)
    return np.where(top > 0, finite / np.where(top > 0, top, 1.0), 0.0)


def fused(task: Task, base: np.ndarray, extra: np.ndarray, scaled: bool = False) -> dict[str, object]:
    """base + w * extra, w chosen on half 0 (both max-scaled per query if `scaled`)."""
    extra = np.where(np.isfinite(extra), extra, 0.0)
    if scaled:
        base, extra = max_scaled(base), max_scaled(extra)
        base[np.arange(len(task.queries)), task.queries] = -np.inf
    table = {w: task.recall(base + w * extra) for w in WEIGHTS}
    best = max(WEIGHTS, key=lambda w: (table[w][0], -w))
    return {"w": best, "half0": table[best][0], "half1": table[best][1],
            "curve": {str(w): table[w] for w in WEIGHTS}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    with open(Path(args.data) / "similar" / "policy-questions-dev.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    task = Task(rows)
    docs = Counter(r["docid"] for r in rows)
    by_doc: dict[str, set[str]] = {}
    for r in rows:
        by_doc.setdefault(r["docid"], set()).add(r["answer"])
    shared = sum(1 for d, n in docs.items() if n > 1 and len(by_doc[d]) == 1)
    print(f"{len(rows)} questions, {len(task.queries)} with a partner (half 0: {int((task.halves == 0).sum())}, "
          f"half 1: {int((task.halves == 1).sum())}); documents with one answer text for all their questions: "
          f"{shared} of {sum(1 for n in docs.values() if n > 1)}", flush=True)
    results: dict[str, object] = {}

    def show(name: str, value: object) -> None:
        results[name] = value
        print(f"{name}: {value}", flush=True)

    q_only = task.field(task.questions)
    show("question only (today)", task.recall(q_only))
    show("question + answer, one text", task.recall(task.field([f"{q} {a}" for q, a in
                                                                 zip(task.questions, task.answers, strict=True)])))
    answer = task.field(task.answers)
    show("answer alone", task.recall(answer))
    show("question + w * answer field", fused(task, q_only, answer))
    show("question + w * answer field, both max-scaled", fused(task, q_only, answer, scaled=True))
    qa = [f"{q} {a}" for q, a in zip(task.questions, task.answers, strict=True)]
    show("question + w * word TF-IDF cosine against the answer, max-scaled",
         fused(task, q_only, task.word_cosine(task.answers), scaled=True))
    show("question + w * word TF-IDF cosine against the question (control), max-scaled",
         fused(task, q_only, task.word_cosine(task.questions), scaled=True))
    show("question + w * word TF-IDF cosine against question and answer, max-scaled",
         fused(task, q_only, task.word_cosine(qa), scaled=True))
    first = [first_sentence(a) for a in task.answers]
    show("question + w * answer's first sentence", fused(task, q_only, task.field(first)))
    show("question + w * answer's first 40 characters", fused(task, q_only, task.field([a[:40] for a in task.answers])))
    rng = random.Random(16)
    for share in (0.5, 0.8):
        kept = [a if rng.random() < share else "" for a in task.answers]
        show(f"question + w * answer field, {int(share * 100)} % of earlier tickets replied",
             fused(task, q_only, task.field(kept)))
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
