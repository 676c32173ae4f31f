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
``--repeat`` rounds of every page (3: the issue's medians of 3 runs), each round measuring
every checkout in turn (all are served at once, each idle while another is measured, so that
the machine's drift falls on all alike); prints each page's median requests/s and latency and
the median of its ratios to the login page of the same round; then ``--rss`` search requests
(different questions) and each worker's RSS before, half-way and after.
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
from load import Instance, cpu_seconds_of
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


class Run:
    """One checkout served on its own copy of the instance, its people signed in."""

    def __init__(self, app: Path, db: str, args, tag: str = "load") -> None:
        self.app, self.args = app, args
        data_dir, pg_name = scale.prepare(args.docs, db)
        # A copy of its own: a second checkout's copy under the same name would replace this
        # one's database (its people signed out) while it is served.
        self.work, self.copy = scale.copy_instance(data_dir, pg_name, tag)
        options = SimpleNamespace(app=app, workers=args.workers, worker_class="sync", threads=1,
                                  timeout=120, keep=False)  # fmt: skip
        instance = self.instance = Instance(db, options)
        shutil.rmtree(instance.data_dir, ignore_errors=True)
        instance.data_dir, instance.pg_name = self.work, self.copy
        instance.env["KM_DATA_DIR"] = str(self.work)
        instance.env.pop("DATABASE_URL", None)
        if self.copy:
            instance.env["DATABASE_URL"] = f"{scale.PG_SERVER}/{self.copy}"
        instance.log, instance.jobs_log = self.work / "gunicorn.log", self.work / "worker.log"
        self.rounds: list[dict] = []
        try:
            instance.manage("migrate", "--noinput", "-v", "0")  # the checkout's own schema
            instance.manage("collectstatic", "--noinput", "-v", "0")
            # The index in the checkout's own format: merged into one segment by its own writer.
            instance.manage("shell", "-c", OPTIMIZE)
            instance.start()
            self.browsers = []
            for i in range(args.clients):
                browser = Browser(instance.port, Recorder(), f"10.20.0.{i + 1}")
                if not browser.sign_in(scale.USER):
                    raise SystemExit(f"throughput: {scale.USER} could not sign in")
                self.browsers.append(browser)
            self.anonymous = [
                Browser(instance.port, Recorder(), f"10.30.0.{i + 1}") for i in range(args.clients)
            ]
        except BaseException:
            self.close()
            raise

    def make_path(self, page: str, rng: random.Random) -> str:
        return path_of(page, rng, range(1, self.args.docs))

    def cpu(self) -> tuple[float, float, float, float]:
        """CPU seconds so far of gunicorn's workers, of the background worker, of this process
        (the clients are its threads) and, on PostgreSQL, of the database server's processes
        (every ``postgres`` process of this machine): where a page's cost falls under load."""
        jobs = sum(cpu_seconds_of(pid) for pid in self.instance.jobs_pids())
        database = 0.0
        if self.copy:
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    if stat.read_text().split(" (", 1)[1].startswith("postgres)"):
                        # With its reaped children: a connection that closes leaves its
                        # CPU time to the server's main process, so the sum keeps it.
                        database += cpu_seconds_of(int(stat.parent.name))
                except (OSError, IndexError):
                    continue
        return self.instance.cpu_seconds(), jobs, time.process_time(), database

    def round(self) -> None:
        """Every page once, the login page first (the first round warms each page up)."""
        rows = {}
        for page in self.args.pages:
            who = self.anonymous if page == "login" else self.browsers
            port, seconds = self.instance.port, self.args.seconds
            if not self.rounds:
                hammer(port, who, page, min(3.0, seconds), self.make_path)  # warm
            before = self.cpu()
            rows[page] = row = hammer(port, who, page, seconds, self.make_path)
            after, done = self.cpu(), max(row["requests"], 1)
            used = [(b - a) * 1000 / done for a, b in zip(before, after, strict=True)]
            row["cpu_ms"] = dict(zip(("server", "jobs", "clients", "database"), used, strict=True))
            print(f"    {page:16} {row['per_second']:7.1f} req/s  p50 {row['p50_ms'] or 0:7.0f}"
                  f" ms  errors {row['errors']}  CPU ms a request: server {used[0]:.1f},"
                  f" worker {used[1]:.1f}, clients {used[2]:.1f}, database {used[3]:.1f}",
                  flush=True)  # fmt: skip
        self.rounds.append(rows)

    def result(self) -> dict:
        """Each page's round with the median requests/s, and the median of its ratios to the
        login page of the same round (the machine's speed drifts between rounds)."""
        result: dict = {"pages": {}}
        for page in self.args.pages:
            rows = sorted((r[page] for r in self.rounds), key=lambda row: row["per_second"])
            result["pages"][page] = dict(rows[len(rows) // 2])
            ratios = [r[page]["per_second"] / (r["login"]["per_second"] or 1.0)
                      for r in self.rounds]  # fmt: skip
            result["pages"][page]["ratio"] = statistics.median(ratios)
            result["pages"][page]["rounds"] = [round(r[page]["per_second"], 1) for r in self.rounds]
            for part in ("server", "database"):
                result["pages"][page][f"{part}_cpu_ms"] = statistics.median(
                    r[page]["cpu_ms"][part] for r in self.rounds
                )
        if self.args.rss:
            result["rss_kb"] = self.rss(self.args.rss)
        return result

    def rss(self, searches: int) -> dict:
        """Each worker's RSS before, half-way through and after ``searches`` search pages."""
        workers = self.instance.workers()
        rss = {"before": [rss_kb(p) for p in workers]}
        half = searches // 2
        questions = scale.questions(searches)
        for done, question in enumerate(questions, start=1):
            self.browsers[done % len(self.browsers)].get(
                f"/search/?q={quote(question)}", label="rss"
            )
            if done == half:
                rss["half"] = [rss_kb(p) for p in workers]
        rss["after"] = [rss_kb(p) for p in workers]
        rss["searches"] = len(questions)
        mb = {k: [round(v / 1024) for v in rss[k]] for k in ("before", "half", "after") if k in rss}
        print(f"    {self.app} worker RSS (MB): {mb} ({half} and {rss['searches']} searches)")
        return rss

    def close(self) -> None:
        self.instance.stop()
        shutil.rmtree(self.work, ignore_errors=True)
        if self.copy:
            scale.pg(f'DROP DATABASE IF EXISTS "{self.copy}" WITH (FORCE)')


def measure(apps: list[Path], db: str, args) -> dict[Path, dict]:
    """Every checkout served at once (each on its own copy, idle while another is measured);
    each round measures every checkout in turn, so that the machine's drift between rounds
    falls on all of them alike."""
    runs: list[Run] = []
    try:
        for number, app in enumerate(apps):
            runs.append(Run(app, db, args, tag=f"load{number}"))
        for number in range(args.repeat):
            for run in runs:
                load = os.getloadavg()[0]
                print(f"  round {number + 1}: {run.app} on {db} (load {load:.1f}):", flush=True)
                run.round()
        return {run.app: run.result() for run in runs}
    finally:
        for run in runs:
            run.close()


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
        print(f"  {args.docs} documents on {db}, checkouts {', '.join(map(str, apps))}")
        for app, result in measure(apps, db, args).items():
            everything[f"{db} {app}"] = result
    print(
        f"\nrequests/s (ratio to the login page), {args.clients} clients, "
        f"{args.workers} sync workers"
    )
    for key, result in everything.items():
        cells = [f"{p} {r['per_second']:.1f} ({r['ratio']:.2f}×)"
                 for p, r in result["pages"].items()]  # fmt: skip
        print(f"  {key}: " + "; ".join(cells))
    print("\nCPU ms a request in gunicorn's workers (+ the database server's), median of rounds")
    for key, result in everything.items():
        on_pg = key.startswith("postgres")
        cells = [f"{p} {r['server_cpu_ms']:.1f}" + (f" (+{r['database_cpu_ms']:.1f})" if on_pg
                 else "") for p, r in result["pages"].items()]  # fmt: skip
        print(f"  {key}: " + "; ".join(cells))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    if args.json:
        args.json.write_text(json.dumps(everything, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
