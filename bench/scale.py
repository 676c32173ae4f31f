#!/usr/bin/env python3
"""Department scale: pages and search with 2,000 and 20,000 documents (issue 20).

    .venv/bin/python bench/scale.py [--docs 20000 --small 2000] [--db sqlite|postgres|both]
        [--app CHECKOUT ...] [--runs 15] [--questions 200] [--rss 1000] [--json FILE]
    .venv/bin/python bench/scale.py --profile /library/ [--docs 20000]

Run on purpose; the tests never run it. Traffic stays in the process (Django's test client).

**The instance** (made once, cached under ``var/scale/``, never committed): documents generated
from the shared Thai retrieval dev set (Thai Wikipedia articles): each document mixes paragraphs
of one to three articles, repeated until it has 1,000–3,000 characters, with a realistic title
(type, number, subject), type, two-level category, issuing agency (the department and its 77
provincial offices), issue date over twenty years and a few tags. ``migrate``, ``seed_demo``
(the demo people and their records) and ``import_documents --metadata`` (the product's own bulk
import) build a data folder, and ``make_related`` works out the related items the worker keeps
(as it does for a running portal; on every run, for what is missing or a day old); for
PostgreSQL the same goes into a database of its own on postgres://postgres@127.0.0.1:5432
(``kmportal_scale_<docs>``, kept for the next run).

**The measurement**, for every ``--app`` checkout (default: this one; give main's checkout first
for the baseline in the same run), in a child process run with that checkout's code on a copy of
the cached data folder (and, for PostgreSQL, a copy of the cached database), as ``somchai`` (the
demo's KM chief, not a superuser, so every visibility rule applies), settings
``kmportal.settings.test`` (DEBUG off, cached templates):

- single-request server time, median of ``--runs`` requests after two warm-ups, of the library
  list, the list with a filter (a type), with a word, a document's page (a different document
  each request), search for one word and for three words (different questions each request),
  and the office dashboard;
- ``manage.py search - --json`` over ``--questions`` dev-set questions: took_ms median and p95;
- with ``--rss N``: the process's RSS before and after N search page requests.

With ``--profile PATH`` it profiles that page instead (pyinstrument, 10 requests) and prints
the tree.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = next(
    (
        base / "shared" / "data" / "thai-retrieval-dev"
        for base in (ROOT.parent, ROOT.parent.parent)
        if (base / "shared" / "data" / "thai-retrieval-dev").is_dir()
    ),
    ROOT.parent / "shared" / "data" / "thai-retrieval-dev",
)
CACHE = ROOT / "var" / "scale"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
USER = "somchai"

TYPES = (
    ("หนังสือเวียน", "หนังสือเวียน ที่ กษ 0401/ว{n}", 30),
    ("ระเบียบ", "ระเบียบนายทะเบียนสหกรณ์ ว่าด้วย", 12),
    ("คำสั่ง", "คำสั่งกรมส่งเสริมสหกรณ์ ที่ {n}/{y}", 18),
    ("กฎหมาย", "พระราชบัญญัติ", 3),
    ("คู่มือ", "คู่มือการปฏิบัติงาน", 10),
    ("แบบฟอร์ม", "แบบฟอร์ม", 5),
    ("รายงาน", "รายงานผลการดำเนินงาน", 12),
    ("ตำรา", "เอกสารวิชาการ", 4),
    ("แผนผังกระบวนงาน", "แผนผังกระบวนงาน", 2),
    ("อื่น ๆ", "เอกสาร", 4),
)  # fmt: skip
TOPICS = (
    "การตรวจการสหกรณ์", "การบัญชีสหกรณ์", "ข้อบังคับสหกรณ์", "การประชุมใหญ่", "กลุ่มเกษตรกร",
    "การชำระบัญชี", "เงินกู้ กพส.", "การจัดตั้งสหกรณ์", "การส่งเสริมสหกรณ์", "งบการเงิน",
    "การควบคุมภายใน", "ทุนเรือนหุ้น", "เงินรับฝาก", "การแก้ไขปัญหาหนี้", "ธรรมาภิบาล",
    "การเลือกตั้งกรรมการ", "ระบบ GFMIS", "การพัสดุ", "ประกันภัยพืชผล", "ยุ้งฉาง",
)  # fmt: skip
CATEGORIES = {
    "กฎหมายและระเบียบ": ("พระราชบัญญัติ", "กฎกระทรวง", "ระเบียบนายทะเบียน", "ประกาศ"),
    "การส่งเสริมสหกรณ์": ("สหกรณ์การเกษตร", "สหกรณ์ออมทรัพย์", "สหกรณ์บริการ", "กลุ่มเกษตรกร"),
    "การบริหารงาน": ("การเงินและบัญชี", "พัสดุ", "บุคลากร", "แผนงานและงบประมาณ"),
    "การตรวจการและกำกับ": ("การตรวจการ", "การชำระบัญชี", "การแก้ไขข้อบกพร่อง"),
    "ความรู้และคู่มือ": ("คู่มือปฏิบัติงาน", "องค์ความรู้", "ตำราและงานวิจัย"),
    "รายงาน": ("รายงานประจำปี", "รายงานการประชุม"),
}
PROVINCES = (
    "กระบี่", "กาญจนบุรี", "กาฬสินธุ์", "กำแพงเพชร", "ขอนแก่น", "จันทบุรี", "ฉะเชิงเทรา", "ชลบุรี",
    "ชัยนาท", "ชัยภูมิ", "ชุมพร", "เชียงราย", "เชียงใหม่", "ตรัง", "ตราด", "ตาก", "นครนายก",
    "นครปฐม", "นครพนม", "นครราชสีมา", "นครศรีธรรมราช", "นครสวรรค์", "นนทบุรี", "นราธิวาส", "น่าน",
    "บึงกาฬ", "บุรีรัมย์", "ปทุมธานี", "ประจวบคีรีขันธ์", "ปราจีนบุรี", "ปัตตานี",
    "พระนครศรีอยุธยา", "พะเยา", "พังงา", "พัทลุง", "พิจิตร", "พิษณุโลก", "เพชรบุรี", "เพชรบูรณ์",
    "แพร่", "ภูเก็ต", "มหาสารคาม", "มุกดาหาร", "แม่ฮ่องสอน", "ยโสธร", "ยะลา", "ร้อยเอ็ด", "ระนอง",
    "ระยอง", "ราชบุรี", "ลพบุรี", "ลำปาง", "ลำพูน", "เลย", "ศรีสะเกษ", "สกลนคร", "สงขลา", "สตูล",
    "สมุทรปราการ", "สมุทรสงคราม", "สมุทรสาคร", "สระแก้ว", "สระบุรี", "สิงห์บุรี", "สุโขทัย",
    "สุพรรณบุรี", "สุราษฎร์ธานี", "สุรินทร์", "หนองคาย", "หนองบัวลำภู", "อ่างทอง", "อำนาจเจริญ",
    "อุดรธานี", "อุตรดิตถ์", "อุทัยธานี", "อุบลราชธานี", "กรุงเทพมหานคร",
)  # fmt: skip
AGENCIES = (
    "กรมส่งเสริมสหกรณ์",
    "กรมตรวจบัญชีสหกรณ์",
    "นายทะเบียนสหกรณ์",
    *(f"สำนักงานสหกรณ์จังหวัด{p}" for p in PROVINCES),
)
TAGS = (*TOPICS, "ด่วน", "ประจำปี", "ผู้ตรวจการ", "สมาชิก", "ดอกเบี้ย", "เงินทุน", "ตัวอย่าง")


# --- The instance ---------------------------------------------------------------------------------
def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def generate_corpus(docs: int, folder: Path) -> Path:
    """``docs`` text files and their register CSV under ``folder``; returns the CSV."""
    register = folder / "register.csv"
    if register.exists():
        return register
    rng = random.Random(20)  # noqa: S311 - test data
    articles = load_jsonl(DEV / "corpus.jsonl")
    paragraphs = [
        [p.strip() for p in a["text"].split("\n") if len(p.strip()) > 40] or [a["text"]]
        for a in articles
    ]
    files = folder / "files"
    files.mkdir(parents=True, exist_ok=True)
    types_w = [w for _, _, w in TYPES]
    tops = list(CATEGORIES)
    with (folder / "register.tmp").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "type", "number", "agency", "issued", "category", "tags"])
        for i in range(docs):
            picks = rng.sample(range(len(articles)), rng.choice((1, 1, 2, 3)))
            target = rng.randint(1000, 3000)
            pool = [p for k in picks for p in paragraphs[k]]
            text, parts = "", []
            while len(text) < target:
                parts.append(rng.choice(pool))
                text = "\n\n".join(parts)
            text = text[: target + 200]
            type_name, prefix, _w = rng.choices(TYPES, weights=types_w)[0]
            year = rng.randint(2549, 2569)
            number = f"{rng.randint(1, 999)}/{year}"
            topic = rng.choice(TOPICS)
            subject = articles[picks[0]]["title"]
            title = (
                f"{prefix.format(n=rng.randint(1, 2999), y=year)} เรื่อง {topic} ({subject})"
                if i % 5
                else f"{prefix.format(n=rng.randint(1, 2999), y=year)} {subject}"
            )
            top = rng.choice(tops)
            category = f"{top} > {rng.choice(CATEGORIES[top])}" if rng.random() < 0.85 else top
            agency = rng.choice(AGENCIES[:3]) if rng.random() < 0.4 else rng.choice(AGENCIES[3:])
            issued = f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{year}"
            tags = ", ".join(rng.sample(TAGS, rng.randint(0, 3)))
            name = f"{i // 1000:02d}/doc{i:05d}.txt"
            (files / name).parent.mkdir(exist_ok=True)
            (files / name).write_text(f"{title}\n\n{text}\n", encoding="utf-8")
            writer.writerow([name, title, type_name, number, agency, issued, category, tags])
    (folder / "register.tmp").rename(register)
    return register


def child_env(data_dir: Path, pg_name: str | None, settings: str = "kmportal.settings.dev"):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        KM_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE=settings,
        LOG_LEVEL="WARNING",
        LIBRARY_EXTRACTION="inline",
        PYTHONUNBUFFERED="1",
    )
    if pg_name:
        env["DATABASE_URL"] = f"{PG_SERVER}/{pg_name}"
    return env


def manage(app: Path, env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=app,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args[:2])} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def pg(sql: str, database: str = "postgres") -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{database}", autocommit=True) as connection:
        connection.execute(sql)


def prepare(docs: int, db: str) -> tuple[Path, str | None]:
    """The cached instance with ``docs`` documents: (data folder, PostgreSQL database)."""
    corpus = CACHE / f"corpus-{docs}"
    data_dir = CACHE / f"{db}-{docs}"
    pg_name = f"kmportal_scale_{docs}" if db == "postgres" else None
    if (data_dir / "READY").exists():
        keep_related(data_dir, pg_name)
        return data_dir, pg_name
    print(f"  generating {docs} documents under {corpus} …", flush=True)
    register = generate_corpus(docs, corpus)
    shutil.rmtree(data_dir, ignore_errors=True)
    data_dir.mkdir(parents=True)
    if pg_name:
        pg(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        pg(f'CREATE DATABASE "{pg_name}"')
    env = child_env(data_dir, pg_name)
    started = time.perf_counter()
    manage(ROOT, env, "migrate", "--noinput", "-v0")
    manage(ROOT, env, "seed_demo")
    out = manage(ROOT, env, "import_documents", str(corpus / "files"), "--metadata", str(register))
    print(f"  {out.strip()} (instance ready in {time.perf_counter() - started:.0f} s)")
    (data_dir / "READY").write_text("ok\n")
    keep_related(data_dir, pg_name)
    return data_dir, pg_name


def keep_related(data_dir: Path, pg_name: str | None) -> None:
    """What the worker does each minute (``apps/search/related.py``), all of it now: the related
    items of the entries that have none or an out-of-date one, as a running portal has them."""
    env = child_env(data_dir, pg_name)
    manage(ROOT, env, "migrate", "--noinput", "-v0")
    started = time.perf_counter()
    out = manage(ROOT, env, "make_related").strip().splitlines()[-1]
    print(f"  related items: {out} ({time.perf_counter() - started:.0f} s)", flush=True)
    if pg_name:
        # What autovacuum does on a running server (this machine's has it off): without it a
        # freshly imported table has no statistics (plans guess a quarter of its rows) and no
        # visibility map (a count reads every row from the table, not from an index). Copies
        # made from this database as a template inherit both.
        pg("VACUUM (ANALYZE)", database=pg_name)


def copy_instance(data_dir: Path, pg_name: str | None, tag: str) -> tuple[Path, str | None]:
    work = Path(tempfile.mkdtemp(prefix=f"kmportal-scale-{tag}-"))
    for source in data_dir.iterdir():
        if source.name in {"media", "READY"}:
            continue
        if source.is_dir():
            shutil.copytree(source, work / source.name)
        else:
            shutil.copy2(source, work / source.name)
    (work / "media").symlink_to(data_dir / "media")  # read only here
    copy = None
    if pg_name:
        copy = f"{pg_name}_{tag}"
        pg(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        pg(f'CREATE DATABASE "{copy}" TEMPLATE "{pg_name}"')
    return work, copy


# --- Inside the child: the measurement ------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def questions(n: int, seed: int = 7) -> list[str]:
    qs = [q["text"] for q in load_jsonl(DEV / "queries.jsonl")]
    return random.Random(seed).sample(qs, min(n, len(qs)))  # noqa: S311


def words(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)  # noqa: S311
    vocabulary = list(TOPICS) + list(PROVINCES) + ["สหกรณ์", "ระเบียบ", "ประชุม", "บัญชี"]
    return [rng.choice(vocabulary) for _ in range(n)]


def measure(args) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.library.models import Document

    client = Client()
    client.force_login(get_user_model().objects.get(username=USER))
    # The same documents for every checkout (a document's more-like-this cost varies 2x).
    every = sorted(Document.objects.values_list("pk", flat=True))
    pks = random.Random(3).sample(every, min(len(every), args.runs + 2))  # noqa: S311
    one = words(args.runs + 2, 1)
    three = [" ".join(words(3, s)) for s in range(args.runs + 2)]
    pages = {
        "library list": lambda i: "/library/",
        "library with a filter": lambda i: "/library/?doc_type=circular",
        "library with a word": lambda i: f"/library/?q={one[i]}",
        "document detail": lambda i: f"/library/{pks[i % len(pks)]}/",
        "search 1 word": lambda i: f"/search/?q={one[i]}",
        "search 3 words": lambda i: f"/search/?q={three[i]}",
        "office dashboard": lambda i: "/dashboard/office/",
    }
    out: dict = {"pages": {}, "queries": {}}
    for name, url in pages.items():
        times, cpu = [], []
        for i in range(args.runs + 2):
            with CaptureQueriesContext(connection) as queries:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url(i))
                elapsed = (time.perf_counter() - started) * 1000
                used = (time.process_time() - started_cpu) * 1000
            if response.status_code != 200:
                sys.exit(f"{url(i)} answered {response.status_code}")
            if i >= 2:
                times.append(elapsed)
                cpu.append(used)
        out["pages"][name] = statistics.median(times)
        out.setdefault("cpu", {})[name] = statistics.median(cpu)
        out["queries"][name] = len(queries)
    if args.rss:
        qs = questions(args.rss, seed=11)
        before = rss_kb()
        for i, q in enumerate(qs):
            client.get("/search/", {"q": q[:200]})
            if i == 99:
                after_100 = rss_kb()
        out["rss"] = {"before": before, "after 100": after_100, "after": rss_kb(), "n": len(qs)}
    return out


def profile(args) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from pyinstrument import Profiler

    client = Client()
    client.force_login(get_user_model().objects.get(username=USER))
    client.get(args.profile)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(10):
        client.get(args.profile)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def run_child(app: Path, data_dir: Path, pg_name: str | None, args, tag: str) -> dict:
    work, copy = copy_instance(data_dir, pg_name, tag)
    try:
        env = child_env(work, copy)
        manage(app, env, "migrate", "--noinput", "-v0")
        env_test = child_env(work, copy, "kmportal.settings.test")
        env_test["PYTHONPATH"] = str(app)
        result = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--child",
                "--runs",
                str(args.runs),
                "--rss",
                str(args.rss),
            ],
            cwd=app,
            env=env_test,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            sys.exit(f"measurement failed in {app}:\n{result.stderr[-3000:]}")
        out = json.loads(result.stdout.splitlines()[-1])
        qs = questions(args.questions)
        lines = manage(app, env, "search", "-", "--json", stdin="\n".join(qs) + "\n")
        took = [json.loads(line)["took_ms"] for line in lines.splitlines() if line.strip()]
        out["cli"] = {"median": statistics.median(took), "p95": percentile(took, 0.95)}
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if copy:
            pg(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def table(results: dict, apps: list[str], sizes: list[int], db: str) -> None:
    names = list(next(iter(results.values()))["pages"])
    head = " | ".join(f"{a} {s:,}" for a in apps for s in sizes)
    print(f"\n| {db}: median ms, wall / CPU of the process (SQL queries) | {head} |")
    print("|---" * (1 + len(apps) * len(sizes)) + "|")
    for name in names:
        cells = []
        for a in apps:
            for s in sizes:
                r = results[(a, s)]
                cells.append(
                    f"{r['pages'][name]:.0f} / {r['cpu'][name]:.0f} cpu ({r['queries'][name]} q)"
                )
        print(f"| {name} | " + " | ".join(cells) + " |")
    cells = [
        f"{results[(a, s)]['cli']['median']:.0f} / {results[(a, s)]['cli']['p95']:.0f}"
        for a in apps
        for s in sizes
    ]
    print("| `search` took_ms median / p95 | " + " | ".join(cells) + " |")
    if any("rss" in r for r in results.values()):
        cells = []
        for a in apps:
            for s in sizes:
                rss = results[(a, s)].get("rss")
                cells.append(
                    f"{rss['before'] // 1024} → {rss['after 100'] // 1024} → {rss['after'] // 1024}"
                    f" MB ({rss['n']})"
                    if rss
                    else "—"
                )
        print("| RSS before → after 100 → after N searches | " + " | ".join(cells) + " |")
    if len(sizes) == 2:
        print(f"\ngrowth {sizes[0]:,} / {sizes[1]:,} documents (CPU per page):")
        for a in apps:
            big, small = results[(a, sizes[0])], results[(a, sizes[1])]
            ratios = ", ".join(f"{n} {big['cpu'][n] / small['cpu'][n]:.1f}×" for n in names)
            print(f"  {a}: {ratios}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument("--small", type=int, default=2000, help="0: no growth ratio")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--app", type=Path, action="append", help="checkouts to measure")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--rss", type=int, default=0, help="search requests for the RSS check")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--profile", help="a page's path to profile at --docs")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--show", type=Path, help="print the tables of an earlier --json")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args)))
        return
    if args.show:
        for db, runs in json.loads(args.show.read_text()).items():
            results = {
                (a, int(n)): r
                for a, n in (k.rsplit(" ", 1) for k in runs)
                for r in [runs[f"{a} {n}"]]
            }
            apps = list(dict.fromkeys(a for a, _n in results))
            sizes = sorted({n for _a, n in results}, reverse=True)
            table(results, apps, sizes, db)
        return
    if args.profile and os.environ.get("KM_SCALE_PROFILE_CHILD"):
        profile(args)
        return
    apps = [a.resolve() for a in (args.app or [ROOT])]
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    sizes = [args.docs] + ([args.small] if args.small else [])
    if args.profile:
        data_dir, pg_name = prepare(args.docs, dbs[0])
        work, copy = copy_instance(data_dir, pg_name, "profile")
        try:
            env = child_env(work, copy, "kmportal.settings.test")
            env.update(KM_SCALE_PROFILE_CHILD="1", PYTHONPATH=str(apps[-1]))
            subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--profile", args.profile],
                cwd=apps[-1],
                env=env,
                check=True,
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
            if copy:
                pg(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        return
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    everything = {}
    for db in dbs:
        results = {}
        for size in sizes:
            data_dir, pg_name = prepare(size, db)
            for app in apps:
                print(f"  measuring {app} at {size} documents on {db} …", flush=True)
                results[(str(app), size)] = run_child(app, data_dir, pg_name, args, db)
        table(results, [str(a) for a in apps], sizes, db)
        everything[db] = {f"{a} {s}": r for (a, s), r in results.items()}
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    if args.json:
        args.json.write_text(json.dumps(everything, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
