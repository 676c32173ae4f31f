#!/usr/bin/env python3
"""Department scale under load: requests/s per page against the login page, and a worker's
memory over many searches (issue 20).

    .venv/bin/python bench/throughput.py [--docs 20000] [--db sqlite|postgres|both]
        [--app CHECKOUT ...] [--clients 8] [--seconds 15] [--workers 2] [--rss 1000]
        [--repeat 3] [--pages document,search 1 word] [--json FILE]

Run on purpose; the tests never run it. The instance is ``bench/scale.py``'s (made there and
cached under ``var/scale/``). For every ``--app`` checkout (give the baseline first), on a copy
of the instance (its index merged into one segment by that checkout's own writer, so that each
is read in the format it writes): the README's production settings (``kmportal.settings.prod``,
collectstatic) and gunicorn with ``--workers`` sync workers, as the issue measured, beside the
background worker; ``--clients`` people signed in as the demo's KM chief, each with its own browser
(``bench/load_client.py``), ask for one page as fast as they can for ``--seconds``: the login
page (the baseline: no database work to speak of), home, the library list, a document's page
(a different document each time), search for one word and for three, the office dashboard.
``--repeat`` rounds of every page (3: the issue's medians of 3 runs); prints each page's median
requests/s and latency and the median of its ratios to the login page of the same round; then
``--rss`` search requests (different questions) and each worker's RSS before, half-way and
after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale
from load import Instance
from load_client import Browser, NoResponseError, Recorder

ROOT = Path(__file__).resolve().parents[1]
OPTIMIZE = "from apps.search.indexing import get_engine; get_engine().optimize()"
PAGES = ("login", "home", "library", "document", "search 1 word", "search 3 words", "dashboard")


def path_of(page: str, rng: random.Random, documents: range) -> str:
    """The address of ``page``: a random document, random words of the bench's vocabulary."""
    if page == "login":
        return "/accounts/login/"
    if page == "home":
        return "/"
    if page == "library":
        return "/library/"
    if page == "document":
        return f"/library/{rng.choice(documents)}/"
    if page == "dashboard":
        return "/dashboard/office/"
    count = 1 if page == "search 1 word" else 3
    return "/search/?q=" + quote(" ".join(scale.words(count, rng.randrange(10**6))))


