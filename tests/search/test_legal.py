"""Laws and regulations: sections, references to them, and the law's name as its own field
(issue 19)."""

import pytest

from apps.search.engine import SearchEngine, SearchRequest, Viewer, legal

ADMIN = Viewer(user_id=1, is_admin=True)
CODE = "ประมวลรัษฎากร"
CIVIL = "ประมวลกฎหมายแพ่งและพาณิชย์"
SECTIONS = {
    (CODE, "มาตรา 40"): "เงินได้พึงประเมิน ได้แก่เงินได้ดังต่อไปนี้ (1) เงินได้เนื่องจากการจ้างแรงงาน "
    "(2) เงินได้เนื่องจากหน้าที่หรือตำแหน่งงานที่ทำ",
    (CODE, "มาตรา 50 ทวิ"): "ให้ผู้มีหน้าที่หักภาษี ณ ที่จ่าย ออกหนังสือรับรองการหักภาษี",
    (CODE, "มาตรา 77/1"): "ในหมวดนี้ ภาษีซื้อ หมายความว่าภาษีมูลค่าเพิ่มที่ผู้ประกอบการได้จ่าย",
    (CODE, "มาตรา 82/3"): "ภาษีที่ต้องชำระในแต่ละเดือนภาษีให้คำนวณจากภาษีขายหักด้วยภาษีซื้อ",
    (CIVIL, "มาตรา 40"): "บุคคลผู้ไม่อยู่ซึ่งศาลได้สั่งให้เป็นคนสาบสูญ",
    (CIVIL, "มาตรา 587"): "อันว่าจ้างทำของนั้น คือสัญญาซึ่งบุคคลคนหนึ่งเรียกว่าผู้รับจ้าง",
}


