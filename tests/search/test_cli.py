import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.library.models import AccessLevel
from tests.library.factories import DocumentFactory, DocumentFileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(search_index, people):
    open_doc = DocumentFileFactory(
        document__title="คำสั่งแต่งตั้งคณะทำงานกระบวนการจัดการความรู้",
        document__number="5/2551",
        original_name="คำสั่ง 5-2551.pdf",
    ).document
    km_doc = DocumentFactory(title="รายงานการจัดการความรู้ของทีมงาน", access=AccessLevel.KM_TEAM)
    search_index()
    return open_doc, km_doc


def run(*args, stdin=None, monkeypatch=None):
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command("search", *args, stdout=out)
    return out.getvalue()


def test_json_shape(documents):
    open_doc, _ = documents
    line = run("5/2551", "--json")
    assert line.count("\n") == 1
    payload = json.loads(line)
    assert set(payload) == {"query", "took_ms", "total", "results"}
    assert payload["query"] == "5/2551"
    assert isinstance(payload["took_ms"], float) and payload["took_ms"] >= 0
    first = payload["results"][0]
    assert set(first) == {"kind", "id", "title", "url", "score", "filename", "section"}
    assert first["section"] is None  # not a law opened at a section
    assert (first["kind"], first["id"], first["url"]) == (
        "document",
        open_doc.pk,
        f"/library/{open_doc.pk}/",
    )
    assert first["filename"] == "คำสั่ง 5-2551.pdf"
    assert isinstance(first["score"], float)


def test_queries_from_stdin_one_object_per_line(documents, monkeypatch):
    out = run(
        "-",
        "--json",
        "--limit",
        "1",
        stdin="การจัดการความรู้\nไม่มีทางพบคำนี้เลย\n\n",
        monkeypatch=monkeypatch,
    )
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["query"] for line in lines] == ["การจัดการความรู้", "ไม่มีทางพบคำนี้เลย", ""]
    assert len(lines[0]["results"]) == 1
    assert lines[1]["total"] == 0 and lines[1]["results"] == []


def test_without_as_it_searches_as_a_superuser_and_with_as_as_that_person(documents):
    _, km_doc = documents
    everything = json.loads(run("การจัดการความรู้", "--json"))
    assert km_doc.pk in {r["id"] for r in everything["results"]}
    as_staff = json.loads(run("การจัดการความรู้", "--json", "--as", "r_staff"))
    assert km_doc.pk not in {r["id"] for r in as_staff["results"]}
    as_member = json.loads(run("การจัดการความรู้", "--json", "--as", "r_member"))
    assert km_doc.pk in {r["id"] for r in as_member["results"]}


def test_plain_text_output(documents):
    out = run("5/2551")
    assert "results in" in out and "คำสั่งแต่งตั้ง" in out


def test_bad_arguments(documents):
    with pytest.raises(CommandError, match="no active user"):
        run("x", "--as", "nobody")
    with pytest.raises(CommandError, match="--limit"):
        run("x", "--limit", "0")
