"""What the policy-question tasks count as a miss: a seeded random sample of the failures, to read by hand.

    .venv/bin/python bench/dev_failures.py [--data ../shared/data] [--n 30] [--seed 1]

Both tasks of issue 16 that stay far from their goals read `similar/policy-questions-dev.csv`, where questions with
the same `docid` were written about the same policy document:

* question → article: the article is a document's first question and answer, the queries its other questions, and
  a query counts as found when that article is in the production search's top 5;
* repeats: a question counts as found when the nearest other question (`SimilarIndex`, the production repeat
  index) has the same docid.

For each task this prints how many queries miss and a sample of them: the query, the question(s) it should have
found, and the one found first. Whether the pair asks about the same matter is left to the reader (docs/routing.md
gives one reading). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
os.environ.setdefault("HOTLINE_DATA_DIR", tempfile.mkdtemp(prefix="bench-failures-"))

import django  # noqa: E402

django.setup()

from hotline.intake.similar import SimilarIndex  # noqa: E402
from hotline.knowledge.search import Doc, SearchIndex  # noqa: E402


def _cut(text: str, n: int = 45) -> str:
    return text if len(text) <= n else text[:n] + "…"


def article_misses(rows: list[dict[str, str]]) -> tuple[int, list[tuple[str, str, str]]]:
    """Queries whose document's article is not in the top 5: (query, article's question, first hit's question)."""
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault(row["docid"], []).append(row)
    articles = [Doc(id=i, title=g[0]["question"], answer=g[0]["answer"]) for i, g in enumerate(groups.values())]
    asked = [(row["question"], i) for i, g in enumerate(groups.values()) for row in g[1:]]
    index = SearchIndex.build(articles)
    misses = []
    for query, expected in asked:
        hits = [h.id for h in index.search(query, k=5)]
        if expected not in hits:
            misses.append((query, articles[expected].title, articles[hits[0]].title if hits else ""))
    return len(asked), misses


def repeat_misses(rows: list[dict[str, str]]) -> tuple[int, list[tuple[str, str, str]]]:
    """Questions whose nearest other question is of another document: (question, a partner, the one found)."""
    texts, groups = [r["question"] for r in rows], [r["docid"] for r in rows]
    sizes = Counter(groups)
    index = SimilarIndex.build(list(range(len(texts))), texts)
    asked = [i for i in range(len(texts)) if sizes[groups[i]] > 1]
    misses = []
    for i in asked:
        hits = [h.id for h in index.search(texts[i], limit=1, exclude={i})]
        if not hits or groups[hits[0]] != groups[i]:
            partner = next(texts[k] for k in range(len(texts)) if groups[k] == groups[i] and k != i)
            misses.append((texts[i], partner, texts[hits[0]] if hits else ""))
    return len(asked), misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with open(Path(args.data) / "similar" / "policy-questions-dev.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for task, (total, misses), should in (("question → article (top 5)", article_misses(rows), "article"),
                                          ("repeats (top 1)", repeat_misses(rows), "partner")):
        print(f"== {task}: {len(misses)} of {total} queries missed; a sample of {min(args.n, len(misses))}")
        random.Random(args.seed).shuffle(misses)
        for n, (query, expected, found) in enumerate(misses[: args.n]):
            print(f"{n:2d} query:   {_cut(query)}\n   {should}: {_cut(expected)}\n   found:   {_cut(found)}")


if __name__ == "__main__":
    main()
