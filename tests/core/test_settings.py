import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# Variables a CI run or another test may have set, which the child processes must not inherit.
ENV_SET_BY_TESTS = {
    "DATABASE_URL",
    "SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
}


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ENV_SET_BY_TESTS}
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_thai_is_the_default_language():
    assert settings.LANGUAGE_CODE == "th"
    assert [code for code, _name in settings.LANGUAGES] == ["th", "en"]
    assert settings.TIME_ZONE == "Asia/Bangkok"


def test_all_state_lives_in_the_data_folder():
    data = Path(settings.DATA_DIR)
    assert Path(settings.MEDIA_ROOT).parent == data
    assert Path(settings.SEARCH_INDEX_DIR).parent == data
    assert Path(settings.LOG_DIR).parent == data


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-only settings")
@pytest.mark.django_db
def test_sqlite_is_set_up_for_concurrent_use():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_a_fresh_data_folder_gets_a_wal_database(tmp_path):
    data = tmp_path / "fresh"
    result = run_python(
        "import django, os;"
        "os.environ['DJANGO_SETTINGS_MODULE']='kmportal.settings.dev';"
        "django.setup();"
        "from django.db import connection;"
        "c=connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]);"
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        KM_DATA_DIR=str(data),
    )
    assert result.returncode == 0, result.stderr
    journal_mode, name = result.stdout.split()
    assert journal_mode == "wal"
    assert Path(name) == data / "db.sqlite3"
    assert (data / "media").is_dir() and (data / "index").is_dir() and (data / "logs").is_dir()


def test_database_url_selects_postgresql(tmp_path):
    result = run_python(
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='kmportal.settings.dev';"
        "from django.conf import settings; d=settings.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])",
        DATABASE_URL="postgres://km:secret@db.example:5433/kmportal",
        KM_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "kmportal",
        "db.example",
        "5433",
    ]


@pytest.mark.parametrize(("switch", "expected"), [("", "True 5"), ("0", "None None")])
def test_postgresql_prepares_statements_unless_turned_off(tmp_path, switch, expected):
    """Statements are prepared (the server plans a repeated one once, issue 20); behind a
    pooler in transaction mode ``DB_PREPARED_STATEMENTS=0`` turns that off."""
    result = run_python(
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='kmportal.settings.dev';"
        "from django.conf import settings; o=settings.DATABASES['default'].get('OPTIONS', {});"
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))",
        DATABASE_URL="postgres://km:secret@db.example:5433/kmportal",
        DB_PREPARED_STATEMENTS=switch,
        KM_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected.split()


@pytest.mark.django_db
def test_the_postgresql_connection_prepares_what_it_runs_often():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == 5
    with connection.cursor() as cursor:
        for _ in range(6):
            cursor.execute("SELECT %s::int + 1", [41])
            assert cursor.fetchone()[0] == 42
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_python(
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='kmportal.settings.prod';"
        "from django.conf import settings; settings.DEBUG",
        ALLOWED_HOSTS="km.example.go.th",
        KM_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_passes_the_deployment_checklist(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in ENV_SET_BY_TESTS},
            "DJANGO_SETTINGS_MODULE": "kmportal.settings.prod",
            "SECRET_KEY": "a-long-random-production-secret-" + "x9Q2-" * 10,
            "ALLOWED_HOSTS": "km.example.go.th,km",
            "KM_SITE_URL": "https://km.example.go.th",
            "KM_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_boolean_environment_values_are_validated(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from kmportal.settings.base import env_bool, env_list

    monkeypatch.setenv("KM_FLAG", "yes")
    assert env_bool("KM_FLAG") is True
    monkeypatch.setenv("KM_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured):
        env_bool("KM_FLAG")
    monkeypatch.setenv("KM_HOSTS", "a.example, b.example ,,")
    assert env_list("KM_HOSTS") == ["a.example", "b.example"]
