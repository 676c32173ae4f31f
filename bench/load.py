#!/usr/bin/env python3
"""Load and fault benchmark: the portal under production settings and gunicorn, with signed-in
people reading and writing at once, on SQLite and on PostgreSQL.

    .venv/bin/python bench/load.py [--db sqlite|postgres|both] [--users 16] [--seconds 60]
        [--worker-class gthread|sync] [--workers 2] [--threads 4] [--timeout 120]
        [--faults upload,flush,import | --faults all] [--fault-seconds 30]
        [--import-files 600] [--import-kb 30] [--json FILE] [--keep] [--app CHECKOUT]

Run on purpose; ``make test`` never runs it. Traffic goes only to 127.0.0.1, and every phase is
bounded in time. For each database, in a fresh temporary data folder (and, for PostgreSQL, a
database of its own on postgres://postgres@127.0.0.1:5432, created and dropped here): the
README's Deploying steps (``migrate``, ``collectstatic``, ``seed_demo``), then gunicorn with
``kmportal.settings.prod`` on a free port of 127.0.0.1, every request sent as the TLS proxy
sends it; gunicorn runs as the README's Deploying section says (gthread, 2 workers of 4
threads) unless told otherwise. Each demo account writes one draft knowledge set of its own
through the form. Needs gunicorn (``requirements-prod.txt``) and, for PostgreSQL, the server.

**Load.** ``--users`` people (the demo accounts in turn, each with its own browser, cookies and
CSRF token) work for ``--seconds`` with no pause between clicks: reading (home, library,
documents, search and suggestions, knowledge sets, both dashboards) and writing through the
real forms (comments on published sets, edits of the sets they may edit, progress reports with
evidence files, library uploads of small generated PDFs and text files whose content is unique).
A write counts as acknowledged when the server redirected and the next page says it was saved;
a form sent back (an edit refused as out of date, 200 or 409) is refused, not lost; an edit that
was saved and later overwritten by someone else's edit from an older page is reported as
"overwritten" (a lost update) and counts as lost. Afterwards
(text extraction finished, the index queue empty) ``bench/load_check.py verify`` looks for every
acknowledged write in the database and ``manage.py check_index`` compares index and database.

**Faults** (``--faults``, each after the load run on the same instance, with the same people
working for ``--fault-seconds``): ``upload`` kills -9 the gunicorn worker that is receiving a
large upload (half-way through the body, or just after it); ``flush`` kills -9 the worker that
holds the search index's write lock (found in /proc/locks); ``import`` runs ``import_documents``
on a generated folder and kills -9 the whole server (gunicorn and the import) half-way. Then
the documented recovery: restart gunicorn, run the import again (files already in the library
are skipped), ``extract_pending``, ``check_index``, and ``check_index --repair`` only if it is
not clean. Nothing acknowledged may be lost, and the index must end in step.

Prints requests/s, p50/p95 per page, 5xx and unanswered requests (a killed worker's requests;
a proxy would answer those 502), the CPU the workers used per request (the figure that least
depends on what else runs on the machine), the writes by kind (acknowledged, refused, lost),
stored files without a row and rows without a file, and the index check; exits 1 when a target
is missed (any 5xx, any lost acknowledged write, the index out of step). ``--json`` keeps it all.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_faults
from load_client import HOST, Browser, Recorder, percentile
from load_people import Ledger, run_people, sign_in_everyone, token, write_drafts

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
SETTLE_SECONDS = 180


# --- The instance: data folder, database, gunicorn ------------------------------------------------
def cpu_seconds_of(pid: int) -> float:
    """User and system CPU time of a process and of the children it has waited for, so far
    (0 when it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime … cstime


class Instance:
    """A portal of its own: a temporary data folder (and PostgreSQL database), its environment,
    and gunicorn started, stopped and killed as the scenarios need."""

    def __init__(self, db: str, args):
        self.db, self.args = db, args
        self.app = args.app.resolve()  # the checkout whose portal is measured
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"kmportal-load-{db}-"))
        self.pg_name = f"kmportal_load_{os.getpid()}" if db == "postgres" else None
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="kmportal.settings.prod",
            KM_DATA_DIR=str(self.data_dir),
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=HOST,
            KM_SITE_URL=f"https://{HOST}",
            PYTHONUNBUFFERED="1",
            # No mail server here: the notices' emails go nowhere (as to a fast mail server).
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            KM_LOAD_APP=str(self.app),
        )
        if self.pg_name:
            self.env["DATABASE_URL"] = f"{PG_SERVER}/{self.pg_name}"
        self.port = 0
        self.server: subprocess.Popen | None = None
        self.log = self.data_dir / "gunicorn.log"
        # The background worker (text extraction, index updates), as the README's Procfile runs
        # it beside gunicorn; it is started and stopped with gunicorn.
        self.jobs: subprocess.Popen | None = None
        self.jobs_log = self.data_dir / "worker.log"

    def _pg(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(sql)

    def create(self) -> None:
        if self.pg_name:
            self._pg(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            self._pg(f'CREATE DATABASE "{self.pg_name}"')
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.manage("seed_demo")

    def destroy(self) -> None:
        self.stop()
        if self.args.keep:
            print(
                f"  kept {self.data_dir}"
                + (f" and database {self.pg_name}" if self.pg_name else "")
            )
            return
        if self.pg_name:
            self._pg(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def manage(self, *args: str, check: bool = True, timeout: float = 900) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=self.app,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            print(result.stdout[-3000:], result.stderr[-3000:], sep="\n")
            raise SystemExit(f"load: manage.py {' '.join(args)} failed")
        return result.stdout

    def check(self, *args: str) -> dict:
        result = subprocess.run(
            [PYTHON, str(ROOT / "bench" / "load_check.py"), *args],
            cwd=self.app,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            print(result.stderr[-3000:])
            raise SystemExit(f"load: load_check.py {args[0]} failed")
        return json.loads(result.stdout)

    def gunicorn_command(self) -> list[str]:
        command = [PYTHON, "-m", "gunicorn", "kmportal.wsgi", "--bind", f"127.0.0.1:{self.port}",
                   "--workers", str(self.args.workers), "--worker-class", self.args.worker_class,
                   "--timeout", str(self.args.timeout)]  # fmt: skip
        if self.args.worker_class == "gthread":
            command += ["--threads", str(self.args.threads)]
        return command

    def start_jobs(self) -> None:
        """Start the background worker unless it runs (as systemd's ``Restart=always`` would)."""
        if self.jobs is None or self.jobs.poll() is not None:
            with self.jobs_log.open("ab") as out:
                self.jobs = subprocess.Popen(
                    [PYTHON, "manage.py", "run_huey"],
                    cwd=self.app,
                    env=self.env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )

    def jobs_pids(self) -> list[int]:
        """The background worker's process (``run_huey`` runs its jobs in threads)."""
        return [self.jobs.pid] if self.jobs is not None and self.jobs.poll() is None else []

    def start(self) -> None:
        self.start_jobs()
        if not self.port:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                self.port = probe.getsockname()[1]
        with self.log.open("ab") as out:
            self.server = subprocess.Popen(
                self.gunicorn_command(),
                cwd=self.app,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise SystemExit(f"load: gunicorn exited with {self.server.returncode}")
            if len(self.workers()) >= self.args.workers:
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                    return
                except OSError:
                    pass
            time.sleep(0.3)
        raise SystemExit("load: gunicorn did not start")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        for process in [self.server, self.jobs]:
            if process is None or process.poll() is not None:
                continue
            os.killpg(process.pid, sig)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def workers(self) -> list[int]:
        if self.server is None:
            return []
        try:
            path = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def cpu_seconds(self) -> float:
        """CPU time used so far by the workers and the children they waited for (text
        extraction), to compare runs on a machine that others share."""
        return sum(cpu_seconds_of(pid) for pid in self.workers())

    def log_errors(self) -> dict[str, int]:
        """What gunicorn (worker timeouts, kills, boots) and the portal's log (ERROR lines)
        complained about, counted by the line's gist."""
        counts: dict[str, int] = {}
        sources = [
            (self.log, ("WORKER TIMEOUT", "was sent SIGKILL", "Worker exiting", "Booting worker")),
            (self.data_dir / "logs" / "kmportal.log", (" ERROR ", " CRITICAL ")),
        ]
        for path, words in sources:
            if not path.exists():
                continue
            for line in path.read_text(errors="replace").splitlines():
                if any(w in line for w in words):
                    gist = re.sub(r"^\[?[\d\-: ,.+]+\]? ?(\[\d+\] )?", "", line)
                    gist = re.sub(r"\d+", "N", gist)[:160]
                    counts[gist] = counts.get(gist, 0) + 1
        return counts


# --- Figures --------------------------------------------------------------------------------------
def summarise(samples, start: float, end: float) -> dict:
    """Requests/s, status counts, and p50/p95 per page (of answered requests)."""
    pages: dict[str, dict] = {}
    for sample in samples:
        page = pages.setdefault(sample.label, {"times": [], "statuses": {}})
        if sample.status:  # times of answered requests only
            page["times"].append(sample.seconds)
        page["statuses"][sample.status] = page["statuses"].get(sample.status, 0) + 1
    seconds = max(end - start, 1e-9)
    out = {
        "seconds": round(seconds, 1),
        "requests": len(samples),
        # Answered requests only: a refused connection to a server that is down is not work.
        "requests_per_second": round(sum(1 for s in samples if s.status) / seconds, 1),
        "status_5xx": sum(1 for s in samples if s.status >= 500),
        "unanswered": sum(1 for s in samples if s.status == 0),
        "status_4xx": sum(1 for s in samples if 400 <= s.status < 500),
        "pages": {},
    }
    for label, page in sorted(pages.items()):
        out["pages"][label] = {
            "n": len(page["times"]),
            "p50_ms": round(percentile(page["times"], 0.50) * 1000),
            "p95_ms": round(percentile(page["times"], 0.95) * 1000),
            "statuses": {str(k): v for k, v in sorted(page["statuses"].items())},
        }
    return out


def print_figures(figures: dict) -> None:
    print(f"  {figures['requests']} requests in {figures['seconds']} s = "
          f"{figures['requests_per_second']} requests/s; 5xx: {figures['status_5xx']}, "
          f"4xx: {figures['status_4xx']}, unanswered: {figures['unanswered']}")  # fmt: skip
    print(f"  {'page':<22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8}  statuses")
    for label, page in figures["pages"].items():
        statuses = ", ".join(f"{k}×{v}" for k, v in page["statuses"].items())
        print(f"  {label:<22} {page['n']:>6} {page['p50_ms']:>8} {page['p95_ms']:>8}  {statuses}")


def settle(instance: Instance, seconds: float = SETTLE_SECONDS) -> dict:
    """Wait (bounded) until background text extraction is done and the index queue is empty."""
    deadline = time.monotonic() + seconds
    while True:
        state = instance.check("settle")
        if not any(state.values()) or time.monotonic() > deadline:
            return state
        time.sleep(2)


def check_index(instance: Instance, repair: bool = False) -> dict:
    """``manage.py check_index``'s figures, and whether it said the index is in step."""
    out = instance.manage("check_index", *(["--repair"] if repair else []))
    figures = {}
    for line in out.splitlines():
        name, _, rest = line.partition(":")
        if name in {"missing", "stale", "orphaned", "queued updates"}:
            figures[name] = int(rest.split()[0])
    figures["in_step"] = not any(figures.values()) and "in step" in out
    return figures


def verify(instance: Instance, ledger: Ledger) -> dict:
    path = instance.data_dir / "ledger.json"
    with ledger.lock:
        path.write_text(json.dumps(ledger.acknowledged, ensure_ascii=False))
    result = instance.check("verify", str(path))
    result["lost_total"] = sum(len(k["lost"]) for k in result["kinds"].values())
    result["overwritten_total"] = len(result["kinds"]["edit"]["overwritten"])
    by_phase: dict[str, int] = {}
    for kind in result["kinds"].values():
        for entry in kind["lost"] + kind.get("overwritten", []):
            by_phase[entry["phase"]] = by_phase.get(entry["phase"], 0) + 1
    result["lost_by_phase"] = by_phase
    return result


def print_writes(ledger: Ledger, verified: dict, phase: str, before: dict) -> None:
    """This phase's writes: outcomes, and which of those acknowledged are not in the database."""
    print(f"  {'write':<10} {'acknowledged':>12} {'lost':>5} {'overwritten':>11}  other outcomes")
    for kind in ("comment", "edit", "report", "upload"):
        outcomes = {
            k: v - before.get(kind, {}).get(k, 0) for k, v in ledger.outcomes.get(kind, {}).items()
        }
        acked = outcomes.pop("acknowledged", 0)
        found = verified["kinds"].get(kind, {})
        lost = sum(1 for e in found.get("lost", []) if e["phase"] == phase)
        overwritten = sum(1 for e in found.get("overwritten", []) if e["phase"] == phase)
        other = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()) if v) or "-"
        print(f"  {kind:<10} {acked:>12} {lost:>5} {overwritten:>11}  {other}")
    fresh = ledger.outcomes.get("search own upload")
    if fresh:
        print(f"  searching one's own upload right after it (all phases): {fresh}")
    files = verified["files"]
    print(f"  files: rows whose file is missing {files['rows_with_missing_file_count']}, "
          f"files no row points to {files['orphaned_in_media_count']}, "
          f"upload temp files left {files['temp_files_left']}; "
          f"uploads' text {verified['kinds']['upload'].get('text_status')}")  # fmt: skip
    print(f"  all acknowledged so far: {len(ledger.acknowledged)}, not in the database now: "
          f"{verified['lost_by_phase'] or 'none'} (by the phase that wrote them)")  # fmt: skip
    for kind, found in verified["kinds"].items():
        for entry in found["lost"][:5]:
            print(f"  LOST {kind}: {entry}")


# --- Phases ---------------------------------------------------------------------------------------
def use_recorder(people, recorder: Recorder) -> None:
    for _username, browser in people:
        browser.recorder = recorder


def recover(instance: Instance, restart: bool, import_folder: Path | None = None) -> dict:
    """The documented recovery: (re)start gunicorn, import the folder again when an import was
    cut short, extract what is waiting, check the index and repair it only if not clean."""
    steps: dict = {}
    if restart:
        instance.stop()
        instance.start()
        steps["restart"] = "gunicorn stopped (SIGTERM) and started"
    if import_folder is not None:
        out = instance.manage("import_documents", str(import_folder), "--as", "admin")
        steps["import again"] = out.strip().splitlines()[-1]
    steps["extract_pending"] = instance.manage("extract_pending").strip()
    steps["settled"] = settle(instance, 120)
    first = check_index(instance)
    steps["check_index"] = first
    if not first["in_step"]:
        steps["check_index --repair"] = check_index(instance, repair=True)
        steps["check_index after repair"] = check_index(instance)
    return steps


def fault_phase(name: str, instance: Instance, people, caps, ledger: Ledger, args) -> dict:
    """One fault while the people work, then the recovery and the verification."""
    ledger.phase = name
    recorder = Recorder()
    use_recorder(people, recorder)
    seconds = args.fault_seconds
    folder = None
    if name == "import":
        folder = instance.data_dir / "import-src"
        load_faults.make_import_folder(
            folder, token, count=args.import_files, pdfs=40, max_bytes=args.import_kb * 1024
        )
    holder: dict = {}
    crowd = threading.Thread(
        target=lambda: holder.update(span=run_people(people, caps, seconds, ledger, seed=1000)),
        daemon=True,
    )
    crowd.start()
    stop_at = time.monotonic() + seconds
    time.sleep(min(3.0, seconds / 10))
    if name == "upload":
        browser = Browser(instance.port, Recorder(), client_ip="10.30.0.1")
        browser.sign_in("admin")
        injected = load_faults.upload_kills(instance, browser, stop_at, ledger, token)
    elif name == "flush":
        injected = load_faults.flush_kills(instance, stop_at)
    else:
        injected = load_faults.import_kill(
            instance, folder, kill_after=args.import_files // 2, python=PYTHON, root=instance.app
        )
        time.sleep(2)
        down = time.monotonic()
        instance.start()
        injected["seconds_to_restart_gunicorn"] = round(time.monotonic() - down, 1)
    crowd.join(timeout=seconds + 300)
    start, end = holder.get("span", (stop_at - seconds, stop_at))
    figures = summarise(recorder.since(start), start, end)
    recovery = recover(instance, restart=name != "import", import_folder=folder)
    verified = verify(instance, ledger)
    result = {"injected": injected, "figures": figures, "recovery": recovery, "verified": verified}
    if folder is not None:
        result["imported"] = instance.check("imported", str(folder))
    return result


def bench_database(db: str, args) -> dict:
    instance = Instance(db, args)
    report: dict = {"db": db, "faults": {}}
    try:
        print(f"\n=== {db}: {instance.data_dir}", flush=True)
        started = time.monotonic()
        instance.create()
        instance.start()
        print(f"  set up in {time.monotonic() - started:.0f} s: "
              f"{' '.join(instance.gunicorn_command()[2:])}", flush=True)  # fmt: skip
        setup = Recorder()
        people = sign_in_everyone(instance.port, args.users, setup)
        caps = instance.check("plan")
        write_drafts(people, caps)
        caps = instance.check("plan")
        for _username, browser in people:  # warm every worker's caches, not counted
            browser.get("/", label="warm-up")
        ledger, recorder = Ledger(), Recorder()
        use_recorder(people, recorder)
        print(f"--- load: {args.users} people for {args.seconds} s", flush=True)
        cpu_server, cpu_client, load_before = (
            instance.cpu_seconds(),
            time.process_time(),
            os.getloadavg(),
        )
        start, end = run_people(people, caps, args.seconds, ledger, seed=1)
        figures = summarise(recorder.since(start), start, end)
        figures["cpu"] = {
            "server_seconds": round(instance.cpu_seconds() - cpu_server, 1),
            "load_generator_seconds": round(time.process_time() - cpu_client, 1),
            "load_average_before": [round(v, 1) for v in load_before],
            "load_average_after": [round(v, 1) for v in os.getloadavg()],
        }
        figures["cpu"]["server_ms_per_request"] = round(
            1000 * figures["cpu"]["server_seconds"] / max(1, figures["requests"])
        )
        print_figures(figures)
        print(f"  CPU: {figures['cpu']}")
        settled = settle(instance)
        verified = verify(instance, ledger)
        index = check_index(instance)
        print_writes(ledger, verified, "load", {})
        print(f"  after the run: {settled}; check_index: {index}")
        print(f"  logs: {instance.log_errors() or 'no errors'}")
        report["load"] = {"figures": figures, "settled": settled, "verified": verified,
                          "check_index": index, "outcomes": ledger.outcomes,
                          "log": instance.log_errors()}  # fmt: skip
        for name in args.faults:
            print(f"--- fault '{name}': {args.users} people for {args.fault_seconds} s", flush=True)
            before = json.loads(json.dumps(ledger.outcomes))
            result = fault_phase(name, instance, people, caps, ledger, args)
            result["outcomes_before"] = before
            result["outcomes"] = ledger.outcomes
            report["faults"][name] = result
            print_figures(result["figures"])
            print(f"  injected: {json.dumps(result['injected'], ensure_ascii=False)[:1500]}")
            for step, what in result["recovery"].items():
                print(f"  recovery — {step}: {what}")
            if "imported" in result:
                print(f"  import folder in the library: {result['imported']}")
            print_writes(ledger, result["verified"], name, before)
            print(f"  logs so far: {instance.log_errors() or 'no errors'}")
        report["notes"] = ledger.notes[:50]
        report["log"] = instance.log_errors()
    finally:
        instance.destroy()
    return report


def missed_targets(report: dict) -> list[str]:
    missed = []
    phases = [("load", report.get("load")), *report["faults"].items()]
    last = phases[-1][1]
    for name, phase in phases:
        if not phase:
            continue
        where = f"{report['db']} {name}"
        if phase["figures"]["status_5xx"]:
            missed.append(f"{where}: {phase['figures']['status_5xx']} responses 5xx")
        lost = last["verified"]["lost_by_phase"].get(name, 0) if last else 0
        if lost:
            missed.append(f"{where}: {lost} acknowledged writes not in the database at the end")
        index = phase.get("check_index") or phase["recovery"].get(
            "check_index after repair", phase["recovery"]["check_index"]
        )
        if not index["in_step"]:
            missed.append(f"{where}: index not in step {index}")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default="gthread")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--timeout", type=int, default=120, help="gunicorn's worker timeout")
    parser.add_argument("--faults", default="", help="comma-separated: upload, flush, import; all")
    parser.add_argument("--fault-seconds", type=float, default=30)
    parser.add_argument("--import-files", type=int, default=600)
    parser.add_argument("--import-kb", type=int, default=30, help="largest text file to import")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--keep", action="store_true", help="keep the data folders")
    parser.add_argument(
        "--app",
        type=Path,
        default=ROOT,
        help="measure the portal in this checkout (default: this one)",
    )
    args = parser.parse_args()
    args.faults = ["upload", "flush", "import"] if args.faults == "all" else [
        f for f in args.faults.split(",") if f
    ]  # fmt: skip
    unknown = set(args.faults) - {"upload", "flush", "import"}
    if unknown:
        parser.error(f"unknown faults: {', '.join(sorted(unknown))}")
    if subprocess.run([PYTHON, "-c", "import gunicorn"], capture_output=True).returncode:
        raise SystemExit("load: gunicorn is missing: pip install -r requirements-prod.txt")

    def interrupted(*_args):
        raise SystemExit("load: interrupted")

    signal.signal(signal.SIGTERM, interrupted)
    load = os.getloadavg()
    print(f"KM Portal load benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
          f"load average before {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")  # fmt: skip
    reports = []
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        reports.append(bench_database(db, args))
    missed = [m for r in reports for m in missed_targets(r)]
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()},
                                         "load_average_before": load, "reports": reports},
                                        ensure_ascii=False, indent=1))  # fmt: skip
    print("\nTargets: 0 5xx, 0 lost acknowledged writes, index in step:",
          "all met" if not missed else "MISSED")  # fmt: skip
    for line in missed:
        print(f"  - {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