@pytest.fixture
def engine(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    docs = [
        {
            "kind": "document",
            "pk": i,
            "title": law,
            "law": law,
            "section": section,
            "body": f"{law} {section} {text}",
            "access": "all",
        }
        for i, ((law, section), text) in enumerate(SECTIONS.items())
    ]
    docs.append({"kind": "article", "pk": 99, "title": "ภาษีซื้อ", "body": "ภาษีซื้อ", "access": "all"})
    engine.upsert(docs)
    return engine


def first(engine, text):
    response = engine.search(SearchRequest(viewer=ADMIN, text=text, facets=False))
    return response.hits[0] if response.hits else None


def test_references_are_parsed():
    found = legal.references("มาตรา 40 (2) และ ม. 50 ทวิ ข้อ 5 ตามมาตรา 77/1 ข้อมูล 3")
    assert [r.key for r in found] == ["มาตรา40", "มาตรา50ทวิ", "ข้อ5", "มาตรา77/1"]
    assert found[0].item == "2"
    assert legal.references("มาตรา ๔๐")[0].key == "มาตรา40"  # Thai digits


def test_a_section_and_its_law_go_straight_to_that_section(engine):
    for text in ("มาตรา 40 ประมวลรัษฎากร", "ประมวลรัษฎากร มาตรา 40", "ม.40 แห่งประมวลรัษฎากร"):
        assert first(engine, text).uid == "document:0", text
    assert first(engine, "มาตรา 40 ประมวลกฎหมายแพ่งและพาณิชย์").uid == "document:4"
    assert first(engine, "มาตรา 50 ทวิ ประมวลรัษฎากร").uid == "document:1"
    assert first(engine, "มาตรา 77/1 แห่งประมวลรัษฎากร").uid == "document:2"


def test_a_long_question_citing_a_section_ranks_it_first(engine):
    question = (
        "บริษัทฯ ประกอบกิจการขายสินค้าและได้จ่ายภาษีซื้อไว้ ต่อมามีปัญหาว่าการคำนวณภาษีที่ต้องชำระ "
        "ในแต่ละเดือนภาษีจะหักภาษีซื้อได้หรือไม่ และเงินได้ของกรรมการถือเป็นเงินได้ตามมาตรา 40 (2) "
        "แห่งประมวลรัษฎากรหรือไม่ บริษัทฯ จึงหารือว่าจะต้องหักภาษี ณ ที่จ่ายอย่างไร"
    )
    response = engine.search(SearchRequest(viewer=ADMIN, text=question, facets=False))
    assert response.hits[0].uid == "document:0"


def test_the_shared_law_name_weighs_less_than_a_title(engine):
    """Every section's law is ประมวลรัษฎากร: the name does not lift them above an item whose
    own title is the word, and the section with the word ranks first among them."""
    response = engine.search(SearchRequest(viewer=ADMIN, text="ภาษีซื้อ ประมวลรัษฎากร"))
    uids = [hit.uid for hit in response.hits]
    assert uids[0] == "article:99"
    assert set(uids[1:3]) == {"document:2", "document:3"}  # the sections that hold ภาษีซื้อ


def test_a_section_keeps_its_full_title_for_display(engine):
    assert first(engine, "จ้างทำของ ผู้รับจ้าง").title == CIVIL


def test_a_law_shelved_section_by_section_is_recognised(tmp_path):
    """A document titled with the law's name whose text starts with the name and a section
    heading (how the library holds a law shelved one section per file) is that section."""
    text = "ประมวลรัษฎากร มาตรา 50 ทวิ ให้ผู้มีหน้าที่หักภาษี ณ ที่จ่าย"
    assert legal.leading_section(CODE, text) == "มาตรา 50 ทวิ"
    assert legal.leading_section("ระเบียบ", "ข้อ 1 ให้ถือปฏิบัติ") is None  # a whole regulation
    assert legal.leading_section("หนังสือเวียน", "ตามที่มาตรา 40 กำหนด") is None
    engine = SearchEngine(tmp_path / "index")
    engine.upsert(
        [
            {"kind": "document", "pk": 1, "title": CODE, "body": text, "access": "all"},
            {
                "kind": "document",
                "pk": 2,
                "title": CODE,
                "body": f"{CODE} มาตรา 51 อื่น",
                "access": "all",
            },
        ]
    )
    response = engine.search(SearchRequest(viewer=ADMIN, text="มาตรา 50 ทวิ ประมวลรัษฎากร"))
    assert response.hits[0].uid == "document:1"
    assert response.hits[0].title == CODE


def test_split_sections():
    text = "ระเบียบกรมส่งเสริมสหกรณ์\nว่าด้วยการฝากเงิน\nข้อ 1 ระเบียบนี้เรียกว่า\nข้อ 2 ให้ใช้บังคับ\n(1) ก\n"
    parts = legal.split_sections(text)
    assert [label for label, _ in parts] == ["", "ข้อ 1", "ข้อ 2"]
    assert parts[2][1].startswith("ข้อ 2") and "(1) ก" in parts[2][1]
    assert legal.split_sections("ไม่มีมาตรา") == [("", "ไม่มีมาตรา")]


def test_a_section_cites_the_sections_of_its_own_law():
    """GIVEN a section's text WHEN its references are read THEN they are keyed within its own
    law, its own number left out and a reference naming another law ("แห่ง…") skipped."""
    from apps.search.engine import analysis

    own = legal.keys_for("มาตรา 82/3", CODE, analysis.analyse)
    body = (
        f"{CODE} มาตรา 82/3 ภาษีที่ต้องชำระให้คำนวณจากภาษีขายหักด้วยภาษีซื้อตามมาตรา 77/1 "
        "เว้นแต่กรณีตามมาตรา 82/4 (1) และมาตรา 77/1 ส่วนค่าปรับตามมาตรา 5 แห่งพระราชบัญญัติอื่น"
    )
    law = own[1].split("#")[0]
    assert legal.cited_keys(body, CODE, own, analysis.analyse) == [
        f"{law}#มาตรา77/1",
        f"{law}#มาตรา82/4",
    ]
    assert legal.cited_keys(body, "", own, analysis.analyse) == []


def test_a_section_other_sections_cite_ranks_higher_for_a_pasted_case(tmp_path):
    """GIVEN two sections of one law that a pasted case matches equally, one cited by two other
    sections of the law WHEN the case is searched THEN the cited one ranks first; with the
    weight at 0 the two tie (the lower number first). A short query is lifted alike."""
    from dataclasses import replace

    from apps.search.engine import EngineConfig

    same = "ผู้ประกอบการจดทะเบียนต้องจัดทำรายงานภาษีซื้อและรายงานภาษีขายตามแบบที่อธิบดีกำหนด"
    sections = {
        "มาตรา 87": same,
        "มาตรา 88": same,
        "มาตรา 89": "ผู้ใดไม่จัดทำรายงานตามมาตรา 88 ต้องเสียเบี้ยปรับ",
        "มาตรา 90": "ผู้ใดจัดทำรายงานตามมาตรา 88 อันเป็นเท็จต้องระวางโทษ",
    }
    docs = [
        {
            "kind": "document",
            "pk": number,
            "title": CODE,
            "body": f"{CODE} {section} {text}",
            "access": "all",
        }
        for number, (section, text) in enumerate(sections.items(), start=1)
    ]
    case = (
        "บริษัทฯ เป็นผู้ประกอบการจดทะเบียนภาษีมูลค่าเพิ่ม ได้จัดทำรายงานภาษีซื้อและรายงานภาษีขาย "
        "แต่ไม่ได้จัดทำตามแบบที่อธิบดีกำหนด เนื่องจากใช้ระบบคอมพิวเตอร์ของบริษัทฯ เอง จึงหารือว่า "
        "รายงานดังกล่าวใช้ได้หรือไม่ และหากใช้ไม่ได้จะต้องเสียเบี้ยปรับหรือไม่ อย่างไร"
    )

    def ranked(weight: float, text: str) -> list[str]:
        config = replace(EngineConfig(), cited_weight=weight)
        engine = SearchEngine(tmp_path / f"index-{weight}", config=config)
        engine.upsert(docs)
        hits = engine.search(SearchRequest(viewer=ADMIN, text=text, facets=False)).hits
        return [hit.uid for hit in hits]

    assert ranked(0.1, case)[0] == "document:2"
    assert ranked(0.0, case)[:2] == ["document:1", "document:2"]
    assert ranked(0.1, "รายงานภาษีซื้อ")[:2] == ["document:2", "document:1"]


def test_an_index_without_the_cites_field_works_until_rebuilt(tmp_path):
    """GIVEN an index made before the ``cites`` field WHEN sections are written and a pasted
    case is searched THEN it answers, and today's engine calls it out of date."""

    class OldEngine(SearchEngine):
        def new_schema(self):
            schema = super().new_schema()
            schema.remove("cites")
            return schema

    old = OldEngine(tmp_path / "index")
    old.upsert(
        [
            {"kind": "document", "pk": 1, "title": CODE, "body": f"{CODE} มาตรา 88 รายงานภาษีซื้อ"},
            {"kind": "document", "pk": 2, "title": CODE, "body": f"{CODE} มาตรา 89 ตามมาตรา 88"},
        ]
    )
    case = " ".join(["ผู้ประกอบการจัดทำรายงานภาษีซื้อ"] * 3 + [f"คำถามที่ {n}" for n in range(30)])
    hits = old.search(SearchRequest(viewer=ADMIN, text=case, facets=False)).hits
    assert hits[0].uid == "document:1"
    old.close()
    assert not SearchEngine(tmp_path / "index").is_current()
