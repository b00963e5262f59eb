"""`hotline evaluate routing|similar|merged`: the production engines against a TF-IDF baseline trained in the same run.

Latency is measured the way the product works: one ticket at a time, features included.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
from django.db.models import Q, QuerySet
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from hotline.intake.repeats import NOT_MERGEABLE, REPEAT_WINDOW, SHOWN, find_repeats
from hotline.intake.routing.classifier import LabelModel
from hotline.intake.routing.features import Featurizer, tokens
from hotline.intake.routing.model import top_k_accuracy
from hotline.intake.routing.selection import choose
from hotline.intake.similar import SimilarIndex, text_similarity
from hotline.tickets.choices import Action, Status
from hotline.tickets.models import Event, Ticket

LATENCY_SAMPLE = 300  # items timed one by one; enough for a stable mean, quick on two cores


def _read(path: str | Path, *columns: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise KeyError(f"{path} 缺少列：{', '.join(missing)}")
        return [row for row in reader if all((row.get(c) or "").strip() for c in columns)]


def _figures(truth: Sequence[str], proba: np.ndarray, classes: np.ndarray, ms: float) -> dict[str, float]:
    predicted = classes[proba.argmax(axis=1)]
    return {"accuracy": round(float(accuracy_score(truth, predicted)), 4),
            "macro_f1": round(float(f1_score(truth, predicted, average="macro")), 4),
            "top3_accuracy": round(top_k_accuracy(proba, classes, list(truth)), 4), "ms_per_item": round(ms, 3)}


def _ms_per_item(predict_one: Callable[[str], object], texts: Sequence[str]) -> float:
    sample = list(texts[:LATENCY_SAMPLE])
    started = time.perf_counter()
    for text in sample:
        predict_one(text)
    return (time.perf_counter() - started) * 1000 / max(len(sample), 1)


def _ours(train_x: list[str], train_y: list[str], test_x: list[str]
          ) -> tuple[np.ndarray, np.ndarray, float, dict[str, object]]:
    """The production procedure: features and C chosen by 3-fold CV on the training part, then one calibrated model."""
    toks = [tokens(t) for t in train_x]
    choice = choose(train_x, train_y, toks)
    featurizer = Featurizer(choice.spec)
    model = LabelModel(c=choice.c, balanced=choice.balanced).fit(featurizer.fit_transform(train_x, toks), train_y)
    proba = model.predict_proba(featurizer.transform(test_x))
    names, evidence = featurizer.names, featurizer.evidence

    def one(text: str) -> object:
        return model.top(featurizer.transform([text]), names, 3, evidence=evidence)

    return proba, model.classes_, _ms_per_item(one, test_x), choice.report()


def _baseline(train_x: list[str], train_y: list[str], test_x: list[str]) -> tuple[np.ndarray, np.ndarray, float]:
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3))
    svm = LinearSVC().fit(vec.fit_transform(train_x), train_y)
    scores = svm.decision_function(vec.transform(test_x))
    if scores.ndim == 1:  # two classes: one margin column
        scores = np.column_stack([-scores, scores])
    return scores, svm.classes_, _ms_per_item(lambda t: svm.decision_function(vec.transform([t])), test_x)


def evaluate_routing(train_path: str | Path, test_path: str | Path, *, text_column: str = "text",
                     label_column: str = "label", out: IO[str] | None = None) -> dict[str, Any]:
    """Train on one CSV, test on another: accuracy, macro-F1, top-3 accuracy and ms per item, ours and baseline."""
    train = _read(train_path, text_column, label_column)
    test = _read(test_path, text_column, label_column)
    train_x, train_y = [r[text_column] for r in train], [r[label_column] for r in train]
    test_x, test_y = [r[text_column] for r in test], [r[label_column] for r in test]
    if not test_x or len(set(train_y)) < 2:
        raise ValueError("训练集至少需要两个类别，测试集不能为空")
    started = time.perf_counter()
    proba, classes, ms, chosen = _ours(train_x, train_y, test_x)
    result: dict[str, Any] = _figures(test_y, proba, classes, ms)
    result["selection"] = chosen
    result["train_seconds"] = round(time.perf_counter() - started, 1)
    result["baseline"] = _figures(test_y, *_baseline(train_x, train_y, test_x))
    result.update(n_train=len(train_x), n_test=len(test_x), labels=len(set(train_y)))
    if out is not None:
        out.write(f"派单分类：训练 {len(train_x)} 条，测试 {len(test_x)} 条，{len(set(train_y))} 类\n")
        out.write(f"  本系统  macro-F1 {result['macro_f1']:.4f}  top-3 {result['top3_accuracy']:.4f}"
                  f"（交叉验证选定：{chosen['chosen']}）\n")
        out.write(f"  基线    macro-F1 {result['baseline']['macro_f1']:.4f}  "
                  f"top-3 {result['baseline']['top3_accuracy']:.4f}\n")
    return result


def _recalls(neighbours: list[list[int]], groups: list[str], queries: list[int]) -> tuple[float, float]:
    r1 = np.mean([bool(neighbours[i]) and groups[neighbours[i][0]] == groups[i] for i in queries])
    r5 = np.mean([any(groups[j] == groups[i] for j in neighbours[i][:5]) for i in queries])
    return round(float(r1), 4), round(float(r5), 4)


def _timed(search: Callable[[int], list[int]], n: int) -> tuple[list[list[int]], float]:
    started = time.perf_counter()
    found = [search(i) for i in range(n)]
    return found, (time.perf_counter() - started) * 1000 / max(n, 1)


def evaluate_similar(csv_path: str | Path, *, group_column: str = "docid", text_column: str = "question",
                     out: IO[str] | None = None) -> dict[str, Any]:
    """For each text with a partner in its group: does its nearest other text share the group (recall@1, @5)?"""
    rows = _read(csv_path, group_column, text_column)
    texts, groups = [r[text_column] for r in rows], [r[group_column] for r in rows]
    sizes = Counter(groups)
    queries = [i for i, g in enumerate(groups) if sizes[g] > 1]
    if not queries:
        raise ValueError("没有可评测的文本：每组至少需要两条")
    index = SimilarIndex.build(list(range(len(texts))), texts)
    ours, ms = _timed(lambda i: [h.id for h in index.search(texts[i], limit=5, exclude={i})], len(texts))
    matrix = normalize(TfidfVectorizer(analyzer="char", ngram_range=(1, 3)).fit_transform(texts))

    def brute(i: int) -> list[int]:
        scores = (matrix @ matrix[i].T).toarray().ravel()
        scores[i] = -1.0
        return [int(j) for j in np.argsort(-scores)[:5]]

    base, base_ms = _timed(brute, len(texts))
    r1, r5 = _recalls(ours, groups, queries)
    b1, b5 = _recalls(base, groups, queries)
    result: dict[str, Any] = {
        "recall_at_1": r1, "recall_at_5": r5, "ms_per_query": round(ms, 3), "n_queries": len(queries),
        "baseline": {"recall_at_1": b1, "recall_at_5": b5, "ms_per_query": round(base_ms, 3)},
    }
    if out is not None:
        out.write(f"相似工单：{len(texts)} 条文本，{len(queries)} 条有同组文本\n")
        out.write(f"  本系统  recall@1 {r1:.4f}  recall@5 {r5:.4f}\n  基线    recall@1 {b1:.4f}  recall@5 {b5:.4f}\n")
    return result


MERGED_SAMPLE = 1000  # the latest merged tickets measured by default; each costs one repeat search


@dataclass(frozen=True)
class Merge:
    """One past merge: the merged ticket and the ticket staff chose for it then (the root at that moment)."""

    ticket: Ticket
    target_id: int


def past_merges(limit: int) -> tuple[list[Merge], int]:
    """The latest `limit` merges, oldest first, each with the ticket named in its merge event (a main ticket merged
    later itself repoints its children, so `merged_into` may no longer be what staff chose); and how many were left
    out because that ticket was taken after the merged one (the desk could not have shown it)."""
    tickets = list(Ticket.objects.filter(status=Status.MERGED, merged_into__isnull=False)
                   .select_related("requester", "region").order_by("-created_at", "-id")[:limit])
    tickets = [t for t in reversed(tickets) if len((t.content or "").strip()) >= 4]
    chosen: dict[int, str] = {}
    for ticket_id, data in (Event.objects.filter(ticket__in=tickets, action=Action.MERGE)
                            .order_by("at", "id").values_list("ticket_id", "data")):
        chosen[ticket_id] = str((data or {}).get("into") or "")  # the latest merge event of each ticket wins
    targets = dict(Ticket.objects.filter(number__in=set(chosen.values())).values_list("number", "pk"))
    wanted = set(targets.values()) | {t.merged_into_id for t in tickets if t.merged_into_id}
    created = dict(Ticket.objects.filter(pk__in=wanted).values_list("pk", "created_at"))
    merges, skipped = [], 0
    for ticket in tickets:
        target = targets.get(chosen.get(ticket.pk, ""), ticket.merged_into_id)
        if target is None or created.get(target, ticket.created_at) >= ticket.created_at:
            skipped += 1
            continue
        merges.append(Merge(ticket, target))
    return merges, skipped


def evaluate_merged_repeats(*, limit: int = MERGED_SAMPLE, out: IO[str] | None = None) -> dict[str, Any]:
    """Repeat detection on the city's own history: for each ticket staff merged into another (并单, 第十条第四项),
    was that ticket among the repeat candidates the desk would have shown when it came in?

    Ours is `find_repeats` as the desk calls it (text, the caller's stored phone hash, the place), over the tickets
    taken before the merged one; recall@1 and recall@5 of the ticket named in the merge event, and how often the desk
    would have proposed it (first, at or above REPEAT_THRESHOLD). The baseline, in the same run, ranks the same
    window's tickets by character 1-3-gram TF-IDF cosine of the content alone. Statuses are replayed from the event
    log: a ticket declined or merged only later was a candidate then, for both. A merge into a ticket taken later is
    left out."""
    if limit < 1:
        raise ValueError("--limit 至少为 1")
    merges, skipped = past_merges(limit)
    if not merges:
        raise ValueError("没有可评测的并单：历史中还没有并入更早工单的工单")
    text_similarity(merges[0].ticket.content, [])  # load or build the index before the clock starts
    ranks: list[int | None] = []
    proposed = 0
    started = time.perf_counter()
    for merge in merges:
        ticket = merge.ticket
        found = find_repeats(content=ticket.content, address=ticket.address, region=ticket.region,
                             now=ticket.created_at, exclude=ticket, before=ticket.created_at,
                             phone_digest=ticket.requester.phone_hash if ticket.requester else "")
        ids = [c.ticket.pk for c in found]
        rank = ids.index(merge.target_id) if merge.target_id in ids else None
        ranks.append(rank)
        proposed += rank == 0 and found[0].proposed
    ms = (time.perf_counter() - started) * 1000 / len(merges)
    base_ranks = _tfidf_ranks(merges, SHOWN)

    def recall(found: list[int | None], k: int) -> float:
        return round(sum(1 for r in found if r is not None and r < k) / len(found), 4)

    result: dict[str, Any] = {
        "n_merged": len(merges), "skipped": skipped, "recall_at_1": recall(ranks, 1),
        "recall_at_5": recall(ranks, SHOWN), "proposed": round(proposed / len(merges), 4),
        "ms_per_item": round(ms, 3),
        "baseline": {"recall_at_1": recall(base_ranks, 1), "recall_at_5": recall(base_ranks, SHOWN)},
    }
    if out is not None:
        out.write(f"并单评测：最近 {len(merges)} 件并入更早工单的工单（另有 {skipped} 件并入较晚工单，未计）\n")
        out.write(f"  本系统  recall@1 {result['recall_at_1']:.4f}  recall@5 {result['recall_at_5']:.4f}  "
                  f"建议并单 {result['proposed']:.4f}\n")
        out.write(f"  基线    recall@1 {result['baseline']['recall_at_1']:.4f}  "
                  f"recall@5 {result['baseline']['recall_at_5']:.4f}\n")
    return result


def _tfidf_ranks(merges: Sequence[Merge], k: int) -> list[int | None]:
    """Rank (0-based, None beyond k) of each merge's target by character 1-3-gram TF-IDF cosine of the content among
    the tickets of its 90-day window taken before it and mergeable then. Rows are read in time order, so each window
    is a slice."""
    window = REPEAT_WINDOW
    taken = Q(created_at__gte=merges[0].ticket.created_at - window, created_at__lt=merges[-1].ticket.created_at)
    rows = list(Ticket.objects.filter(taken).exclude(content="").order_by("created_at", "id")
                .values_list("id", "content", "created_at", "status"))
    if not rows:
        return [None] * len(merges)
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    times = np.array([r[2].timestamp() for r in rows])
    span_rows, span_start, span_end = _unmergeable_spans(rows, Ticket.objects.filter(taken).values("pk"))
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, dtype=np.float32)
    matrix = normalize(vectorizer.fit_transform([r[1] for r in rows])).tocsr()
    queries = normalize(vectorizer.transform([m.ticket.content for m in merges])).tocsr()
    ranks: list[int | None] = []
    for j, merge in enumerate(merges):  # the merged ticket itself is never a row: it is not before itself
        moment = merge.ticket.created_at.timestamp()
        lo, hi = np.searchsorted(times, moment - window.total_seconds()), np.searchsorted(times, moment)
        scores = np.asarray((matrix[lo:hi] @ queries[j].T).todense()).ravel()
        closed = span_rows[(span_start < moment) & (span_end >= moment) & (span_rows >= lo) & (span_rows < hi)]
        scores[closed - lo] = 0.0
        top = np.argpartition(-scores, k - 1)[:k] if len(scores) > k else np.arange(len(scores))
        best = [int(ids[lo + i]) for i in top[np.argsort(-scores[top], kind="stable")] if scores[i] > 0]
        ranks.append(best.index(merge.target_id) if merge.target_id in best else None)
    return ranks


def _unmergeable_spans(rows: Sequence[tuple[Any, ...]], tickets: QuerySet[Any]) -> tuple[np.ndarray, np.ndarray,
                                                                                      np.ndarray]:
    """When each row's ticket could not be merged into (declined, merged, handed off), replayed from the event log:
    (row, from, until) as timestamps, a span still open ending at infinity. Only the events that enter or leave
    such a status are read, of `tickets` (the rows' range, as a subquery). A ticket whose first such event finds it
    in one, or creates it in one, was closed from the start; one in such a status today with no event saying when
    is closed throughout (as `statuses_at` reads them for the desk's pool)."""
    position = {r[0]: i for i, r in enumerate(rows)}
    unmergeable = {str(s) for s in NOT_MERGEABLE}
    spans: list[tuple[int, float, float]] = []
    opened: dict[int, float] = {}
    seen: set[int] = set()
    events = (Event.objects.filter(ticket_id__in=tickets)
              .filter(Q(to_status__in=NOT_MERGEABLE) | Q(from_status__in=NOT_MERGEABLE)).exclude(to_status="")
              .order_by("at", "id").values_list("ticket_id", "from_status", "to_status", "at"))
    for ticket_id, was, status, at in events.iterator(chunk_size=10_000):
        row = position.get(ticket_id)
        if row is None:  # a ticket without content is no row
            continue
        if row not in seen and (was or status) in unmergeable:  # found, or created, closed: from the start
            opened[row] = -np.inf
        seen.add(row)
        if status in unmergeable:
            opened.setdefault(row, at.timestamp())
        elif row in opened:
            spans.append((row, opened.pop(row), at.timestamp()))
    spans.extend((row, start, np.inf) for row, start in opened.items())
    spans.extend((i, -np.inf, np.inf) for i, r in enumerate(rows) if r[3] in unmergeable and i not in seen)
    if not spans:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    span_rows, starts, ends = zip(*spans, strict=True)
    return np.array(span_rows, dtype=np.int64), np.array(starts), np.array(ends)
