"""The index follows the database: create, update, delete, access change, rebuild, check."""

import pytest
from django.core.management import call_command

from apps.library.models import AccessLevel, Document
from apps.search import indexing, upkeep
from apps.search.engine import IndexLockedError, SearchEngine, SearchRequest
from apps.search.models import IndexTask
from apps.search.searching import ADMIN, search, viewer_for
from apps.teams.models import Team
from tests.experts.factories import ExpertFactory
from tests.library.factories import DocumentFactory, DocumentFileFactory

pytestmark = pytest.mark.django_db


def found(text, viewer=ADMIN) -> set[str]:
    response = indexing.get_engine().search(SearchRequest(viewer=viewer, text=text, page_size=50))
    return {hit.uid for hit in response.hits}


def test_create_update_delete_follow_the_database(search_index):
    document = DocumentFactory(title="ระเบียบว่าด้วยการรับฝากเงินของสหกรณ์")
    search_index()
    assert f"document:{document.pk}" in found("รับฝากเงิน")

    document.title = "คู่มือการเลือกตั้งกรรมการดำเนินการ"
    document.save()
    search_index()
    assert f"document:{document.pk}" not in found("รับฝาก")
    assert f"document:{document.pk}" in found("เลือกตั้ง")

    document.delete()
    search_index()
    assert found("เลือกตั้ง") == set()
    assert not IndexTask.objects.exists()


def test_extracted_text_and_tags_are_indexed(search_index):
    stored = DocumentFileFactory(content="ผู้ตรวจการสหกรณ์ต้องรายงานข้อบกพร่องต่อนายทะเบียน".encode())
    search_index()
    assert f"document:{stored.document_id}" in found("ข้อบกพร่อง")


def test_an_access_change_applies_from_the_next_search(search_index, people):
    document = DocumentFactory(title="บันทึกการประชุมคณะทำงาน")
    search_index()
    staff = viewer_for(people["staff"])
    assert f"document:{document.pk}" in found("บันทึกการประชุม", staff)

    document.access = AccessLevel.TEAM
    document.access_team = Team.objects.get(name="กลุ่ม KM ที่ 1")
    document.save()
    search_index()
    assert f"document:{document.pk}" not in found("บันทึกการประชุม", staff)
    member = viewer_for(people["member"])
    assert f"document:{document.pk}" in found("บันทึกการประชุม", member)


def test_the_page_double_checks_access_even_before_the_index_catches_up(search_index, people):
    document = DocumentFactory(title="แผนงบประมาณลับ")
    search_index()
    Document.objects.filter(pk=document.pk).update(access=AccessLevel.KM_TEAM)  # no signal
    page = search(user=people["staff"], text="แผนงบประมาณ", record=False)
    assert [r.obj for r in page.results] == []


def test_only_approved_experts_are_searchable(search_index):
    approved = ExpertFactory(first_name="สมปอง", topics="การบัญชีสหกรณ์")
    pending = ExpertFactory(first_name="สมหมาย", topics="การบัญชีสหกรณ์", pending=True)
    search_index()
    uids = found("การบัญชีสหกรณ์")
    assert f"expert:{approved.pk}" in uids
    assert f"expert:{pending.pk}" not in uids


def test_a_busy_index_keeps_the_update_queued(search_index, monkeypatch):
    document = DocumentFactory(title="คู่มือการเลือกตั้งกรรมการดำเนินการ")

    def busy(*args, **kwargs):
        raise IndexLockedError("busy")

    monkeypatch.setattr(indexing.get_engine(), "writer", busy)
    assert search_index() == 0  # no error reaches the caller
    assert IndexTask.objects.filter(uid=f"document:{document.pk}").exists()
    monkeypatch.undo()
    search_index()
    assert f"document:{document.pk}" in found("เลือกตั้งกรรมการ")


def test_check_index_finds_and_repairs(search_index, capsys):
    kept = DocumentFactory(title="แนวทางการส่งเสริมกลุ่มเกษตรกร")
    changed = DocumentFactory(title="หนังสือเวียนเรื่องการตรวจบัญชี")
    gone = DocumentFactory(title="เอกสารที่จะถูกลบ")
    search_index()
    engine = indexing.get_engine()
    # Behind the index's back: a missing entry, a stale one and an orphan.
    engine.delete([f"document:{kept.pk}"])
    Document.objects.filter(pk=changed.pk).update(title="หนังสือเวียนเรื่องการตรวจสอบกิจการ")
    Document.objects.filter(pk=gone.pk).delete()
    IndexTask.objects.all().delete()

    report = upkeep.check()
    assert report.missing == [f"document:{kept.pk}"]
    assert report.stale == [f"document:{changed.pk}"]
    assert report.orphaned == [f"document:{gone.pk}"]

    call_command("check_index", "--repair")
    assert upkeep.check().healthy
    assert f"document:{changed.pk}" in found("ตรวจสอบกิจการ")
    assert "missing: 1" in capsys.readouterr().out


def test_rebuild_is_resumable(search_index, monkeypatch):
    documents = [DocumentFactory(title=f"ระเบียบฉบับที่ {n}") for n in range(12)]
    IndexTask.objects.all().delete()
    calls = {"n": 0}
    upsert = SearchEngine.upsert  # the rebuild writes a new index with an engine of its own

    def flaky(self, docs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the operator pressed Ctrl+C half-way
        return upsert(self, docs)

    monkeypatch.setattr(SearchEngine, "upsert", flaky)
    with pytest.raises(KeyboardInterrupt):
        upkeep.rebuild(batch=4)
    assert upkeep.checkpoint_path().exists()
    monkeypatch.undo()
    written = upkeep.rebuild(batch=4)
    assert written < len(documents) + 20  # it went on from the checkpoint
    assert not upkeep.checkpoint_path().exists()
    assert upkeep.check().healthy


def test_rebuild_index_command(search_index, capsys):
    DocumentFactory(title="คู่มือสมาชิกสหกรณ์")
    IndexTask.objects.all().delete()
    call_command("rebuild_index", "--restart")
    assert "Indexed" in capsys.readouterr().out
    assert upkeep.check().healthy


def test_moving_or_deleting_a_category_reindexes_its_documents(search_index):
    """GIVEN documents on a shelf and a shelf below it; WHEN the upper shelf moves under another
    root (its documents' ancestors change) and later the lower shelf is deleted (its documents
    lose their category through SET_NULL); THEN the index follows without a repair."""
    from tests.library.factories import CategoryFactory

    law, rules_, acts = (CategoryFactory(name=name) for name in ("กฎหมาย", "ระเบียบ", "พรบ."))
    sub = CategoryFactory(name="ฉบับแก้ไข", parent=acts)
    top = DocumentFactory(title="พระราชบัญญัติสหกรณ์", category=acts)
    low = DocumentFactory(title="พระราชบัญญัติสหกรณ์ ฉบับแก้ไข", category=sub)
    search_index()
    assert upkeep.check().healthy

    acts.parent = law
    acts.save()
    search_index()
    assert upkeep.check().stale == []
    under_law = indexing.get_engine().search(
        SearchRequest(viewer=ADMIN, text="", categories=[law.pk], page_size=50)
    )
    assert {hit.uid for hit in under_law.hits} == {f"document:{top.pk}", f"document:{low.pk}"}

    sub.delete()
    search_index()
    assert upkeep.check().stale == []
    assert rules_.pk  # an unrelated shelf is left alone
