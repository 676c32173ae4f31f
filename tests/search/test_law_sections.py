"""A whole law or regulation indexed section by section besides whole (issue 19): its section
entries are written and deleted with it, lift it to its best section, and are never hits, counts
or suggestions of their own. The engine alone, without Django."""

import pytest

from apps.search.engine import SearchEngine, SearchRequest, Viewer, legal, section_text
from apps.search.engine.sections import MIN_SECTIONS, lift, sections

ADMIN = Viewer(user_id=1, is_admin=True)
STAFF = Viewer(user_id=2)
CODE = "ประมวลรัษฎากร"
LAW = "\n".join(
    [
        "ประมวลรัษฎากร ฉบับรวมแก้ไข",
        "มาตรา 1 ประมวลกฎหมายนี้เรียกว่าประมวลรัษฎากร",
        "มาตรา 3 จตุทศ ให้อธิบดีมีอำนาจขยายกำหนดเวลา",
        "มาตรา 40 เงินได้พึงประเมิน ได้แก่เงินได้ดังต่อไปนี้",
        "(1) เงินได้เนื่องจากการจ้างแรงงาน เงินเดือน ค่าจ้าง เบี้ยเลี้ยง โบนัส",
        "มาตรา 77/1 ในหมวดนี้ ภาษีซื้อ หมายความว่าภาษีมูลค่าเพิ่มที่ผู้ประกอบการได้จ่าย",
    ]
)


def law(pk=12, text=LAW, **fields):
    return {
        "kind": "document",
        "pk": pk,
        "title": CODE,
        "body": text,
        "sections": text,
        "doc_type": "law",
        "access": "all",
        "data": {"url": f"/library/{pk}/"},
        **fields,
    }


OTHER = {
    "kind": "document",
    "pk": 13,
    "title": "คู่มือการจ่ายเงินเดือน",
    "body": "เงินเดือน การจ่ายเงินเดือนของสหกรณ์",
    "doc_type": "manual",
    "access": "all",
}


