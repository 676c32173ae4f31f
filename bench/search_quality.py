"""Search quality and speed on the Thai retrieval dev set, through the product's own commands.

    .venv/bin/python bench/search_quality.py [--data ../shared/data/thai-retrieval-dev]
                                             [--queries N] [--long N] [--skip-long]

1. Writes each corpus article as a text file plus a metadata CSV (file, title) into a temporary
   folder, and imports it into a fresh data folder with ``import_documents --metadata``.
2. Sends the queries through ``search - --json`` and prints MRR@10, Recall@10, and the median and
   p95 of ``took_ms``, and the import rate in documents per second.
3. Long queries: imports the articles split into sections (5,354 documents) and searches with
   pasted passages of 500+ Thai characters; prints p50/p95 ``took_ms`` and how often the
   passage's own section comes first.

The dev set is test data: it is read from ``shared/`` and never copied into the product.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "thai-retrieval-dev"


def manage(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        KM_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="kmportal.settings.dev",
        LOG_LEVEL="WARNING",
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_corpus(documents: list[tuple[str, str, str]], folder: Path) -> Path:
    """(id, title, text) → one .txt file each and a register CSV; returns the CSV."""
    files = folder / "files"
    files.mkdir(parents=True)
    register = folder / "register.csv"
    with register.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "type"])
        for doc_id, title, text in documents:
            (files / f"{doc_id}.txt").write_text(text, encoding="utf-8")
            writer.writerow([f"{doc_id}.txt", title, "other"])
    return register


def import_corpus(documents, work: Path) -> tuple[Path, float, str]:
    data_dir = work / "data"
    manage(data_dir, "migrate", "--noinput", "-v0")
    register = write_corpus(documents, work / "corpus")
    started = time.perf_counter()
    result = manage(
        data_dir, "import_documents", str(work / "corpus" / "files"), "--metadata", str(register)
    )
    seconds = time.perf_counter() - started
    return data_dir, len(documents) / seconds, result.stdout.strip()


def run_queries(data_dir: Path, queries: list[str], limit: int = 10) -> list[dict]:
    # A query is one line: line breaks inside a pasted passage become spaces.
    text = "\n".join(" ".join(q.split()) for q in queries) + "\n"
    result = manage(data_dir, "search", "-", "--json", "--limit", str(limit), stdin=text)
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def doc_id_of(result: dict) -> str | None:
    return Path(result["filename"]).stem if result.get("filename") else None


def quality(args) -> None:
    corpus = load_jsonl(args.data / "corpus.jsonl")
    queries = load_jsonl(args.data / "queries.jsonl")
    relevant: dict[str, set[str]] = defaultdict(set)
    with (args.data / "qrels.tsv").open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            query_id, corpus_id, score = line.rstrip("\n").split("\t")
            if int(score) > 0:
                relevant[query_id].add(corpus_id)
    queries = [q for q in queries if relevant.get(q["_id"])]
    if args.queries:
        queries = random.Random(7).sample(queries, min(args.queries, len(queries)))  # noqa: S311
    with tempfile.TemporaryDirectory(prefix="km-bench-") as tmp:
        work = Path(tmp)
        data_dir, rate, summary = import_corpus(
            [(d["_id"], d["title"], d["text"]) for d in corpus], work
        )
        print(f"import: {len(corpus)} documents, {rate:.0f} documents/s  [{summary}]")
        answers = run_queries(data_dir, [q["text"] for q in queries])
    reciprocal, recall, took = [], [], []
    for query, answer in zip(queries, answers, strict=True):
        ranked = [doc_id_of(r) for r in answer["results"][:10]]
        wanted = relevant[query["_id"]]
        first = next((rank for rank, doc in enumerate(ranked, 1) if doc in wanted), None)
        reciprocal.append(1 / first if first else 0.0)
        recall.append(len(wanted & set(ranked)) / len(wanted))
        took.append(answer["took_ms"])
    print(f"queries: {len(queries)}")
    print(f"MRR@10:    {statistics.fmean(reciprocal):.3f}")
    print(f"Recall@10: {statistics.fmean(recall):.3f}")
    print(f"took_ms:   median {statistics.median(took):.1f}, p95 {percentile(took, 0.95):.1f}")


def sections(corpus: list[dict], minimum: int = 50) -> list[tuple[str, str, str]]:
    """Split articles at blank lines into sections of at least ``minimum`` characters."""
    out = []
    for doc in corpus:
        buffer = ""
        part = 0
        for paragraph in doc["text"].split("\n"):
            buffer = f"{buffer}\n{paragraph}".strip()
            if len(buffer) >= minimum:
                out.append((f"{doc['_id']}-{part}", f"{doc['title']} ({part + 1})", buffer))
                part += 1
                buffer = ""
        if buffer:
            out.append((f"{doc['_id']}-{part}", f"{doc['title']} ({part + 1})", buffer))
    return out


def long_queries(args) -> None:
    corpus = load_jsonl(args.data / "corpus.jsonl")
    # Sections of at least 50 characters: 5,354 distinct documents from the 1,904 articles.
    docs = sections(corpus, minimum=50)
    rng = random.Random(11)  # noqa: S311
    candidates = [d for d in docs if len(d[2]) >= 520]
    picked = rng.sample(candidates, min(args.long, len(candidates)))
    passages = []
    for doc_id, _title, text in picked:
        length = rng.randint(500, min(800, len(text)))
        start = rng.randint(0, len(text) - length)
        passages.append((doc_id, text[start : start + length]))
    with tempfile.TemporaryDirectory(prefix="km-bench-long-") as tmp:
        work = Path(tmp)
        data_dir, rate, _summary = import_corpus(docs, work)
        print(f"long-query corpus: {len(docs)} documents, imported at {rate:.0f} documents/s")
        answers = run_queries(data_dir, [text for _id, text in passages])
    took = [a["took_ms"] for a in answers]
    top = sum(
        1
        for (doc_id, _text), a in zip(passages, answers, strict=True)
        if a["results"] and doc_id_of(a["results"][0]) == doc_id
    )
    in_ten = sum(
        1
        for (doc_id, _text), a in zip(passages, answers, strict=True)
        if doc_id in {doc_id_of(r) for r in a["results"][:10]}
    )
    chars = [len(text) for _id, text in passages]
    print(f"long queries: {len(passages)} passages of {min(chars)}-{max(chars)} characters")
    print(f"took_ms:   median {statistics.median(took):.1f}, p95 {percentile(took, 0.95):.1f}")
    print(
        f"own section first: {top / len(passages):.3f}; in the top 10: {in_ten / len(passages):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--queries", type=int, default=0, help="sample this many queries (0: all)")
    parser.add_argument("--long", type=int, default=300, help="number of long queries")
    parser.add_argument("--skip-long", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args()
    if not (args.data / "corpus.jsonl").exists():
        sys.exit(f"no dev set at {args.data}")
    if not args.skip_quality:
        quality(args)
    if not args.skip_long:
        long_queries(args)


if __name__ == "__main__":
    main()
