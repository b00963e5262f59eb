"""`hotline evaluate replies`: the reply check against a plain character TF-IDF cosine, in the same run.

The CSV has columns `message`, `reply`, `label` (1: the reply that answered this message; 0: a reply written for
another message). Both scorers read the same file; the pool of other tickets is the file's other messages.
"""

from __future__ import annotations

import csv
import random
import time
import zlib
from pathlib import Path
from typing import IO, Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import roc_auc_score

from hotline.tickets.replycheck import Checker, message_text


def _read(path: str | Path) -> list[tuple[str, str, int]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("message", "reply", "label") if c not in (reader.fieldnames or [])]
        if missing:
            raise KeyError(f"{path} 缺少列：{', '.join(missing)}")
        return [(row["message"], row["reply"], int(row["label"])) for row in reader
                if row["message"].strip() and row["reply"].strip()]


def evaluate_replies(path: str | Path, *, out: IO[str] | None = None) -> dict[str, Any]:
    """AUC and milliseconds per pair of the reply check and of the baseline on one labelled file."""
    rows = _read(path)
    labels = [label for _m, _r, label in rows]
    messages = sorted({m for m, _r, _l in rows})
    replies = sorted({r for _m, r, _l in rows})
    keys = {m: str(i) for i, m in enumerate(messages)}
    checker = Checker([(keys[m], m) for m in messages], extra_texts=replies)
    started = time.perf_counter()
    ours = [checker.check(m, r, exclude={keys[m]}).score for m, r, _l in rows]
    ms = (time.perf_counter() - started) * 1000 / max(len(rows), 1)
    baseline = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True).fit(messages + replies)
    started = time.perf_counter()
    plain = [float(baseline.transform([m]).multiply(baseline.transform([r])).sum()) for m, r, _l in rows]
    baseline_ms = (time.perf_counter() - started) * 1000 / max(len(rows), 1)
    result = {"pairs": len(rows), "auc": round(float(roc_auc_score(labels, ours)), 4), "ms_per_item": round(ms, 3),
              "baseline_auc": round(float(roc_auc_score(labels, plain)), 4),
              "baseline_ms_per_item": round(baseline_ms, 3)}
    if out is not None:
        out.write(f"答复文不对题检查：{len(rows)} 对，AUC {result['auc']}（基线字符TF-IDF余弦 "
                  f"{result['baseline_auc']}），每对 {result['ms_per_item']} ms\n")
    return result


def _split(row_id: str) -> str:
    # A stable split by id: the same rows stay in the tuning or the test half whoever builds the files.
    return "test" if zlib.crc32(row_id.encode()) % 10 >= 7 else "tune"


def build_dev_files(source: str | Path, out_dir: str | Path, *, seed: int = 1) -> list[Path]:
    """From `id,title,detail,reply` rows: per split (tune 70 %, test 30 %) a file with random wrong replies and one
    with the reply to the most similar other message (character 1–3-gram TF-IDF cosine of the messages)."""
    with open(source, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    written = []
    for split in ("tune", "test"):
        part = [r for r in rows if _split(r["id"]) == split]
        messages = [message_text(r["title"], r["detail"]) for r in part]
        vectors = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True).fit_transform(messages)
        similar = (vectors @ vectors.T).toarray()
        np.fill_diagonal(similar, -1)
        rng = random.Random(seed)
        count = len(part)
        negatives = {"random": [(i + rng.randrange(1, count)) % count for i in range(count)],
                     "hard": list(similar.argmax(axis=1))}
        for kind, other in negatives.items():
            path = Path(out_dir) / f"replies-{split}-{kind}.csv"
            with open(path, "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(["message", "reply", "label"])
                for i, row in enumerate(part):
                    writer.writerow([messages[i], row["reply"], 1])
                    writer.writerow([messages[i], part[other[i]]["reply"], 0])
            written.append(path)
    return written
