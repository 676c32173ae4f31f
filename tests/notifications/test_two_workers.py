"""Reminders are sent once even when two workers run them at the same moment: each reminder's
key is unique in the database, so the second insert fails and its notices roll back."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(folder: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "KM_BACKUP_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}
    }
    env.update(
        KM_DATA_DIR=str(folder),
        DJANGO_SETTINGS_MODULE="kmportal.settings.dev",
        PYTHONPATH=str(ROOT),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return env


def _manage(folder: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(folder),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _sent(output: str) -> tuple[int, int]:
    match = re.search(r"(\d+) sent to (\d+) people", output)
    assert match, output
    return int(match.group(1)), int(match.group(2))


def test_two_processes_running_the_reminders_at_once_send_each_once(tmp_path, migrated_data_dir):
    folder = migrated_data_dir(tmp_path / "data")
    seeded = _manage(folder, "seed_demo")
    out, err = seeded.communicate(timeout=600)
    assert seeded.returncode == 0, err
    database = sqlite3.connect(folder / "db.sqlite3")
    before = database.execute("select coalesce(max(id), 0) from notifications_notification")
    before = before.fetchone()[0]
    earlier = database.execute("select coalesce(max(id), 0) from notifications_sentreminder")
    earlier = earlier.fetchone()[0]
    # The last day of a fiscal quarter in the demo's year: progress reports, action items and
    # meetings all have something due.
    day = "--date=" + os.environ.get("KM_TEST_REMINDER_DAY", "2026-12-31")
    runs = [_manage(folder, "send_reminders", day, "--no-digests") for _ in range(2)]
    results = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _out, err in results]
    sent = [_sent(out) for out, _err in results]
    keys = database.execute(
        "select count(*), sum(recipients) from notifications_sentreminder where id > ?", [earlier]
    )
    key_count, people = keys.fetchone()
    twice = database.execute(
        "select recipient_id, kind, target_type_id, target_id, note, count(*)"
        " from notifications_notification where id > ?"
        " group by recipient_id, kind, target_type_id, target_id, note having count(*) > 1",
        [before],
    ).fetchall()
    assert key_count > 0, "the demo data has nothing due on that day: pick another"
    assert sum(count for count, _people in sent) == key_count  # each went once, by one of them
    assert sum(told for _count, told in sent) == people
    assert twice == []
    again = _manage(folder, "send_reminders", day, "--no-digests")
    out, err = again.communicate(timeout=300)
    assert _sent(out) == (0, 0), err
