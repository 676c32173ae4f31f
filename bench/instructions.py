#!/usr/bin/env python3
"""Instructions a request, counted by valgrind's callgrind: the same figure run after run,
whatever else the machine is doing (issue 20).

    .venv/bin/python bench/instructions.py [--docs 20000] [--app CHECKOUT ...]
        [--pages login,search 3 words] [--requests 40] [--runs 2]

Run on purpose; the tests never run it. ``throughput.py`` measures what the issue asks
(requests/s against the login page), but on a shared machine a page's rate moves by a third
between rounds with nothing changed; the number of instructions a request executes does not
(two runs of this session agreed within 0.3 %), so a change of a few per cent can be seen,
and compared between checkouts in the same run.

For every ``--app`` checkout (the baseline first), on a copy of ``scale.py``'s SQLite instance
(its index merged into one segment by the checkout's own writer, as ``throughput.py`` does):
one process under ``valgrind --tool=callgrind --instr-atstart=no`` signs in the demo's KM chief
(the login page: nobody), lets the index take the sign-in, warms up (``WARM`` requests), then
counts only the ``--requests`` requests that follow (``callgrind_control -i on/off``), through
Django's test client with the production settings. The pages and their addresses are
``throughput.py``'s. SQLite only: PostgreSQL's work is done in another process, which this does
not count. Prints millions of instructions a request (median of ``--runs``) and each
checkout's ratio to the first. Not the throughput ratio: the login page's share of a request
outside Python (the server, the network) is larger than a search page's.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale
import throughput

CHILD = "KM_INSTRUCTIONS_CHILD"
WARM = 20  # requests before counting: a worker under load has served thousands


def child(page: str, requests: int, docs: int) -> None:
    """Inside valgrind: sign in, warm up, count ``requests`` requests of ``page``."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from apps.search.indexing import flush

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST=os.environ["ALLOWED_HOSTS"])
    if page != "login":
        client.force_login(get_user_model().objects.get(username=scale.USER))
    flush()  # what the background worker does with the sign-in's change to the person
    rng = random.Random(20)  # noqa: S311 - the same addresses for every checkout

    def ask() -> None:
        path = throughput.path_of(page, rng, range(1, docs))
        response = client.get(path, secure=True)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")

    for _ in range(WARM):
        ask()
    control = ["callgrind_control", "-i"]
    subprocess.run([*control, "on", str(os.getpid())], check=True, capture_output=True)
    for _ in range(requests):
        ask()
    subprocess.run([*control, "off", str(os.getpid())], check=True, capture_output=True)


def count(app: Path, work: Path, page: str, args) -> float:
    """Millions of instructions a request of ``page`` in ``app`` on the instance ``work``."""
    env = scale.child_env(work, None, settings="kmportal.settings.prod")
    env.update(
        {CHILD: "1"},
        SECRET_KEY="instructions-bench-" + "k" * 40,
        ALLOWED_HOSTS="km.example",
        KM_SITE_URL="https://km.example",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        PYTHONHASHSEED="0",
        PYTHONPATH=str(app),
    )
    out = Path(tempfile.mkdtemp(prefix="kmportal-callgrind-")) / "callgrind.out"
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            str(Path(__file__).resolve()),
            page,
            str(args.requests),
            str(args.docs),
        ],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
    )
    shutil.rmtree(out.parent, ignore_errors=True)
    collected = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode or not collected:
        sys.exit(f"{app} {page}: valgrind failed\n{result.stderr[-2000:]}")
    return int(collected.group(1)) / args.requests / 1e6


def main() -> None:
    if os.environ.get(CHILD):
        child(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--app", type=Path, action="append", help="checkouts, the baseline first")
    parser.add_argument(
        "--pages", default="login,home,library,document,search 1 word,search 3 words"
    )
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="counts at once")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("instructions: valgrind is not installed (apt-get install valgrind)")
    pages = [p.strip() for p in args.pages.split(",")]
    if set(pages) - set(throughput.PAGES):
        parser.error(f"unknown pages: {', '.join(sorted(set(pages) - set(throughput.PAGES)))}")
    apps = [a.resolve() for a in (args.app or [scale.ROOT])]
    data_dir, _ = scale.prepare(args.docs, "sqlite")
    counted: dict[tuple[Path, str], list[float]] = {}
    works = []
    try:
        for i, app in enumerate(apps):
            work, _ = scale.copy_instance(data_dir, None, f"instructions{i}")
            works.append(work)
            env = scale.child_env(work, None)
            scale.manage(app, env, "migrate", "--noinput", "-v0")
            scale.manage(app, env, "shell", "-c", throughput.OPTIMIZE)
        # Counted a few at once: another process on the other core does not change a count.
        tasks = [(app, work, page) for _run in range(args.runs) for page in pages
                 for app, work in zip(apps, works, strict=True)]  # fmt: skip

        def one(task):
            app, work, page = task
            figure = count(app, work, page, args)
            print(f"  {app.name} {page}: {figure:.1f} M", flush=True)
            return app, page, figure

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for app, page, figure in pool.map(one, tasks):
                counted.setdefault((app, page), []).append(figure)
    finally:
        for work in works:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nMillions of instructions a request, median of {args.runs} runs ({args.requests} "
          f"requests each), {args.docs} documents, SQLite")  # fmt: skip
    print("| page | " + " | ".join(str(a) for a in apps) + " |")
    print("|---" * (len(apps) + 1) + "|")
    median = {key: statistics.median(values) for key, values in counted.items()}
    for page in pages:
        cells = []
        for app in apps:
            figure = median[(app, page)]
            cell = f"{figure:.1f}"
            if app != apps[0]:
                cell += f" ({figure / median[(apps[0], page)]:.2f}×)"
            cells.append(cell)
        print(f"| {page} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
