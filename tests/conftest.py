import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from apps.teams.models import Role, TeamKind
from tests.factories import MembershipFactory, TeamFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _thai_by_default():
    """Tests run in the portal's default language unless they switch."""
    with translation.override("th"):
        yield


@pytest.fixture(autouse=True)
def _fresh_per_process_caches():
    """What is kept between requests is keyed by fingerprints of the data (counts, newest keys,
    latest changes) or the index's identity: a test's rolled-back rows can leave the same
    fingerprint as the next test's. So every test starts with nothing kept: the library's word
    filter, list page bodies and categories, search's related items, the values of
    ``apps.core.kept`` (the office dashboard) and Django's caches (the home page's sections,
    the navigation bar's parts)."""
    from django.core.cache import cache, caches

    from apps.core import kept
    from apps.library import pagecache, selectors, wordfilter
    from apps.search import searching

    selectors.forget_category_parents()
    wordfilter.forget()
    pagecache.forget()
    searching.forget_related()
    kept.clear_all()
    cache.clear()
    caches["fragments"].clear()
    yield


@pytest.fixture
def user(db):
    return UserFactory(username="somchai", first_name="สมชาย", last_name="ใจดี")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# --- Roles: one person per role of the permission model -----------------------------------------
ROLES = ["anonymous", "staff", "member", "secretary", "head", "cko", "admin"]


@pytest.fixture
def km_team(db):
    return TeamFactory(name="ทีมงาน KM", kind=TeamKind.KM_TEAM)


@pytest.fixture
def people(db, km_team):
    """One person per role: plain staff, a KM-group member, the KM team's secretary, head and
    CKO, and an administrator. Keys match ``ROLES`` (anonymous maps to None)."""
    group = TeamFactory(name="กลุ่ม KM ที่ 1", kind=TeamKind.KM_GROUP)
    cast = {
        "anonymous": None,
        "staff": UserFactory(username="r_staff"),
        "member": UserFactory(username="r_member"),
        "secretary": UserFactory(username="r_secretary"),
        "head": UserFactory(username="r_head"),
        "cko": UserFactory(username="r_cko"),
        "admin": UserFactory(username="r_admin", is_staff=True, is_superuser=True),
    }
    MembershipFactory(person=cast["member"], team=group, role=Role.MEMBER)
    MembershipFactory(person=cast["secretary"], team=km_team, role=Role.SECRETARY)
    MembershipFactory(person=cast["head"], team=km_team, role=Role.HEAD)
    MembershipFactory(person=cast["cko"], team=km_team, role=Role.CKO)
    return cast


@pytest.fixture
def client_as(client, people):
    """``client_as("secretary")`` → a test client signed in as that role (or anonymous)."""

    def sign_in(role: str):
        client.logout()
        if people[role] is not None:
            client.force_login(people[role])
        return client

    return sign_in


# --- Failures after a commit --------------------------------------------------------------------
@pytest.fixture
def cut_short_after_commit():
    """``with cut_short_after_commit(Model):`` a transaction that saves a ``Model`` commits, then
    one of its on-commit hooks raises SystemExit, as gunicorn's worker timeout does to a request
    still busy after its commit (in the search index update), or Ctrl+C to a command; give
    ``error=`` to raise something else. Needs a transactional test."""
    from contextlib import contextmanager

    from django.db import transaction
    from django.db.models.signals import post_save

    @contextmanager
    def after_saving(model, error: BaseException | None = None):
        def cut_short():
            raise error or SystemExit(1)

        def hook(sender, **kwargs):
            transaction.on_commit(cut_short)

        post_save.connect(hook, sender=model, weak=False, dispatch_uid="test-cut-short")
        try:
            yield
        finally:
            post_save.disconnect(sender=model, dispatch_uid="test-cut-short")

    return after_saving


# --- Data folders for child processes -----------------------------------------------------------
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def migrated_data_dir(tmp_path_factory):
    """``migrated_data_dir(folder, settings_module)`` makes ``folder`` what ``manage.py migrate``
    leaves in an empty data folder (the SQLite database, the empty media, index and other
    folders) for child processes run with that settings module. ``migrate`` itself runs once
    per settings module and session, in a child process as before; each test gets a copy."""
    made: dict[str, Path] = {}

    def copy(folder: Path, settings_module: str = "kmportal.settings.dev") -> Path:
        if settings_module not in made:
            template = tmp_path_factory.mktemp("migrated")
            env = {
                key: value
                for key, value in os.environ.items()
                if key not in {"DATABASE_URL", "KM_BACKUP_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE"}
            }
            env.update(
                KM_DATA_DIR=str(template),
                DJANGO_SETTINGS_MODULE=settings_module,
                PYTHONPATH=str(ROOT),
            )
            result = subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert result.returncode == 0, result.stderr
            made[settings_module] = template
        shutil.copytree(made[settings_module], folder, dirs_exist_ok=True)
        return folder

    return copy
