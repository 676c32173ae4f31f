"""Static files as production collects them: hashed names, a manifest, compressed copies."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.core.test_settings import ENV_SET_BY_TESTS, ROOT

PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "kmportal.settings.prod",
    "SECRET_KEY": "a-long-random-production-secret-" + "x9Q2-" * 10,
    "ALLOWED_HOSTS": "km.example.go.th",
}


def collect(static_root: Path, backend: str, dirs: list[Path] | None = None) -> None:
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": backend},
    }
    extra = {"STATICFILES_DIRS": dirs} if dirs is not None else {}
    with override_settings(STATIC_ROOT=static_root, STORAGES=storages, **extra):
        call_command("collectstatic", "--noinput", verbosity=0)


def test_the_readme_deployment_collects_static_files(tmp_path):
    """GIVEN the production settings WHEN ``collectstatic`` runs as the README says THEN it
    writes the manifest every page needs (without it, every page answers 500)."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_SET_BY_TESTS}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**env, **PROD_ENV, "KM_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((tmp_path / "staticfiles" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["vendor/chartjs/chart.umd.min.js"]
    assert hashed != "vendor/chartjs/chart.umd.min.js"
    assert (tmp_path / "staticfiles" / hashed).is_file()
    assert (tmp_path / "staticfiles" / (hashed + ".gz")).is_file()


def test_no_vendored_file_refers_to_a_missing_file(tmp_path):
    """Every ``url()`` and ``sourceMappingURL`` in static/ points to a file we ship: the strict
    manifest storage (which fails on any dangling reference) collects them all."""
    collect(tmp_path, "django.contrib.staticfiles.storage.ManifestStaticFilesStorage")
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    for name in ["vendor/bootstrap/bootstrap.min.css", "vendor/sarabun/sarabun.css"]:
        assert name in manifest["paths"]


@pytest.fixture
def dangling(tmp_path):
    """A static folder with a script whose source map is missing and a stylesheet whose font is."""
    source = tmp_path / "source"
    (source / "lib").mkdir(parents=True)
    (source / "lib" / "lib.min.js").write_text("var a=1;\n//# sourceMappingURL=lib.min.js.map\n")
    (source / "lib" / "ok.css").write_text("body{color:red}\n/*# sourceMappingURL=gone.css.map */")
    return source


def test_a_missing_source_map_does_not_stop_collectstatic(tmp_path, dangling):
    target = tmp_path / "static"
    collect(target, "apps.core.staticfiles.PortalStaticFilesStorage", dirs=[dangling])
    manifest = json.loads((target / "staticfiles.json").read_text())
    hashed = manifest["paths"]["lib/lib.min.js"]
    # The comment that points nowhere is dropped, so browsers' developer tools ask for nothing.
    assert "sourceMappingURL" not in (target / hashed).read_text()
    assert "sourceMappingURL" not in (target / manifest["paths"]["lib/ok.css"]).read_text()


def test_a_file_missing_from_the_manifest_is_served_unhashed_not_a_500(tmp_path, dangling):
    """One file the manifest lacks (added after collectstatic, or a failed run) must not turn
    every page that links it into a server error."""
    from django.templatetags.static import static

    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "apps.core.staticfiles.PortalStaticFilesStorage"},
    }
    collect(tmp_path / "static", "apps.core.staticfiles.PortalStaticFilesStorage", [dangling])
    with override_settings(STATIC_ROOT=tmp_path / "static", STORAGES=storages):
        assert static("lib/lib.min.js").startswith("/static/lib/lib.min.")
        assert static("lib/lib.min.js") != "/static/lib/lib.min.js"
        assert static("lib/added-later.js") == "/static/lib/added-later.js"
    with override_settings(STATIC_ROOT=tmp_path / "empty", STORAGES=storages):
        assert static("css/portal.css") == "/static/css/portal.css"


def test_a_files_hashed_address_is_worked_out_once_per_process(tmp_path, dangling, monkeypatch):
    from django.templatetags.static import static

    from apps.core.staticfiles import PortalStaticFilesStorage

    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "apps.core.staticfiles.PortalStaticFilesStorage"},
    }
    collect(tmp_path / "static", "apps.core.staticfiles.PortalStaticFilesStorage", [dangling])
    looked_up = []
    stored_name = PortalStaticFilesStorage.stored_name
    monkeypatch.setattr(
        PortalStaticFilesStorage,
        "stored_name",
        lambda self, name: looked_up.append(name) or stored_name(self, name),
    )
    with override_settings(STATIC_ROOT=tmp_path / "static", STORAGES=storages):
        first = static("lib/lib.min.js")
        assert static("lib/lib.min.js") == first != "/static/lib/lib.min.js"
        assert static("lib/ok.css") != first
    assert looked_up == ["lib/lib.min.js", "lib/ok.css"]
