"""Backup → restore → backup gives back every model's rows and every stored file, on SQLite and
PostgreSQL in each direction (the way an office moves from the embedded SQLite to PostgreSQL)."""

import os

import pytest
from django.conf import settings

from apps.library.extraction.ocr import find_engine
from apps.ops import archive

from .instance import (
    Instance,
    assert_same_contents,
    drop_postgres_database,
    fresh_postgres_database,
    postgres_available,
    read_archive,
)

needs_postgres = pytest.mark.skipif(not postgres_available(), reason="no PostgreSQL server")


def restore_and_back_up(target: Instance, source_archive, output):
    restored = target.manage("restore", str(source_archive))
    assert "check_index: clean" in restored.stdout
    target.manage("backup", "--output", str(output))
    return output


def test_the_demo_archive_covers_every_model(demo_archive):
    _source, path = demo_archive
    contents = read_archive(path)
    empty = [label for label, count in contents.manifest["counts"].items() if not count]
    # The demo's pages read by OCR exist only where Tesseract is installed (README, OCR).
    assert empty == ([] if find_engine(settings.LIBRARY_TESSERACT) else ["library.OcrPage"])
    assert set(contents.manifest["counts"]) == {m._meta.label for m in archive.archived_models()}
    assert contents.files, "the demo office has stored files"
    assert contents.manifest["missing_files"] == []


def test_sqlite_to_sqlite(demo_archive, tmp_path):
    _source, path = demo_archive
    target = Instance(tmp_path / "target")
    again = restore_and_back_up(target, path, tmp_path / "again.tar.gz")
    assert_same_contents(path, again)
    # A restored person signs in with the same password (the hash came back as it was).
    assert (
        target.python(
            "from apps.accounts.models import User\n"
            "print(User.objects.get(username='admin').check_password('km-demo-2551'))"
        ).strip()
        == "True"
    )


@pytest.fixture(scope="module")
def on_postgres(demo_archive, tmp_path_factory):
    """The demo archive restored into an empty PostgreSQL database, and its own backup."""
    if not postgres_available():
        pytest.skip("no PostgreSQL server")
    _source, path = demo_archive
    # A name of this process's own: test runs side by side (or pytest-xdist workers) must not
    # drop each other's database.
    name = f"kmportal_ops_roundtrip_{os.getpid()}"
    target = Instance(tmp_path_factory.mktemp("pg"), fresh_postgres_database(name))
    again = restore_and_back_up(target, path, tmp_path_factory.mktemp("pg-out") / "pg.tar.gz")
    yield target, again
    drop_postgres_database(name)


@needs_postgres
def test_sqlite_to_postgres(demo_archive, on_postgres):
    _source, path = demo_archive
    target, again = on_postgres
    assert_same_contents(path, again)
    # Sequences follow the restored ids: new rows (and their audit entries) get fresh ids.
    target.python(
        "from apps.accounts.models import Unit\n"
        "from django.contrib.auth.models import Group\n"
        "Unit.objects.create(name='กลุ่มงานใหม่หลังย้ายฐานข้อมูล')\n"
        "Group.objects.create(name='กลุ่มใหม่')\n"
    )


@needs_postgres
def test_postgres_to_sqlite(demo_archive, on_postgres, tmp_path):
    _source, path = demo_archive
    _target, from_postgres = on_postgres
    back = Instance(tmp_path / "back")
    again = restore_and_back_up(back, from_postgres, tmp_path / "back.tar.gz")
    assert_same_contents(path, again)
