"""A law uploaded as one file in the library: searched section by section, opened at its
section, kept in step and checked by ``check_index`` like any entry (issue 19)."""

import json
from io import StringIO
from urllib.parse import quote_plus

import pytest
from django.core.management import call_command

from apps.library.choices import DocumentType
from apps.library.models import AccessLevel, Document
from apps.search import indexing, upkeep
from apps.search.models import IndexTask
from apps.search.searching import search
from tests.library.factories import DocumentFileFactory

pytestmark = pytest.mark.django_db
CODE = "ประมวลรัษฎากร"
TEXT = "\n".join(
    [
        "ประมวลรัษฎากร",
        "มาตรา 1 ประมวลกฎหมายนี้เรียกว่าประมวลรัษฎากร",
        "มาตรา 39 ในลักษณะนี้ เงินได้พึงประเมิน หมายความว่าเงินได้ตามมาตรา 40",
        "มาตรา 40 เงินได้พึงประเมิน ได้แก่เงินได้ดังต่อไปนี้",
        "(1) เงินได้เนื่องจากการจ้างแรงงาน ค่าจ้าง เบี้ยเลี้ยง โบนัส บำเหน็จ",
        "มาตรา 77/1 ในหมวดนี้ ภาษีซื้อ หมายความว่าภาษีมูลค่าเพิ่มที่ผู้ประกอบการได้จ่าย",
    ]
)
QUESTION = "ลูกจ้างได้รับโบนัสและเบี้ยเลี้ยงจากการจ้างแรงงาน ต้องเสียภาษีหรือไม่"


def make_law(**document):
    stored = DocumentFileFactory(
        content=TEXT.encode(),
        original_name="ประมวลรัษฎากร.txt",
        document__title=CODE,
        document__doc_type=DocumentType.LAW,
        **{f"document__{name}": value for name, value in document.items()},
    )
    return stored.document


def test_the_library_splits_a_law_and_a_hit_opens_at_its_section(search_index, people):
    """GIVEN a law uploaded as one file WHEN staff ask a question about one of its sections
    THEN the law is found once, its link opens มาตรา 40 and its snippet is that section's."""
    law = make_law()
    search_index()
    page = search(user=people["staff"], text=QUESTION)
    assert [result.obj for result in page.results] == [law]
    assert page.total == 1
    result = page.results[0]
    assert result.section == "มาตรา 40"
    assert result.url == f"/library/{law.pk}/?section={quote_plus('มาตรา 40')}#section"
    assert "โบนัส" in result.snippet
    assert "ภาษีซื้อ" not in result.snippet  # another section's words


def test_a_circular_is_not_split(search_index):
    """GIVEN a circular whose text has law-like headings WHEN indexed THEN it has one entry."""
    stored = DocumentFileFactory(content=TEXT.encode(), document__doc_type=DocumentType.CIRCULAR)
    search_index()
    assert set(indexing.get_engine().uids_with_stamps()) == {f"document:{stored.document.pk}"}


def test_section_entries_follow_the_record_and_check_index_is_content(search_index):
    """GIVEN a law indexed with its sections WHEN it is checked, retyped, and deleted
    THEN check_index reports nothing, the section entries follow each change."""
    law = make_law()
    search_index()
    engine = indexing.get_engine()
    uids = set(engine.uids_with_stamps())
    assert f"document:{law.pk}#มาตรา40" in uids
    assert len(uids) == 1 + 4
    assert upkeep.check().healthy

    law.doc_type = DocumentType.MANUAL
    law.save()
    search_index()
    assert set(engine.uids_with_stamps()) == {f"document:{law.pk}"}
    assert upkeep.check().healthy

    law.doc_type = DocumentType.LAW
    law.save()
    search_index()
    law.delete()
    search_index()
    assert engine.uids_with_stamps() == {}


def test_check_index_repairs_orphaned_sections(search_index):
    """GIVEN a law's section entries left behind without their record (the record deleted and
    its own entry gone behind the index's back) WHEN check_index runs THEN they are reported as
    orphans, and the repair removes them."""
    law = make_law()
    search_index()
    engine, uid = indexing.get_engine(), f"document:{law.pk}"
    with engine.writer() as writer:
        writer.delete_by_term("uid", uid)
    Document.objects.filter(pk=law.pk).delete()
    IndexTask.objects.all().delete()
    report = upkeep.check()
    keys = ("มาตรา1", "มาตรา39", "มาตรา40", "มาตรา77/1")
    assert report.orphaned == sorted(f"{uid}#{key}" for key in keys)
    upkeep.check(repair=True)
    assert engine.uids_with_stamps() == {}
    assert upkeep.check().healthy


def test_rebuild_writes_the_sections(search_index):
    """GIVEN a law WHEN the index is rebuilt THEN its section entries are there again."""
    law = make_law()
    search_index()
    upkeep.rebuild()
    assert f"document:{law.pk}#มาตรา77/1" in indexing.get_engine().uids_with_stamps()
    assert upkeep.check().healthy


def test_a_restricted_laws_sections_are_not_found_by_others(search_index, people, km_team):
    """GIVEN a law only the KM team may open WHEN plain staff ask about one of its sections
    THEN nothing is found or counted; a KM team member finds it at that section."""
    make_law(access=AccessLevel.KM_TEAM)
    search_index()
    staff = search(user=people["staff"], text=QUESTION)
    assert (staff.results, staff.total, staff.facets.get("kind")) == ([], 0, [])
    head = search(user=people["head"], text=QUESTION)
    assert [result.section for result in head.results] == ["มาตรา 40"]


def test_the_command_line_names_the_section(search_index):
    """GIVEN a law WHEN ``search --json`` is asked a question THEN its hit names the section."""
    make_law()
    search_index()
    out = StringIO()
    call_command("search", QUESTION, "--json", stdout=out)
    results = json.loads(out.getvalue())["results"]
    assert [(r["kind"], r["section"]) for r in results] == [("document", "มาตรา 40")]
