"""Tune and measure the search engine on the Thai retrieval dev set (no Django).

    .venv/bin/python bench/engine_experiments.py               # every variant, all queries
    .venv/bin/python bench/engine_experiments.py --queries 2000 --only final,k1=1.5
    .venv/bin/python bench/engine_experiments.py --long-only

The dev set (``shared/data/thai-retrieval-dev``: corpus.jsonl, queries.jsonl, qrels.tsv) is read
in place and never copied. Indexes go to a temporary directory. For each configuration variant it
prints MRR@10, Recall@10, median/p95 query time and indexing speed; then long-query figures over a
paragraph corpus (5,000+ documents) with 500-800-character passages as queries.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from apps.search.engine import (  # noqa: E402
    DEFAULT_CONFIG,
    SearchRequest,
    Viewer,
    analysis,
)
from apps.search.engine.analysis import analyse  # noqa: E402
from bench.engine_variants import BenchConfig, BenchEngine  # noqa: E402

DEV = ROOT.parent / "shared" / "data" / "thai-retrieval-dev"
ADMIN = Viewer(is_admin=True)

# name -> changes to the product's settings (BenchConfig, engine_variants.py). Variants with the
# same analysis share one index.
VARIANTS: dict[str, dict] = {
    "final": {},
    # analysis (each builds its own index)
    "newmm (PyThaiNLP, Python) instead of nlpo3": {"segmenter": "newmm"},
    "no custom dictionary": {"custom_dict": False},
    "no compound parts": {"decompose": False},
    "no joined unknown words": {"join": False},
    "partial: 3-grams over title+body": {"partial_source": "all"},
    "partial: word prefixes over title+body": {"partial_source": "all", "partial_mode": "prefix"},
    # query building and scoring (same index as final)
    "first guess: title x3, k1 1.2, all listed stopwords dropped": {
        "title_boost": 3.0,
        "k1": 1.2,
        "stop_df_ratio": 0.0,
        "title_match_weight": 0.0,
    },
    "stopwords kept": {"drop_stopwords": False},
    "listed stopwords always dropped": {"stop_df_ratio": 0.0},
    "kept stopwords soft (AndMaybe)": {"soft_stopwords": True},
    "no whole-title bonus": {"title_match_weight": 0.0},
    "title_boost=3": {"title_boost": 3.0},
    "k1=1.2": {"k1": 1.2},
    "b=0.9": {"b": 0.9},
    "long queries from 8 terms on": {"long_query_terms": 8},
}


def load_dev() -> tuple[list[dict], list[dict], dict[str, set[str]]]:
    corpus = [json.loads(line) for line in (DEV / "corpus.jsonl").open(encoding="utf-8")]
    queries = [json.loads(line) for line in (DEV / "queries.jsonl").open(encoding="utf-8")]
    qrels: dict[str, set[str]] = {}
    with (DEV / "qrels.tsv").open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            qid, did, score = line.rstrip("\n").split("\t")
            if int(score) > 0:
                qrels.setdefault(qid, set()).add(did)
    return corpus, [q for q in queries if q["_id"] in qrels], qrels


def to_docs(corpus: list[dict]) -> list[dict]:
    return [
        {
            "kind": "wiki",
            "pk": item["_id"],
            "uid": item["_id"],
            "title": item["title"],
            "body": item["text"],
            "access": "all",
        }
        for item in corpus
    ]


def paragraph_docs(corpus: list[dict], min_chars: int = 60) -> list[dict]:
    """Split articles into paragraphs (short ones merged with the next) for a 5,000+ corpus."""
    docs = []
    for item in corpus:
        buffer = ""
        number = 0
        for para in item["text"].split("\n"):
            buffer = f"{buffer}\n{para}".strip()
            if len(buffer) >= min_chars:
                docs.append(_para(item, number, buffer))
                number += 1
                buffer = ""
        if buffer:
            docs.append(_para(item, number, buffer))
    return docs


def _para(item: dict, number: int, text: str) -> dict:
    uid = f"{item['_id']}#{number}"
    return {
        "kind": "para",
        "pk": uid,
        "uid": uid,
        "title": item["title"],
        "body": text,
        "access": "all",
    }


def long_queries(corpus: list[dict], count: int, seed: int = 7) -> list[tuple[str, str]]:
    """(passage of 500-800 chars, its article id) taken from articles long enough."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling, not security
    long_articles = [item for item in corpus if len(item["text"]) >= 900]
    out = []
    for item in rng.sample(long_articles, min(count, len(long_articles))):
        text = item["text"]
        size = rng.randint(500, 800)
        start = rng.randint(0, len(text) - size)
        out.append((text[start : start + size], item["_id"]))
    return out


def build(docs: list[dict], config: BenchConfig) -> tuple[BenchEngine, dict, Path]:
    """Index ``docs`` into a new temporary directory; speed as docs/s and ms/doc (wall, CPU)."""
    analyse("วอร์มอัพ", engine=config.segmenter, custom=config.custom_dict)  # load dictionaries
    for cached in (analysis._analyse_thai, analysis._analyse_normalized, analysis.split_compound):
        cached.cache_clear()  # every build starts cold, as an import would
    directory = Path(tempfile.mkdtemp(prefix="kmsearch-bench-"))
    engine = BenchEngine(directory, config)
    engine.open_or_create()
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    engine.rebuild(docs)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    speed = {
        "docs_s": len(docs) / elapsed,
        "ms_doc": elapsed / len(docs) * 1000,
        "cpu_ms_doc": cpu / len(docs) * 1000,
    }
    return engine, speed, directory


