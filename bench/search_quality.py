"""Search quality and speed on the dev sets, through the product's own commands, with plain
Whoosh BM25 (the same Thai segmenter) beside it in the same run.

    .venv/bin/python bench/search_quality.py [--sets legal,retrieval] [--queries N] [--long N]
                                             [--repeat 3] [--no-baseline]
                                             [--app CHECKOUT --app CHECKOUT] [--rounds 3]

For each dev set (``../shared/data/thai-legal-dev``: 5,127 law sections, 20 paragraph-long tax
questions; ``../shared/data/thai-retrieval-dev``: 1,904 articles, 6,503 short questions):

1. portal: writes each corpus entry as a text file plus a metadata CSV (file, title) into a
   temporary folder, imports it into a fresh data folder with ``import_documents --metadata``,
   and sends the queries through ``search - --json``;
2. baseline: builds a plain Whoosh index (title and body, the portal's Thai word analyzer,
   Whoosh's BM25F) in the same run and searches it with every query word OR-ed;

and prints MRR@10, Recall@10, the median and p95 of ``took_ms`` (the median over ``--repeat``
runs of each figure) and the import rate in documents per second, of wall time and of CPU time
(user + system: the import command's whole process, the baseline's build; steadier than wall
time when other work shares the machine). ``--long N`` adds N pasted
passages of 500-800 characters from the retrieval set's articles, cut into 5,354 sections
(how often the passage's own section comes first / in the top 10).

``--app`` measures other checkouts (before/after) in the same run, each through its own
``manage.py``; ``--rounds N`` repeats the whole comparison N times, the checkouts and the
baseline alternating, and prints every round's rows and then the median of each figure.

Corpus ids may hold any character ("ประมวลรัษฎากร::77/1"): files are numbered and mapped back.
The dev sets are test data: read from ``shared/`` and never copied into the product.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"
if not SHARED.exists():  # a worktree beside the main checkout
    SHARED = Path("/work/shared/data")
SETS = {"legal": "thai-legal-dev", "retrieval": "thai-retrieval-dev"}

Doc = tuple[str, str, str]  # (id, title, text)


@dataclass
class Run:
    """One system on one query set: ranked ids per query, times, import rate."""

    ranked: list[list[str]]
    took: list[list[float]]  # per repeat, per query
    rate: float
    cpu_rate: float  # documents per CPU second (user + system): steadier on a shared machine


def manage(
    data_dir: Path, *args: str, stdin: str | None = None, app: Path = ROOT
) -> subprocess.CompletedProcess:
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
        cwd=app,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_set(folder: Path) -> tuple[list[Doc], list[dict], dict[str, set[str]]]:
    corpus = load_jsonl(folder / "corpus.jsonl")
    queries = load_jsonl(folder / "queries.jsonl")
    relevant: dict[str, set[str]] = defaultdict(set)
    with (folder / "qrels.tsv").open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            query_id, corpus_id, score = line.rstrip("\n").split("\t")
            if int(score) > 0:
                relevant[query_id].add(corpus_id)
    docs = [(d["_id"], d.get("title") or "", d["text"]) for d in corpus]
    return docs, [q for q in queries if relevant.get(q["_id"])], relevant


def file_name(number: int) -> str:
    return f"d{number:06d}.txt"


def write_corpus(documents: list[Doc], folder: Path) -> tuple[Path, dict[str, str]]:
    """(id, title, text) → one numbered .txt file each and a register CSV; returns the CSV and
    the map from file name to id."""
    files = folder / "files"
    files.mkdir(parents=True)
    register = folder / "register.csv"
    names = {}
    with register.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "type"])
        for number, (doc_id, title, text) in enumerate(documents):
            name = file_name(number)
            names[name] = doc_id
            (files / name).write_text(text, encoding="utf-8")
            writer.writerow([name, title, "other"])
    return register, names


def portal(
    documents: list[Doc], queries: list[str], work: Path, repeat: int, app: Path = ROOT
) -> Run:
    """Import through ``import_documents`` and search through ``search --json``."""
    data_dir = work / "data"
    manage(data_dir, "migrate", "--noinput", "-v0", app=app)
    register, names = write_corpus(documents, work / "corpus")
    started, cpu = time.perf_counter(), _children_cpu()
    files = str(work / "corpus" / "files")
    manage(data_dir, "import_documents", files, "--metadata", str(register), app=app)
    rate = len(documents) / (time.perf_counter() - started)
    cpu_rate = len(documents) / (_children_cpu() - cpu)
    # A query is one line: line breaks inside a pasted passage become spaces.
    text = "\n".join(" ".join(q.split()) for q in queries) + "\n"
    ranked, took = [], []
    for _ in range(repeat):
        result = manage(data_dir, "search", "-", "--json", "--limit", "10", stdin=text, app=app)
        answers = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        ranked = [[names.get(r.get("filename") or "", "") for r in a["results"]] for a in answers]
        took.append([a["took_ms"] for a in answers])
    return Run(ranked, took, rate, cpu_rate)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def baseline(documents: list[Doc], queries: list[str], work: Path, repeat: int) -> Run:
    """Plain Whoosh: title and body with the portal's Thai words, BM25F, all query words OR-ed."""
    from whoosh import index, scoring
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.query import Or, Term

    from apps.search.engine.analysis import WORD
    from apps.search.engine.analyzers import word_analyzer

    words = word_analyzer()
    schema = Schema(id=ID(stored=True), title=TEXT(analyzer=words), body=TEXT(analyzer=words))
    folder = work / "whoosh"
    folder.mkdir()
    started, cpu = time.perf_counter(), time.process_time()
    ix = index.create_in(str(folder), schema)
    writer = ix.writer()
    for doc_id, title, text in documents:
        writer.add_document(id=doc_id, title=title, body=text)
    writer.commit()
    rate = len(documents) / (time.perf_counter() - started)
    cpu_rate = len(documents) / (time.process_time() - cpu)
    ranked, took = [], []
    with ix.searcher(weighting=scoring.BM25F()) as searcher:
        for _ in range(repeat):
            ranked, times = [], []
            for text in queries:
                began = time.perf_counter()
                terms = dict.fromkeys(t.text for t in words.analyse(text) if t.kind == WORD)
                query = Or([Term(name, t) for t in terms for name in ("title", "body")])
                hits = searcher.search(query, limit=10)
                ranked.append([hit["id"] for hit in hits])
                times.append((time.perf_counter() - began) * 1000)
            took.append(times)
    return Run(ranked, took, rate, cpu_rate)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def figures(run: Run, wanted: list[set[str]]) -> tuple[float, ...]:
    """(MRR@10, Recall@10, took_ms p50, took_ms p95, docs/s, docs per CPU second)."""
    reciprocal, recall = [], []
    for ranked, relevant in zip(run.ranked, wanted, strict=True):
        top = ranked[:10]
        first = next((rank for rank, doc in enumerate(top, 1) if doc in relevant), None)
        reciprocal.append(1 / first if first else 0.0)
        recall.append(len(relevant & set(top)) / len(relevant))
    median = statistics.median(statistics.median(t) for t in run.took)
    p95 = statistics.median(percentile(t, 0.95) for t in run.took)
    return (
        statistics.fmean(reciprocal),
        statistics.fmean(recall),
        median,
        p95,
        run.rate,
        run.cpu_rate,
    )