def hammer(port: int, browsers: list[Browser], page: str, seconds: float, make_path) -> dict:
    """Every browser asks for ``page`` in a loop for ``seconds``; requests/s and latencies."""
    recorder = Recorder()
    stop = time.monotonic() + seconds
    errors = []

    def loop(browser: Browser, seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311
        browser.recorder = recorder
        while time.monotonic() < stop:
            try:
                response = browser.get(make_path(page, rng), label=page)
            except NoResponseError as error:
                errors.append(str(error))
                continue
            if response.status != 200:
                errors.append(f"{page}: HTTP {response.status}")

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(b, i)) for i, b in enumerate(browsers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    times = [s.seconds for s in recorder.samples if s.status == 200]
    return {
        "requests": len(times),
        "per_second": len(times) / elapsed,
        "p50_ms": statistics.median(times) * 1000 if times else None,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
    }


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def measure(app: Path, db: str, args) -> dict:
    data_dir, pg_name = scale.prepare(args.docs, db)
    work, copy = scale.copy_instance(data_dir, pg_name, "load")
    options = SimpleNamespace(app=app, workers=args.workers, worker_class="sync", threads=1,
                              timeout=120, keep=False)  # fmt: skip
    instance = Instance(db, options)
    shutil.rmtree(instance.data_dir, ignore_errors=True)
    instance.data_dir, instance.pg_name = work, copy
    instance.env["KM_DATA_DIR"] = str(work)
    instance.env.pop("DATABASE_URL", None)
    if copy:
        instance.env["DATABASE_URL"] = f"{scale.PG_SERVER}/{copy}"
    instance.log, instance.jobs_log = work / "gunicorn.log", work / "worker.log"
    try:
        instance.manage("migrate", "--noinput", "-v", "0")  # the checkout's own schema
        instance.manage("collectstatic", "--noinput", "-v", "0")
        # The index in the checkout's own format: merged into one segment by its own writer.
        instance.manage("shell", "-c", OPTIMIZE)
        instance.start()
        recorder = Recorder()
        browsers = []
        for i in range(args.clients):
            browser = Browser(instance.port, recorder, f"10.20.0.{i + 1}")
            if not browser.sign_in(scale.USER):
                raise SystemExit(f"throughput: {scale.USER} could not sign in")
            browsers.append(browser)
        anonymous = [
            Browser(instance.port, recorder, f"10.30.0.{i + 1}") for i in range(args.clients)
        ]
        documents = range(1, args.docs)
        result: dict = {"pages": {}}

        def make_path(page: str, rng: random.Random) -> str:
            return path_of(page, rng, documents)

        rounds: list[dict] = []
        for number in range(args.repeat):
            rows = {}
            for page in args.pages:
                who = anonymous if page == "login" else browsers
                if number == 0:
                    hammer(instance.port, who, page, min(3.0, args.seconds), make_path)  # warm
                rows[page] = row = hammer(instance.port, who, page, args.seconds, make_path)
                print(f"    {page:16} {row['per_second']:7.1f} req/s  p50 {row['p50_ms'] or 0:7.0f}"
                      f" ms  errors {row['errors']}", flush=True)  # fmt: skip
            rounds.append(rows)
        # Each page's round with the median requests/s, and the median of its ratios to the
        # login page of the same round (the machine's speed drifts between rounds).
        for page in args.pages:
            rows = sorted((r[page] for r in rounds), key=lambda row: row["per_second"])
            result["pages"][page] = dict(rows[len(rows) // 2])
            ratios = [r[page]["per_second"] / (r["login"]["per_second"] or 1.0) for r in rounds]
            result["pages"][page]["ratio"] = statistics.median(ratios)
            result["pages"][page]["rounds"] = [round(r[page]["per_second"], 1) for r in rounds]
        if args.rss:
            workers = instance.workers()
            rss = {"before": [rss_kb(p) for p in workers]}
            half = args.rss // 2
            questions = scale.questions(args.rss)
            for done, question in enumerate(questions, start=1):
                browsers[done % len(browsers)].get(f"/search/?q={quote(question)}", label="rss")
                if done == half:
                    rss["half"] = [rss_kb(p) for p in workers]
            rss["after"] = [rss_kb(p) for p in workers]
            rss["searches"] = len(questions)
            result["rss_kb"] = rss
            mb = {
                k: [round(v / 1024) for v in rss[k]]
                for k in ("before", "half", "after")
                if k in rss
            }
            print(f"    worker RSS (MB): {mb} ({half} and {rss['searches']} searches)")
        return result
    finally:
        instance.stop()
        shutil.rmtree(work, ignore_errors=True)
        if copy:
            scale.pg(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--app", type=Path, action="append")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rss", type=int, default=1000)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of every page (medians)")
    parser.add_argument(
        "--pages", help=f"some of: {', '.join(PAGES)} (comma-separated; the login page always)"
    )
    args = parser.parse_args()
    wanted = {p.strip() for p in (args.pages or ",".join(PAGES)).split(",")} | {"login"}
    if wanted - set(PAGES):
        parser.error(f"unknown pages: {', '.join(sorted(wanted - set(PAGES)))}")
    args.pages = [p for p in PAGES if p in wanted]
    apps = [a.resolve() for a in (args.app or [ROOT])]
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    everything: dict = {}
    for db in dbs:
        for app in apps:
            print(f"  {app} at {args.docs} documents on {db} (load {os.getloadavg()[0]:.1f}):")
            everything[f"{db} {app}"] = measure(app, db, args)
    print(
        f"\nrequests/s (ratio to the login page), {args.clients} clients, "
        f"{args.workers} sync workers"
    )
    for key, result in everything.items():
        cells = [f"{p} {r['per_second']:.1f} ({r['ratio']:.2f}×)"
                 for p, r in result["pages"].items()]  # fmt: skip
        print(f"  {key}: " + "; ".join(cells))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    if args.json:
        args.json.write_text(json.dumps(everything, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
