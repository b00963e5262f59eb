"""Similar-ticket engine at scale: build a synthetic corpus of 1,000,000 tickets by recombining the development texts,
index it, and time queries within a county and a 90-day window (target: p95 under 50 ms). In the same run, compare with
brute-force TF-IDF cosine on a sample, both for speed and for agreement on the top 5.

    .venv/bin/python bench/bench_similar.py [--n 1000000] [--queries 500] [--data ../shared/data] [--recall-only]

First, repeat detection's recall@1 and @5 on the paraphrased development questions (similar/policy-questions-dev.csv,
same docid = same matter) against brute-force character TF-IDF cosine.

Runs in a few minutes on two cores; not part of the test suite. Prints a JSON line last.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import re
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

import django  # noqa: E402

django.setup()

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.preprocessing import normalize  # noqa: E402

from hotline.intake.evaluation import evaluate_similar  # noqa: E402
from hotline.intake.regions import counties  # noqa: E402
from hotline.intake.similar import SimilarIndex  # noqa: E402

START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def sentences(data: Path) -> list[str]:
    """Sentence pool from the 7-class messages and the policy questions."""
    pool: list[str] = []
    with open(data / "routing" / "gov-messages-7class-dev.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            pool.extend(s for s in re.split(r"[。！？!?\n]", row["text"]) if 8 <= len(s) <= 80)
    with open(data / "similar" / "policy-questions-dev.csv", encoding="utf-8") as fh:
        pool.extend(row["question"] for row in csv.DictReader(fh))
    return pool


def corpus(n: int, pool: list[str], rng: random.Random) -> tuple[list[str], np.ndarray, list[dt.datetime]]:
    """n tickets in time order: a town, one or two sentences; a county id 1-12 and a time within 2025."""
    places = [(i + 1, c.name, t) for i, c in enumerate(counties()) for t in c.towns]
    texts, regions, times = [], np.zeros(n, dtype=np.int32), []
    # Tickets are numbered and indexed in the order they are taken: times increase with the position.
    moments = sorted(START + dt.timedelta(seconds=rng.randrange(365 * 86400)) for _ in range(n))
    for i in range(n):
        region, county, town = places[rng.randrange(len(places))]
        body = pool[rng.randrange(len(pool))]
        if rng.random() < 0.5:
            body += "，" + pool[rng.randrange(len(pool))]
        texts.append(f"{county}{town} {body}")
        regions[i] = region
        times.append(moments[i])
    return texts, regions, times


def percentile(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2)


def timed_queries(index: SimilarIndex, queries: list[tuple[str, int]], since: dt.datetime | None) -> list[float]:
    spent = []
    for text, region in queries:
        started = time.perf_counter()
        index.search(text, region=region if since else None, since=since, limit=5)
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def compare_on_sample(texts: list[str], regions: np.ndarray, times: list[dt.datetime], size: int,
                      queries: int, rng: random.Random) -> dict[str, float]:
    """Our index against brute-force TF-IDF (character 1-3-grams, cosine) on the same sample."""
    pick = rng.sample(range(len(texts)), size)
    sample = [texts[i] for i in pick]
    ours = SimilarIndex.build(list(range(size)), sample)
    matrix = normalize(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), dtype=np.float32).fit_transform(sample))
    overlap, ours_ms, brute_ms = [], [], []
    for q in rng.sample(range(size), queries):
        started = time.perf_counter()
        mine = {h.id for h in ours.search(sample[q], limit=6, exclude={q})}
        ours_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        scores = (matrix @ matrix[q].T).toarray().ravel()
        scores[q] = -1
        theirs = set(np.argsort(-scores)[:5].tolist())
        brute_ms.append((time.perf_counter() - started) * 1000)
        overlap.append(len(mine & theirs) / 5)
    return {"sample": size, "top5_overlap_with_tfidf": round(float(np.mean(overlap)), 3),
            "ours_p95_ms": percentile(ours_ms, 95), "tfidf_bruteforce_p95_ms": percentile(brute_ms, 95)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--sample", type=int, default=50_000)
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--recall-only", action="store_true", help="only the repeat recall, not the 1,000,000 run")
    args = parser.parse_args()
    # Repeat detection on paraphrased questions (same policy document = same matter): ours against brute-force
    # character TF-IDF cosine in the same run.
    recall = evaluate_similar(Path(args.data) / "similar" / "policy-questions-dev.csv")
    print(f"repeats: recall@1 ours {recall['recall_at_1']} | TF-IDF {recall['baseline']['recall_at_1']}; "
          f"recall@5 ours {recall['recall_at_5']} | TF-IDF {recall['baseline']['recall_at_5']}", flush=True)
    print(json.dumps({"recall": recall}, ensure_ascii=False), flush=True)
    if args.recall_only:
        return
    rng = random.Random(12345)
    pool = sentences(Path(args.data))
    started = time.perf_counter()
    texts, regions, times = corpus(args.n, pool, rng)
    print(f"corpus: {args.n} tickets from {len(pool)} sentences in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    index = SimilarIndex.build(range(args.n), texts, regions, times, workers=os.cpu_count() or 1)
    build_s = time.perf_counter() - started
    print(f"index built in {build_s:.1f} s, {index.memory_bytes() / 2**20:.0f} MiB", flush=True)
    # Queries: a paraphrase of an indexed ticket's matter (another recombination) in that ticket's county.
    picks = rng.sample(range(args.n), args.queries)
    queries = [(texts[i].split(" ", 1)[1][:40] + pool[rng.randrange(len(pool))][:10], int(regions[i])) for i in picks]
    since = START + dt.timedelta(days=275)  # the last 90 days of the year
    windowed = timed_queries(index, queries, since)
    city_wide = timed_queries(index, queries, None)
    sample = compare_on_sample(texts, regions, times, min(args.sample, args.n), min(200, args.queries), rng)
    result = {
        "n": args.n, "build_seconds": round(build_s, 1), "index_mib": round(index.memory_bytes() / 2**20),
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "county_90d_p50_ms": percentile(windowed, 50), "county_90d_p95_ms": percentile(windowed, 95),
        "citywide_p50_ms": percentile(city_wide, 50), "citywide_p95_ms": percentile(city_wide, 95),
        "baseline": sample,
    }
    print(f"county + 90 days: p50 {result['county_90d_p50_ms']} ms, p95 {result['county_90d_p95_ms']} ms; "
          f"city-wide: p50 {result['citywide_p50_ms']} ms, p95 {result['citywide_p95_ms']} ms")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