def row(name: str, system: str, queries: int, figs: tuple[float, ...], note: str = "") -> str:
    mrr, recall, p50, p95, rate, cpu_rate = figs
    return (
        f"| {name} | {system} | {queries} | {mrr:.3f} | {recall:.3f} | {p50:.1f} | {p95:.1f} | "
        f"{rate:.0f} | {cpu_rate:.0f} |{note}"
    )


HEADER = (
    "| set | system | queries | MRR@10 | Recall@10 | took_ms p50 | took_ms p95 | import docs/s "
    "| docs/CPU-s |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def measure(name, docs, queries, wanted, args) -> list[str]:
    """Each round: every checkout, then the baseline; with several rounds, the medians too."""
    apps = args.app or [ROOT]
    systems = ["portal" if len(apps) == 1 else f"portal {app.name}" for app in apps]
    if not args.no_baseline:
        systems.append("Whoosh BM25")
    rounds: list[list[tuple[float, ...]]] = []
    texts = list(queries)
    for number in range(args.rounds):
        found = []
        for system, app in zip(systems, [*apps, None], strict=False):
            with tempfile.TemporaryDirectory(prefix=f"km-bench-{name}-") as tmp:
                if app is None:
                    run = baseline(docs, texts, Path(tmp), args.repeat)
                else:
                    run = portal(docs, texts, Path(tmp), args.repeat, app)
            found.append(figures(run, wanted))
            print(f"round {number + 1}: {row(name, system, len(wanted), found[-1])}", flush=True)
        rounds.append(found)
    rows = []
    for index, system in enumerate(systems):
        figs = tuple(statistics.median(r[index][k] for r in rounds) for k in range(6))
        note = ""
        if system != "Whoosh BM25" and not args.no_baseline:
            wall = statistics.median(r[index][4] / r[-1][4] for r in rounds)
            cpu = statistics.median(r[index][5] / r[-1][5] for r in rounds)
            note = f" import rate {wall:.0%} of BM25's (per CPU second {cpu:.0%})"
        label = system if args.rounds == 1 else f"{system}, median of {args.rounds}"
        rows.append(row(name, label, len(wanted), figs, note))
    return rows


def dev_set(name: str, args) -> list[str]:
    docs, queries, relevant = load_set(SHARED / SETS[name])
    if args.queries and name == "retrieval":
        queries = random.Random(7).sample(queries, min(args.queries, len(queries)))  # noqa: S311
    wanted = [relevant[q["_id"]] for q in queries]
    return measure(name, docs, [q["text"] for q in queries], wanted, args)


def sections(corpus: list[dict], minimum: int = 50) -> list[Doc]:
    """Split articles at line breaks into sections of at least ``minimum`` characters."""
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


def passages(args) -> list[str]:
    corpus = load_jsonl(SHARED / SETS["retrieval"] / "corpus.jsonl")
    docs = sections(corpus, minimum=50)  # 5,354 sections of the 1,904 articles
    rng = random.Random(11)  # noqa: S311
    candidates = [d for d in docs if len(d[2]) >= 520]
    picked, wanted = [], []
    for doc_id, _title, text in rng.sample(candidates, min(args.long, len(candidates))):
        length = rng.randint(500, min(800, len(text)))
        start = rng.randint(0, len(text) - length)
        picked.append(text[start : start + length])
        wanted.append({doc_id})
    return measure("passages", docs, picked, wanted, args)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", default="legal,retrieval", help="legal,retrieval")
    parser.add_argument("--queries", type=int, default=0, help="retrieval: sample N (0: all)")
    parser.add_argument("--long", type=int, default=0, help="pasted passages (0: none)")
    parser.add_argument("--repeat", type=int, default=1, help="search each set this many times")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--app", type=Path, action="append", help="checkouts to compare")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the runs N times")
    args = parser.parse_args()
    rows = []
    for name in [s for s in args.sets.split(",") if s]:
        if not (SHARED / SETS[name] / "corpus.jsonl").exists():
            sys.exit(f"no dev set at {SHARED / SETS[name]}")
        rows += dev_set(name, args)
    if args.long:
        rows += passages(args)
    print()
    print(HEADER)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