def evaluate(engine: BenchEngine, queries: list[dict], qrels: dict, facets: bool = False) -> dict:
    reciprocal, recall, times = [], [], []
    for _ in range(2):  # warm caches
        engine.search(SearchRequest(viewer=ADMIN, text=queries[0]["text"], page_size=10))
    for query in queries:
        started = time.perf_counter()
        response = engine.search(
            SearchRequest(
                viewer=ADMIN, text=query["text"], page_size=10, facets=facets, spelling=False
            )
        )
        times.append((time.perf_counter() - started) * 1000)
        relevant = qrels[query["_id"]]
        uids = [hit.uid for hit in response.hits]
        rank = next((i for i, uid in enumerate(uids, 1) if uid in relevant), None)
        reciprocal.append(1 / rank if rank else 0.0)
        recall.append(len(relevant & set(uids)) / len(relevant))
    return {
        "mrr": statistics.fmean(reciprocal),
        "recall": statistics.fmean(recall),
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
    }


def evaluate_long(engine: BenchEngine, passages: list[tuple[str, str]]) -> dict:
    times, hits, reciprocal = [], [], []
    engine.search(SearchRequest(viewer=ADMIN, text=passages[0][0], facets=False))
    for text, article in passages:
        started = time.perf_counter()
        response = engine.search(
            SearchRequest(viewer=ADMIN, text=text, page_size=10, facets=False, spelling=False)
        )
        times.append((time.perf_counter() - started) * 1000)
        articles = [hit.uid.split("#")[0] for hit in response.hits]
        rank = next((i for i, a in enumerate(articles, 1) if a == article), None)
        hits.append(1.0 if rank else 0.0)
        reciprocal.append(1 / rank if rank else 0.0)
    return {
        "p50": statistics.median(times),
        "p95": percentile(times, 95),
        "hit10": statistics.fmean(hits),
        "mrr": statistics.fmean(reciprocal),
    }


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def analysis_key(config: BenchConfig) -> tuple:
    return (
        config.segmenter,
        config.custom_dict,
        config.decompose,
        config.join,
        config.partial_mode,
        config.partial_source,
        config.gram_size,
    )


def run_variants(args: argparse.Namespace, corpus: list[dict], queries: list[dict], qrels: dict):
    docs = to_docs(corpus)
    names = [n for n in VARIANTS if not args.only or n in args.only.split(",")]
    indexes: dict[tuple, tuple[Path, dict]] = {}
    print(f"{len(docs)} documents, {len(queries)} queries")
    print("| variant | MRR@10 | Recall@10 | p50 ms | p95 ms | index docs/s | ms/doc (CPU) |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        config = BenchConfig(**VARIANTS[name])
        key = analysis_key(config)
        if key not in indexes:
            engine, speed, directory = build(docs, config)
            indexes[key] = (directory, speed)
        directory, speed = indexes[key]
        engine = BenchEngine(directory, config)
        scores = evaluate(engine, queries, qrels)
        engine.close()
        print(
            f"| {name} | {scores['mrr']:.4f} | {scores['recall']:.4f} | {scores['p50']:.1f} "
            f"| {scores['p95']:.1f} | {speed['docs_s']:.0f} | {speed['ms_doc']:.2f} "
            f"({speed['cpu_ms_doc']:.2f}) |",
            flush=True,
        )
        if name == "final" and args.facets:
            with_facets = evaluate(BenchEngine(directory, config), queries, qrels, facets=True)
            print(
                f"| final, with facets | {with_facets['mrr']:.4f} | {with_facets['recall']:.4f} "
                f"| {with_facets['p50']:.1f} | {with_facets['p95']:.1f} | | |",
                flush=True,
            )
    for directory, _ in indexes.values():
        shutil.rmtree(directory, ignore_errors=True)


def run_long(args: argparse.Namespace, corpus: list[dict]) -> None:
    docs = paragraph_docs(corpus)
    passages = long_queries(corpus, args.long_queries)
    _engine, speed, directory = build(docs, BenchConfig())
    lengths = [len(p) for p, _ in passages]
    print(
        f"\nLong queries: {len(docs)} paragraph documents (indexed at {speed['docs_s']:.0f} "
        f"docs/s, {speed['ms_doc']:.2f} ms/doc, CPU {speed['cpu_ms_doc']:.2f}), "
        f"{len(passages)} passages of {min(lengths)}-{max(lengths)} chars"
    )
    print("| long from (terms) | p50 ms | p95 ms | source article in top 10 | MRR@10 |")
    print("|---|---|---|---|---|")
    for k in args.k_values:
        config = BenchConfig(long_query_terms=k)
        scores = evaluate_long(BenchEngine(directory, config), passages)
        label = f"{k}" + (" (default)" if k == DEFAULT_CONFIG.long_query_terms else "")
        print(
            f"| {label} | {scores['p50']:.1f} | {scores['p95']:.1f} | {scores['hit10']:.3f} "
            f"| {scores['mrr']:.3f} |",
            flush=True,
        )
    shutil.rmtree(directory, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=0, help="use only the first N queries")
    parser.add_argument("--only", default="", help="comma-separated variant names")
    parser.add_argument("--long-only", action="store_true")
    parser.add_argument("--no-long", action="store_true")
    parser.add_argument("--facets", action="store_true", help="also time 'final' with facets")
    parser.add_argument("--long-queries", type=int, default=300)
    parser.add_argument(
        "--k-values", type=lambda s: [int(x) for x in s.split(",")], default=[8, 16, 24, 32, 1000]
    )
    args = parser.parse_args()
    if not DEV.exists():
        sys.exit(f"dev set not found at {DEV}")
    corpus, queries, qrels = load_dev()
    if args.queries:
        queries = queries[: args.queries]
    if not args.long_only:
        run_variants(args, corpus, queries, qrels)
    if not args.no_long:
        run_long(args, corpus)


if __name__ == "__main__":
    main()