@pytest.fixture
def engine(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    engine.upsert([law(), OTHER])
    return engine


def search(engine, text="", viewer=ADMIN, **kwargs):
    return engine.search(SearchRequest(viewer=viewer, text=text, **kwargs))


def test_a_law_is_cut_at_its_headings_with_every_suffix():
    """GIVEN a law's text with a preamble and four sections, one of them "มาตรา 3 จตุทศ"
    WHEN it is cut THEN each labelled section is one part, the preamble none."""
    assert [label for label, _text in sections(LAW)] == [
        "มาตรา 1",
        "มาตรา 3 จตุทศ",
        "มาตรา 40",
        "มาตรา 77/1",
    ]
    assert section_text(LAW, "มาตรา  40").startswith("มาตรา 40 เงินได้พึงประเมิน")
    assert section_text(LAW, "มาตรา 41") is None
    assert legal.section_label("มาตรา 3 ฉัพพีสติ ให้") == "มาตรา 3 ฉัพพีสติ"


def test_a_text_with_few_headings_is_not_split():
    """GIVEN a circular that quotes "ข้อ 1" and "ข้อ 2" WHEN cut THEN it has no sections."""
    text = "หนังสือเวียน\nข้อ 1 ให้ถือปฏิบัติ\nข้อ 2 ให้รายงานผล"
    assert MIN_SECTIONS == 3
    assert sections(text) == []


def test_section_entries_are_written_and_deleted_with_the_record(engine):
    """GIVEN a law indexed with its sections WHEN it is written again with fewer sections, then
    as a plain document, then deleted THEN its section entries follow every time."""
    uids = set(engine.uids_with_stamps())
    assert {"document:12#มาตรา40", "document:12#มาตรา3จตุทศ", "document:12#มาตรา77/1"} <= uids
    assert len(uids) == 2 + 4
    stamps = engine.uids_with_stamps()
    assert stamps["document:12#มาตรา40"] == stamps["document:12"]  # the record's stamp

    shorter = "\n".join(LAW.splitlines()[:4])  # มาตรา 1, 3 จตุทศ, 40
    engine.upsert([law(text=shorter)])
    assert "document:12#มาตรา77/1" not in engine.uids_with_stamps()
    assert engine.count() == 2 + 3

    engine.upsert([{**law(), "sections": ""}])
    assert engine.count() == 2

    engine.upsert([law()])
    engine.delete(["document:12"])
    assert set(engine.uids_with_stamps()) == {"document:13"}


def test_a_writer_held_by_the_caller_replaces_and_deletes_sections_too(engine):
    """GIVEN a law with sections WHEN the queue's write (one writer) rewrites it, then deletes
    it THEN no old section stays."""
    with engine.writer() as writer:
        engine.write(writer, [law(text="\n".join(LAW.splitlines()[:4]))])
    assert engine.count() == 2 + 3
    with engine.writer() as writer:
        engine.write(writer, [], delete=["document:12"])
    assert set(engine.uids_with_stamps()) == {"document:13"}


def test_a_question_finds_the_law_and_opens_it_at_the_section(engine):
    """GIVEN a whole law as one record WHEN a question about one of its sections is asked
    THEN the record is found once, with the section it opens at."""
    response = search(engine, "เงินเดือน ค่าจ้าง โบนัส เป็นเงินได้พึงประเมินหรือไม่")
    assert [hit.uid for hit in response.hits][:1] == ["document:12"]
    assert response.hits[0].data["section"] == "มาตรา 40"
    assert response.hits[0].title == CODE
    assert len({hit.uid for hit in response.hits}) == len(response.hits) == response.total


def test_a_section_and_its_law_go_to_that_section_of_the_one_document(engine):
    """GIVEN the law as one record WHEN someone types "มาตรา 77/1 ประมวลรัษฎากร" THEN it is
    the first hit and opens at มาตรา 77/1."""
    hit = search(engine, "มาตรา 77/1 ประมวลรัษฎากร").hits[0]
    assert (hit.uid, hit.data["section"]) == ("document:12", "มาตรา 77/1")


def test_a_title_search_opens_the_law_at_the_top(engine):
    """GIVEN the law WHEN its name alone is searched THEN it is found without a section: every
    section shares the name, none is the answer."""
    hit = search(engine, CODE).hits[0]
    assert hit.uid == "document:12"
    assert "section" not in hit.data


def test_totals_and_facets_count_the_record_once(engine):
    """GIVEN a law with four sections and a manual WHEN a word both hold is searched, and the
    index is listed by date and with no text THEN each record counts once."""
    for response in (
        search(engine, "เงินเดือน"),
        search(engine, "เงินเดือน", sort="date"),
        search(engine, ""),
        search(engine, "", sort="date_asc"),
    ):
        assert sorted(hit.uid for hit in response.hits) == ["document:12", "document:13"]
        assert response.total == 2
        assert dict(response.facets["kind"]) == {"document": 2}
        assert dict(response.facets["doc_type"]) == {"law": 1, "manual": 1}


def test_suggestions_and_related_items_never_show_a_section(engine):
    """GIVEN a law with sections WHEN titles are suggested as one types its name, and items
    like the manual are asked for THEN only records come back."""
    assert [hit.uid for hit in engine.suggest("ประมวล", ADMIN)] == ["document:12"]
    related = engine.more_like("document:13", ADMIN)
    assert all("#" not in hit.uid for hit in related)


def test_a_restricted_law_is_not_found_by_its_sections(engine):
    """GIVEN a private law (its sections carry its access) WHEN another person asks about one
    of its sections THEN nothing of it is found or counted; its owner finds it there."""
    engine.upsert([law(access="private", owner=[7])])
    question = "เงินได้พึงประเมิน ค่าจ้าง โบนัส"
    others = search(engine, question, viewer=STAFF)
    assert "document:12" not in [hit.uid for hit in others.hits]
    assert dict(others.facets["kind"]).get("document", 0) == len(others.hits)
    owner = search(engine, question, viewer=Viewer(user_id=7))
    assert owner.hits[0].uid == "document:12"
    assert owner.hits[0].data["section"] == "มาตรา 40"


def test_a_record_takes_its_best_sections_score_only_when_higher():
    """GIVEN scores of two records and four sections (one of a record gone) WHEN lifted THEN
    the first record takes its best section's score and opens there, the second keeps its own,
    higher one."""
    scores = [1.0, 5.0, 2.0, 3.0, 4.0, 9.0]
    opened = lift(scores, {2: 0, 3: 0, 4: 1, 5: None})
    assert opened == {0: 3}
    assert scores[:2] == [3.0, 5.0]


class _OldEngine(SearchEngine):
    """An index made before the ``parent`` field."""

    def new_schema(self):
        schema = super().new_schema()
        schema.remove("parent")
        return schema


def test_an_index_without_the_parent_field_works_until_rebuilt(tmp_path):
    """GIVEN an index made before section entries existed WHEN a law is written to it and
    searched THEN it holds the record's entry alone, is found as before, and the engine of
    today calls the index out of date (``rebuild_index``)."""
    old = _OldEngine(tmp_path / "index")
    old.upsert([law(), OTHER])
    assert set(old.uids_with_stamps()) == {"document:12", "document:13"}
    hit = search(old, "เงินได้พึงประเมิน ค่าจ้าง โบนัส").hits[0]
    assert (hit.uid, "section" in hit.data) == ("document:12", False)
    old.delete(["document:12"])
    assert old.count() == 1
    old.close()
    assert not SearchEngine(tmp_path / "index").is_current()
