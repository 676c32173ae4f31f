"""The Thai catalogue is complete, compiled, in step with the code, and keeps placeholders."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    path for locale in settings.LOCALE_PATHS for path in Path(locale).glob("th/LC_MESSAGES/*.po")
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{\w*\}")


def test_there_are_thai_catalogues():
    names = {path.relative_to(ROOT).parts[0] for path in CATALOGUES}
    assert names == {"locale", "locale_overrides"}


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(po_path):
    catalogue = polib.pofile(str(po_path))
    assert len(catalogue) > 0
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], f"untranslated: {missing}"
    assert fuzzy == [], f"fuzzy: {fuzzy}"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_translations_keep_their_placeholders(po_path):
    wrong = []
    for entry in polib.pofile(str(po_path)).translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            if entry.msgid_plural:
                # A Thai plural form may leave out the number the English sentence repeats.
                ok = set(PLACEHOLDER.findall(text)) <= set(
                    PLACEHOLDER.findall(entry.msgid) + PLACEHOLDER.findall(entry.msgid_plural)
                )
            else:
                ok = sorted(PLACEHOLDER.findall(text)) == expected
            if not ok:
                wrong.append((entry.msgid, text))
    assert wrong == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(mo_path))
    }
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.pofile(str(po_path)).translated_entries()
    }
    source.pop((None, ""), None)
    compiled.pop((None, ""), None)
    assert compiled == source, "the .mo is out of date: run `make messages`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) not installed")
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    # Run makemessages on a copy of the project and compare its catalogue with ours.
    for name in ["apps", "kmportal", "templates", "locale", "locale_overrides"]:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "th", "--add-location=file"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "KM_DATA_DIR": str(tmp_path / "var")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(tmp_path / "locale/th/LC_MESSAGES/django.po"))
    ours = polib.pofile(str(ROOT / "locale/th/LC_MESSAGES/django.po"))
    translated = {(e.msgctxt, e.msgid) for e in ours.translated_entries()}
    needed = {(e.msgctxt, e.msgid) for e in fresh if not e.obsolete}
    assert sorted(needed - translated, key=str) == [], "run `make messages` and translate"
    stale = {(e.msgctxt, e.msgid) for e in ours if not e.obsolete} - needed
    assert sorted(stale, key=str) == [], "strings no longer in the code: run `make messages`"


@pytest.mark.parametrize(
    "msgid",
    [
        "This field is required.",  # Django forms
        "This password is too common.",  # auth password validation
        "Enter a valid date.",
        "Please enter a correct %(username)s and password. "
        "Note that both fields may be case-sensitive.",
    ],
)
def test_django_messages_people_meet_are_thai(msgid):
    with translation.override("th"):
        text = translation.gettext(msgid)
    assert text != msgid
    assert re.search("[\u0e00-\u0e7f]", text), text
