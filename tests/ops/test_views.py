"""The system status, background jobs and backups pages: administrators only, every role × GET
and POST."""

import os
import time

import pytest
from django.urls import reverse

from tests.conftest import ROLES

NAME = "kmportal-20250101-020000.tar.gz"


@pytest.fixture
def stored_backup(instance_dirs):
    path = instance_dirs / "backups" / NAME
    path.write_bytes(b"archive bytes")
    return path


def urls():
    return [
        reverse("ops:status"),
        reverse("ops:jobs"),
        reverse("ops:backups"),
        reverse("ops:backup_download", args=[NAME]),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_reach_the_pages(client_as, role, stored_backup):
    client = client_as(role)
    for url in urls():
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role == "admin":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url
        posted = client.post(url)
        assert posted.status_code in ({302} if role == "anonymous" else {403, 405}), url
        if role == "admin":
            assert posted.status_code == 405


@pytest.mark.django_db
def test_the_backups_page_lists_each_archive_with_size_and_date(admin_client, stored_backup):
    older = stored_backup.with_name("kmportal-20240101-020000.tar.gz")
    older.write_bytes(b"x" * 2048)
    os.utime(older, (time.time() - 86400, time.time() - 86400))
    (stored_backup.parent / "notes.txt").write_text("not an archive")
    body = admin_client.get(reverse("ops:backups")).content.decode()
    assert body.index(NAME) < body.index(older.name), "newest first"
    assert "notes.txt" not in body
    assert "2.0\xa0KB" in body
    assert "เสียหาย" in body  # these test files are not real archives


@pytest.mark.django_db
def test_an_administrator_downloads_an_archive(admin_client, stored_backup):
    response = admin_client.get(reverse("ops:backup_download", args=[NAME]))
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"archive bytes"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["../db.sqlite3", "..%2Fdb.sqlite3", "missing.tar.gz"])
def test_only_listed_archives_are_served(admin_client, stored_backup, name):
    (stored_backup.parent.parent / "db.sqlite3").write_bytes(b"secret")
    response = admin_client.get(f"/ops/backups/{name}")
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_status_page_shows_each_check(admin_client, instance_dirs):
    body = admin_client.get(reverse("ops:status")).content.decode()
    for key in ("database", "migrations", "index", "extraction", "files", "disk", "backups"):
        assert f'data-check="{key}"' in body
    assert "สถานะระบบ" in body
