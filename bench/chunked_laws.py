"""Whole laws in the library, searched section by section: the legal dev set joined back into its
36 laws (one document each), with and without the section entries, in the same run.

    .venv/bin/python bench/chunked_laws.py [--repeat 3]

``../shared/data/thai-legal-dev`` holds 5,127 sections of 36 laws (``_id`` "law::section", each
text starting with the law's name and "มาตรา N"). Each law's sections are joined in corpus order
(the law's name cut from each, one section a line) into one text file, and the 36 files are
imported with ``import_documents --metadata`` twice into fresh data folders:

- whole: type "other": one index entry per law (the library before chunking; its body capped at
  ``MAX_BODY`` like any document's);
- chunked: type "law": the same entry plus one per section (``engine/sections.py``).

The 20 questions go through ``search - --json``. A result counts when it is the right law AND
opens at a right section (its ``section``, "มาตรา 77/1" → "ประมวลรัษฎากร::77/1"): MRR@10 and
Recall@10 on sections; MRR@10 on laws alone (right law, any section) beside them. Also the import
time and the index folder's size. The dev set is test data: read from ``shared/``, never copied.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_quality import SETS, SHARED, load_set, manage, percentile

SECTION_WORDS = ("มาตรา ", "ข้อ ")


def laws(docs: list[tuple[str, str, str]]) -> dict[str, str]:
    """Law name → its text, the sections joined one a line without the repeated name."""
    joined: dict[str, list[str]] = {}
    for _doc_id, title, text in docs:
        body = text[len(title) :].lstrip() if text.startswith(title) else text
        joined.setdefault(title, []).append(body)
    return {title: "\n".join(parts) for title, parts in joined.items()}


def run(texts: dict[str, str], doc_type: str, queries: list[str], work: Path, repeat: int):
    data_dir, files = work / "data", work / "files"
    files.mkdir(parents=True)
    names = {}
    register = work / "register.csv"
    with register.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "type"])
        for number, (title, text) in enumerate(texts.items()):
            name = f"law{number:03d}.txt"
            names[name] = title
            (files / name).write_text(text, encoding="utf-8")
            writer.writerow([name, title, doc_type])
    manage(data_dir, "migrate", "--noinput", "-v0")
    started = time.perf_counter()
    manage(data_dir, "import_documents", str(files), "--metadata", str(register))
    seconds = time.perf_counter() - started
    size = sum(f.stat().st_size for f in (data_dir / "index").rglob("*") if f.is_file())
    stdin = "\n".join(" ".join(q.split()) for q in queries) + "\n"
    ranked, took = [], []
    for _ in range(repeat):
        result = manage(data_dir, "search", "-", "--json", "--limit", "10", stdin=stdin)
        answers = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        ranked = [
            [(names.get(r.get("filename") or "", ""), r.get("section") or "") for r in a["results"]]
            for a in answers
        ]
        took.append([a["took_ms"] for a in answers])
    return ranked, took, seconds, size


def section_id(law: str, label: str) -> str:
    for word in SECTION_WORDS:
        if label.startswith(word):
            return f"{law}::{label[len(word) :].strip()}"
    return f"{law}::"


def report(name: str, ranked, took, seconds: float, size: int, wanted: list[set[str]]) -> str:
    mrr, recall, law_mrr = [], [], []
    for hits, relevant in zip(ranked, wanted, strict=True):
        ids = [section_id(law, label) for law, label in hits[:10]]
        first = next((rank for rank, i in enumerate(ids, 1) if i in relevant), None)
        mrr.append(1 / first if first else 0.0)
        recall.append(len(relevant & set(ids)) / len(relevant))
        right_laws = {r.partition("::")[0] for r in relevant}
        first_law = next((k for k, (law, _l) in enumerate(hits[:10], 1) if law in right_laws), 0)
        law_mrr.append(1 / first_law if first_law else 0.0)
    p50 = statistics.median(statistics.median(t) for t in took)
    p95 = statistics.median(percentile(t, 0.95) for t in took)
    return (
        f"| {name} | {statistics.fmean(mrr):.3f} | {statistics.fmean(recall):.3f} | "
        f"{statistics.fmean(law_mrr):.3f} | {p50:.1f} | {p95:.1f} | {seconds:.1f} | "
        f"{size / 1e6:.1f} |"
    )


HEADER = (
    "| library | MRR@10 (law+section) | Recall@10 (sections) | MRR@10 (law) | took_ms p50 | "
    "took_ms p95 | import s | index MB |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="search each set this many times")
    args = parser.parse_args()
    docs, queries, relevant = load_set(SHARED / SETS["legal"])
    texts = laws(docs)
    wanted = [relevant[q["_id"]] for q in queries]
    questions = [q["text"] for q in queries]
    rows = []
    for name, doc_type in (("whole (36 entries)", "other"), ("chunked (36 + sections)", "law")):
        with tempfile.TemporaryDirectory(prefix="km-bench-laws-") as tmp:
            measured = run(texts, doc_type, questions, Path(tmp), args.repeat)
        rows.append(report(name, *measured, wanted))
        print(rows[-1], flush=True)
    print(f"\n{len(texts)} laws, {len(docs)} sections, {len(questions)} questions\n")
    print(HEADER)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
