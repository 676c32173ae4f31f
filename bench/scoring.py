#!/usr/bin/env python3
"""Term-at-a-time scoring: NumPy arrays against the pure-Python loop it replaced (issue 20).

    .venv/bin/python bench/scoring.py [--set legal|retrieval|scale] [--docs N] [--repeat 3]

Run on purpose; the tests never run it. The engine alone (no Django), one index built in a
temporary folder from a shared dev set (``legal``: 5,127 law sections and their 20 long
questions; ``retrieval``: 1,904 Wikipedia articles and 500 of their short questions; ``scale``:
the first ``--docs`` documents of ``bench/scale.py``'s generated corpus, with 500 retrieval
questions). Each question is searched once to read its postings, then ``--repeat`` times with
each scoring in turn (alternating, so the machine's load falls on both alike); "more like this"
is timed on 200 documents the same way. Prints took_ms median and p95 per scoring and checks
that both give the same hits in the same order.

The baseline is the loop of ``apps/search/engine/accumulate.py`` before NumPy, kept below.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from apps.search.engine import SearchEngine, SearchRequest, Viewer  # noqa: E402
from apps.search.engine import searcher as searcher_module  # noqa: E402
from apps.search.engine.accumulate import accumulate, add_extra, top_k  # noqa: E402

SHARED = next(
    (base / "shared" / "data" for base in (ROOT.parent, ROOT.parent.parent) if (base / "shared").is_dir()),  # noqa: E501
    ROOT.parent / "shared" / "data",
)  # fmt: skip
ADMIN = Viewer(user_id=1, is_admin=True)


# --- The baseline: the pure-Python loop (main before this change) ---------------------------------
def python_accumulate(postings, weighted, extra=()):
    scores = [0.0] * postings.slots
    idf = postings.searcher.idf
    for fieldname, text, weight in weighted:
        factor = weight * idf(fieldname, text)
        ids, parts = postings.get(fieldname, text)
        for docnum, part in zip(ids.tolist(), parts.tolist(), strict=True):
            scores[docnum] += factor * part
    add_extra(postings, extra, scores)
    return scores


def python_top_k(scores, k, allowed=None, masked=None):
    matched = {d for d, s in enumerate(scores) if s > 0.0}
    if allowed is not None:
        matched &= set(allowed)
    if masked:
        matched -= set(masked)
    best = heapq.nsmallest(k, matched, key=lambda d: (-scores[d], d))
    return [(d, scores[d]) for d in best], matched


SCORINGS = {"numpy": (accumulate, top_k), "python": (python_accumulate, python_top_k)}


def use(name: str) -> None:
    searcher_module.accumulate, searcher_module.top_k = SCORINGS[name]


# --- Data --------------------------------------------------------------------------------------
def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def dataset(name: str, docs: int) -> tuple[list[dict], list[str]]:
    rng = random.Random(7)  # noqa: S311 - reproducible sampling
    retrieval = SHARED / "thai-retrieval-dev"
    short = [q["text"] for q in load_jsonl(retrieval / "queries.jsonl")]
    short = rng.sample(short, min(500, len(short)))
    if name == "legal":
        folder = SHARED / "thai-legal-dev"
        corpus = load_jsonl(folder / "corpus.jsonl")
        records = [{"uid": c["_id"], "title": c["title"], "body": c["text"]} for c in corpus]
        return records, [q["text"] for q in load_jsonl(folder / "queries.jsonl")]
    if name == "retrieval":
        corpus = load_jsonl(retrieval / "corpus.jsonl")
        return [{"uid": c["_id"], "title": c["title"], "body": c["text"]} for c in corpus], short
    files = sorted((ROOT / "var" / "scale" / "corpus-20000" / "files").glob("*/*.txt"))[:docs]
    if not files:
        sys.exit("no generated corpus: run bench/scale.py first (it makes var/scale/corpus-20000)")
    records = []
    for path in files:
        title, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        records.append({"uid": path.stem, "title": title.strip(), "body": body})
    return records, short


def build(records: list[dict], folder: Path) -> tuple[SearchEngine, float]:
    engine = SearchEngine(folder)
    started = time.perf_counter()
    batch = 500
    for i in range(0, len(records), batch):
        engine.upsert(
            {"kind": "doc", "pk": i + n, "access": "all", **r}
            for n, r in enumerate(records[i : i + batch])
        )
    return engine, time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", choices=["legal", "retrieval", "scale"], default="legal")
    parser.add_argument("--docs", type=int, default=20000, help="for --set scale")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    records, queries = dataset(args.set, args.docs)
    with tempfile.TemporaryDirectory(prefix="kmportal-scoring-") as tmp:
        engine, seconds = build(records, Path(tmp) / "index")
        print(f"{args.set}: {len(records)} documents indexed in {seconds:.0f} s; "
              f"{len(queries)} questions; load average {os.getloadavg()[0]:.1f}")  # fmt: skip

        def run(text: str) -> tuple[float, list[str]]:
            started = time.perf_counter()
            response = engine.search(SearchRequest(viewer=ADMIN, text=text, facets=False))
            return (time.perf_counter() - started) * 1000, [h.uid for h in response.hits]

        def like(uid: str) -> tuple[float, list[str]]:
            started = time.perf_counter()
            hits = engine.more_like(uid, ADMIN, limit=5)
            return (time.perf_counter() - started) * 1000, [h.uid for h in hits]

        sample = random.Random(3).sample([r["uid"] for r in records], min(200, len(records)))  # noqa: S311
        use("numpy")
        for text in queries:  # read every question's postings once
            run(text)
        for uid in sample:
            like(uid)
        times = {(job, name): [] for job in ("search", "more_like") for name in SCORINGS}
        results: dict[tuple[str, str], list] = {}
        for _ in range(args.repeat):
            for name in SCORINGS:
                use(name)
                got = [run(text) for text in queries]
                times["search", name] += [t for t, _ in got]
                results["search", name] = [hits for _, hits in got]
                got = [like(uid) for uid in sample]
                times["more_like", name] += [t for t, _ in got]
                results["more_like", name] = [hits for _, hits in got]
        use("numpy")
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        print(f"{'':10} {'scoring':8} {'median ms':>10} {'p95 ms':>8}")
        for job in ("search", "more_like"):
            for name in SCORINGS:
                values = times[job, name]
                print(f"{job:10} {name:8} {statistics.median(values):10.2f} "
                      f"{percentile(values, 0.95):8.2f}")  # fmt: skip
            ratio = statistics.median(times[job, "python"]) / statistics.median(times[job, "numpy"])
            same = results[job, "numpy"] == results[job, "python"]
            print(f"{job:10} python/numpy median ratio {ratio:.1f}×; same hits: {same}")


if __name__ == "__main__":
    main()
