"""Separate portal instances for backup and restore tests: each is a data folder and a database
(SQLite in the folder, or a PostgreSQL database) driven through ``manage.py`` in a child process,
as an office would run the commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("KM_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def fresh_postgres_database(name: str) -> str:
    """An empty PostgreSQL database (dropped and created again); returns its URL."""
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES}/{name}"


def drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Instance:
    data_dir: Path
    database_url: str | None = None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "KM_DATA_DIR"}}
        env["DJANGO_SETTINGS_MODULE"] = "kmportal.settings.test"
        env["KM_DATA_DIR"] = str(self.data_dir)
        env["PYTHONPATH"] = str(ROOT)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def manage(self, *args: str, check: bool = True, timeout: int = 180):
        result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def python(self, code: str, timeout: int = 120) -> str:
        """Run ``code`` in this instance (Django set up); returns what it printed."""
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", "import django\ndjango.setup()\n" + code],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise AssertionError(f"script failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def popen(self, code: str) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "-u", "-c", "import django\ndjango.setup()\n" + code],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


@dataclass
class Contents:
    """What an archive holds: its manifest, each model's rows and each file's checksum."""

    manifest: dict
    rows: dict[str, list[str]]
    files: dict[str, str]


def read_archive(path: Path) -> Contents:
    rows: dict[str, list[str]] = {}
    with tarfile.open(path, "r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        for info in archive:
            if info.name.startswith("data/"):
                label = info.name.removeprefix("data/").removesuffix(".jsonl")
                rows[label] = archive.extractfile(info).read().decode().splitlines()
    files = {
        name.removeprefix("media/"): entry["sha256"]
        for name, entry in manifest["files"].items()
        if name.startswith("media/")
    }
    return Contents(manifest, rows, files)


def assert_same_contents(expected: Path, actual: Path) -> None:
    """Every model's rows, line by line, and every stored file's checksum are the same."""
    first, second = read_archive(expected), read_archive(actual)
    assert sorted(first.rows) == sorted(second.rows)
    for label, lines in first.rows.items():
        assert second.rows[label] == lines, f"{label} differs after the round trip"
    assert first.files == second.files
    assert first.manifest["counts"] == second.manifest["counts"]


# Rows for the models the demo office leaves empty, so a round trip covers every model: a group
# with permissions (natural keys), an admin log entry (a content type), sign-in records, and a
# progress report's evidence file and link.
FILL_EVERY_MODEL = """
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from apps.accounts.models import User
from apps.library.models import Document
from apps.plans.models import EvidenceFile, EvidenceLink, ProgressReport

group = Group.objects.create(name="ผู้ดูแลคลังความรู้")
group.permissions.set(Permission.objects.filter(content_type__app_label="library")[:3])
person = User.objects.order_by("pk").first()
person.groups.add(group)
person.user_permissions.add(Permission.objects.get(codename="view_document"))
document_type = ContentType.objects.get_for_model(Document)
LogEntry.objects.create(
    user=person, content_type=document_type, object_id="1", object_repr="หนังสือ",
    action_flag=ADDITION, change_message="[]",
)
agent = dict(user_agent="pytest", ip_address="127.0.0.1", username="สมหญิง", path_info="/")
attempt = AccessAttempt.objects.create(
    get_data="", post_data="", failures_since_start=2, http_accept="*/*", **agent
)
AccessAttemptExpiration.objects.create(access_attempt=attempt, expires_at=timezone.now())
AccessLog.objects.create(http_accept="*/*", **agent)
AccessFailureLog.objects.create(http_accept="*/*", locked_out=False, **agent)
report = ProgressReport.objects.order_by("pk").first()
evidence = EvidenceFile(report=report, original_name="ภาพกิจกรรม.jpg", size=4, mime="image/jpeg")
evidence.file.save("photo.jpg", ContentFile(b"\\xff\\xd8\\xff\\xe0"), save=True)
EvidenceLink.objects.create(
    report=report, content_type=document_type, object_id=Document.objects.first().pk
)
"""
