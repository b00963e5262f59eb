"""`hotline evaluate search`: the production search against plain BM25 on the same articles and queries.

Articles come as CSV `id,title,body`, queries as CSV `query,article_id`. Both engines index the same articles in the
same run; the figures are recall@1, recall@5, MRR (over the top 10) and the 95th percentile of query time.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import numpy as np

from hotline.knowledge.search import BaselineIndex, Doc, Hit, SearchIndex

TOP_K = 10


def read_articles(path: str | Path) -> tuple[list[Doc], dict[str, int]]:
    """Articles as search documents numbered 0..n-1, and the CSV id → number map."""
    docs: list[Doc] = []
    ids: dict[str, int] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            key = str(row["id"]).strip()
            if key in ids:
                raise ValueError(f"文章编号重复：{key}")
            ids[key] = len(docs)
            docs.append(Doc(id=len(docs), title=row["title"] or "", answer=row["body"] or ""))
    return docs, ids


def read_queries(path: str | Path, ids: dict[str, int]) -> list[tuple[str, int]]:
    """(query, article number) pairs; a query naming an unknown article is an error, not a silent skip."""
    out: list[tuple[str, int]] = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            key = str(row["article_id"]).strip()
            if key not in ids:
                raise ValueError(f"查询引用了不存在的文章：{key}")
            out.append((row["query"] or "", ids[key]))
    return out


def measure(search: Callable[[str], list[Hit]], queries: list[tuple[str, int]]) -> dict[str, float]:
    """recall@1, recall@5, MRR@10 and p50/p95 milliseconds of `search` over `queries`."""
    r1 = r5 = rr = 0.0
    times: list[float] = []
    for query, expected in queries:
        started = time.perf_counter()
        hits = [h.id for h in search(query)]
        times.append((time.perf_counter() - started) * 1000)
        if hits[:1] == [expected]:
            r1 += 1
        if expected in hits[:5]:
            r5 += 1
        if expected in hits:
            rr += 1 / (hits.index(expected) + 1)
    n = max(1, len(queries))
    return {
        "recall_at_1": round(r1 / n, 4), "recall_at_5": round(r5 / n, 4), "mrr": round(rr / n, 4),
        "p50_ms": round(float(np.percentile(times, 50)), 2) if times else 0.0,
        "p95_ms": round(float(np.percentile(times, 95)), 2) if times else 0.0,
    }


def evaluate_search(articles_path: str | Path, queries_path: str | Path, out: IO[str] | Any = None) -> dict[str, Any]:
    """Index the articles with the production engine and with plain BM25, run every query, return both figures."""
    docs, ids = read_articles(articles_path)
    queries = read_queries(queries_path, ids)

    def say(line: str) -> None:
        if out is not None:
            out.write(line + ("" if line.endswith("\n") else "\n"))

    say(f"文章 {len(docs)} 篇，查询 {len(queries)} 条")
    started = time.perf_counter()
    index = SearchIndex.build(docs)
    say(f"生产检索建索引 {time.perf_counter() - started:.1f} 秒")
    started = time.perf_counter()
    baseline = BaselineIndex(docs)
    say(f"BM25 基线建索引 {time.perf_counter() - started:.1f} 秒")
    result: dict[str, Any] = measure(lambda q: index.search(q, k=TOP_K), queries)
    result["baseline"] = measure(lambda q: baseline.search(q, k=TOP_K), queries)
    result["articles"] = len(docs)
    result["queries"] = len(queries)
    say(f"生产检索 recall@1={result['recall_at_1']} recall@5={result['recall_at_5']} mrr={result['mrr']} "
        f"p95={result['p95_ms']}ms")
    b = result["baseline"]
    say(f"BM25 基线 recall@1={b['recall_at_1']} recall@5={b['recall_at_5']} mrr={b['mrr']} p95={b['p95_ms']}ms")
    return result


def build_dev_files(source: str | Path, articles_path: str | Path, queries_path: str | Path) -> tuple[int, int]:
    """From a docid,question,answer CSV: the first question and its answer per document as the article, the
    document's other questions as queries (the construction issue 5 prescribes). Returns (articles, queries)."""
    groups: dict[str, list[dict[str, str]]] = {}
    with open(source, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            groups.setdefault(row["docid"], []).append(row)
    n_queries = 0
    with open(articles_path, "w", encoding="utf-8", newline="") as fa, \
            open(queries_path, "w", encoding="utf-8", newline="") as fq:
        wa, wq = csv.writer(fa), csv.writer(fq)
        wa.writerow(["id", "title", "body"])
        wq.writerow(["query", "article_id"])
        for docid, rows in groups.items():
            wa.writerow([docid, rows[0]["question"], rows[0]["answer"]])
            for row in rows[1:]:
                wq.writerow([row["question"], docid])
                n_queries += 1
    return len(groups), n_queries
