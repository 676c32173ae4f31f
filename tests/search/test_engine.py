"""The search engine over a temporary Whoosh index: writes, queries, permissions, helpers."""

import multiprocessing
from datetime import UTC, date, datetime

import pytest

from apps.search.engine import (
    IndexLockedError,
    SearchEngine,
    SearchRequest,
    Viewer,
    highlight,
)
from apps.search.engine.analysis import normalize
from tests.search._workers import upsert_many

ADMIN = Viewer(user_id=1, is_admin=True)
STAFF = Viewer(user_id=2)
KM_MEMBER = Viewer(user_id=3, is_km_member=True)
TEAM_MEMBER = Viewer(user_id=4, team_ids=frozenset({7}))
OWNER = Viewer(user_id=5)
ANONYMOUS = Viewer()

DOCS = [
    {
        "kind": "document",
        "pk": 1,
        "title": "รายงานการประชุมคณะกรรมการดำเนินการ ครั้งที่ 5/2551",
        "body": "ที่ประชุมพิจารณาแผนงานของสหกรณ์การเกษตรและรับทราบหนังสือเวียน",
        "code": "5/2551",
        "doc_type": "minutes",
        "category": [1, 3],
        "team": [7],
        "date": date(2008, 5, 1),
        "access": "all",
        "stamp": "2008-05-01T10:00:00",
    },
    {
        "kind": "document",
        "pk": 2,
        "title": "หนังสือเวียนเรื่องระเบียบนายทะเบียนสหกรณ์ว่าด้วยการรับฝากเงิน",
        "body": "แจ้งเวียนระเบียบให้สหกรณ์ทุกแห่งถือปฏิบัติ",
        "code": "กษ 1108/ว 123",
        "doc_type": "circular",
        "category": [1],
        "date": datetime(2010, 1, 4, 9, 30, tzinfo=UTC),
        "access": "km",
    },
    {
        "kind": "article",
        "pk": 3,
        "title": "การจัดการความรู้ด้วยชุมชนนักปฏิบัติ",
        "body": "ระบบพี่เลี้ยงช่วยถ่ายทอดความรู้ฝังลึก <script>alert(1)</script>",
        "doc_type": "article",
        "category": [2],
        "team": [7],
        "date": date(2020, 3, 1),
        "access": "team",
        "access_team": [7],
    },
    {
        "kind": "article",
        "pk": 4,
        "title": "บันทึกส่วนตัวเรื่องการประชุมทีม",
        "body": "ร่างความคิดก่อนประชุม",
        "doc_type": "note",
        "date": date(2021, 6, 1),
        "access": "private",
        "owner": [5],
    },
    {
        "kind": "expert",
        "pk": 5,
        "title": "ผู้เชี่ยวชาญด้านการตรวจบัญชีสหกรณ์",
        "body": "ให้คำปรึกษาเรื่องงบการเงินและการควบคุมภายในของสหกรณ์ออมทรัพย์",
        "date": date(2019, 1, 1),
        "access": "all",
    },
]


@pytest.fixture
def engine(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    engine.upsert(DOCS)
    yield engine
    engine.close()


def uids(response):
    return [hit.uid for hit in response.hits]


def search(engine, text="", viewer=ADMIN, **kwargs):
    return engine.search(SearchRequest(viewer=viewer, text=text, **kwargs))


# --- writing ---------------------------------------------------------------------------------


def test_upsert_replaces_by_uid_and_delete_removes(engine):
    assert engine.count() == 5
    engine.upsert([{**DOCS[0], "title": "สรุปผลการสัมมนา", "stamp": "v2"}])
    assert engine.count() == 5
    assert uids(search(engine, "สัมมนา")) == ["document:1"]
    assert engine.uids_with_stamps()["document:1"] == "v2"
    engine.delete(["document:1", "document:99"])
    assert "document:1" not in engine.uids_with_stamps()
    assert search(engine, "สัมมนา").total == 0


def test_the_same_uid_twice_in_one_batch_keeps_the_last(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    engine.upsert([{**DOCS[0], "title": "ฉบับแรก"}, {**DOCS[0], "title": "ฉบับแก้ไข"}])
    assert engine.count() == 1
    assert search(engine, "แก้ไข").hits[0].title == "ฉบับแก้ไข"


def test_rebuild_replaces_everything_in_one_commit(engine):
    engine.rebuild([DOCS[4]])
    assert engine.count() == 1
    assert list(engine.uids_with_stamps()) == ["expert:5"]


def test_hits_carry_stored_fields(engine):
    hit = search(engine, "หนังสือเวียน ระเบียบ").hits[0]
    assert hit.uid == "document:2"
    assert (hit.kind, hit.pk, hit.doc_type, hit.year) == ("document", 2, "circular", 2553)
    assert hit.date == datetime(2010, 1, 4, 9, 30, tzinfo=UTC)


def test_index_knows_it_is_current(engine):
    assert engine.is_current()


def test_the_schema_is_kept_once_read_and_follows_an_index_made_again(engine, monkeypatch):
    """Reading the schema does not look at the folder each time (three times a search page,
    issue 20); a searcher opened on an index made again replaces it."""
    import shutil

    first = engine.schema
    looked = []
    real_open = engine.store.open
    monkeypatch.setattr(engine.store, "open", lambda: looked.append(1) or real_open())
    assert all(engine.schema is first for _ in range(3))
    assert looked == []
    shutil.rmtree(engine.index_dir)
    other = SearchEngine(engine.index_dir)  # another process makes the index again
    other.upsert([DOCS[4]])
    other.close()
    assert engine.count() == 1
    assert engine.schema is not first
    assert engine.is_current()


# --- queries ---------------------------------------------------------------------------------


def test_words_do_not_all_have_to_match(engine):
    """GIVEN two words WHEN only one is in a document THEN it is found, below one with both."""
    response = search(engine, "ประชุม ออมทรัพย์")
    assert {"document:1", "expert:5"} <= set(uids(response))
    both = search(engine, "ประชุม สหกรณ์การเกษตร")
    assert uids(both)[0] == "document:1"


def test_word_inside_a_compound_is_found(engine):
    assert "document:1" in uids(search(engine, "ประชุม"))  # inside รายงานการประชุม
    assert "document:1" in uids(search(engine, "เกษตร"))  # inside สหกรณ์การเกษตร
    assert "expert:5" in uids(search(engine, "ตรวจบัญชี"))


def test_part_of_a_word_is_found(engine):
    response = search(engine, "สหกร")
    assert {"document:1", "document:2", "expert:5"} <= set(uids(response))
    assert "สหกร" in response.partials
    assert "article:3" in uids(search(engine, "ปฏิบั"))  # inside a title, through the n-grams


def test_document_numbers_in_their_usual_variants(engine):
    for query in ("5/2551", "๕/๒๕๕๑"):
        assert uids(search(engine, query))[0] == "document:1"
    for query in ("ว123", "ว 123", "ว.123", "1108", "กษ 1108/ว 123"):
        assert uids(search(engine, query))[0] == "document:2", query
    assert uids(search(engine, "code:1108")) == ["document:2"]


def test_phrase_needs_the_words_in_order(engine):
    assert set(uids(search(engine, '"หนังสือเวียน"'))) == {"document:1", "document:2"}
    assert uids(search(engine, '"เวียนหนังสือ"')) == []
    assert uids(search(engine, '"การควบคุมภายใน"')) == ["expert:5"]


def test_minus_excludes(engine):
    found = set(uids(search(engine, "สหกรณ์ -ระเบียบ")))
    assert "document:2" not in found
    assert {"document:1", "expert:5"} <= found


def test_field_filters(engine):
    assert uids(search(engine, "type:circular")) == ["document:2"]
    assert uids(search(engine, "สหกรณ์ ประเภท:minutes")) == ["document:1"]
    assert set(uids(search(engine, "kind:article"))) == {"article:3", "article:4"}
    assert uids(search(engine, "year:2551")) == ["document:1"]
    assert set(uids(search(engine, "ปี:2563-2564"))) == {"article:3", "article:4"}
    assert "document:2" not in uids(search(engine, "สหกรณ์ -type:circular"))
    assert set(uids(search(engine, "category:1"))) == {"document:1", "document:2"}


def test_request_filters_and_date_sort(engine):
    response = search(engine, "", kinds=["document", "article"], sort="date")
    assert uids(response) == ["article:4", "article:3", "document:2", "document:1"]
    assert uids(search(engine, "", sort="date_asc"))[0] == "document:1"
    assert uids(search(engine, "สหกรณ์", years=[2551, 2553], doc_types=["circular"])) == [
        "document:2"
    ]
    assert set(uids(search(engine, "", categories=[1], teams=[7]))) == {"document:1"}


def test_unknown_words_find_nothing(engine):
    assert search(engine, "ไม่มีคำนี้แน่นอนxyz").total == 0


def test_paging(engine):
    first = search(engine, "", page_size=2, sort="date")
    second = search(engine, "", page=2, page_size=2, sort="date")
    assert first.total == second.total == 5
    assert first.pages == 3
    assert not set(uids(first)) & set(uids(second))


# --- permissions -----------------------------------------------------------------------------

VISIBLE = {
    "admin": (ADMIN, {"document:1", "document:2", "article:3", "article:4", "expert:5"}),
    "staff": (STAFF, {"document:1", "expert:5"}),
    "km member": (KM_MEMBER, {"document:1", "document:2", "expert:5"}),
    "team member": (TEAM_MEMBER, {"document:1", "article:3", "expert:5"}),
    "owner": (OWNER, {"document:1", "article:4", "expert:5"}),
    "anonymous": (ANONYMOUS, {"document:1", "expert:5"}),
}


@pytest.mark.parametrize("case", VISIBLE)
def test_access_matrix(engine, case):
    viewer, expected = VISIBLE[case]
    response = search(engine, "", viewer=viewer)
    assert set(uids(response)) == expected
    assert response.total == len(expected)


def test_facet_counts_respect_access(engine):
    admin = search(engine, "", viewer=ADMIN).facets
    staff = search(engine, "", viewer=STAFF).facets
    assert dict(admin["kind"]) == {"document": 2, "article": 2, "expert": 1}
    assert dict(staff["kind"]) == {"document": 1, "expert": 1}
    assert dict(staff["doc_type"]) == {"minutes": 1}
    assert dict(staff["category"]) == {"1": 1, "3": 1}
    assert dict(staff["year"]) == {2551: 1, 2562: 1}
    team = search(engine, "", viewer=TEAM_MEMBER).facets
    assert dict(team["team"]) == {"7": 2}


def test_facet_counts_are_those_whoosh_groupedby_gives(engine):
    """The snapshot's facet tables (issue 20) count what ``groupedby`` counted, across
    segments and with replaced (deleted) entries, for each viewer and query."""
    from whoosh import sorting
    from whoosh.query import Every

    from apps.search.engine.query import parse
    from apps.search.engine.schema import FACET_FIELDS, MULTI_VALUED

    engine.upsert([{**DOCS[0], "category": [3], "team": [8], "doc_type": "order"}])  # replaced
    engine.upsert([{**DOCS[4], "pk": 6, "category": [2, 3], "date": date(2008, 1, 1)}])
    for viewer in (ADMIN, STAFF, KM_MEMBER, TEAM_MEMBER, OWNER):
        for text in ("", "สหกรณ์", "ประชุม", "ไม่มีคำนี้เลย"):
            response = search(engine, text, viewer=viewer)
            snap = engine._snapshot()
            built = engine.build_query(parse(text), snap)
            scope = engine._scope(snap, viewer)
            allowed = scope.allowed
            groups = {
                name: sorting.FieldFacet(
                    name, allow_overlap=name in MULTI_VALUED, maptype=sorting.Count
                )
                for name in FACET_FIELDS
            }
            query = built.query if built.query is not None else Every()
            if allowed is not None and not allowed:
                assert response.total == 0
                continue
            results = snap.searcher.search(
                query,
                filter=set(allowed) if allowed is not None else None,
                groupedby=groups,
                limit=1,
            )
            for name in FACET_FIELDS:
                expected = {k: v for k, v in results.groups(name).items() if k not in (None, "")}
                assert dict(response.facets[name]) == expected, (viewer, text, name)
            assert response.total == sum(results.groups("kind").values())


def test_facets_follow_the_query(engine):
    facets = search(engine, "สหกรณ์").facets
    assert dict(facets["kind"]) == {"document": 2, "expert": 1}


def test_nothing_visible_means_no_hits(engine):
    """An empty permission set must not be read as 'no filter'."""
    engine.rebuild([{**DOCS[3]}])  # one private document
    assert search(engine, "", viewer=STAFF).total == 0
    assert search(engine, "ประชุม", viewer=STAFF).hits == []


# --- highlight, did you mean, suggest, related ------------------------------------------------


def test_highlight_marks_thai_words_and_escapes_html():
    text = "ที่ประชุมเห็นชอบ <b>แผนงาน</b> ของสหกรณ์การเกษตร & กลุ่มเกษตรกร"
    html = highlight(text, ["ประชุม", "สหกรณ์"])
    assert "<mark>ประชุม</mark>" in html
    assert "<mark>สหกรณ์" in html
    assert "&lt;b&gt;" in html and "&amp;" in html
    assert "<b>" not in html


def test_highlight_maps_back_to_text_as_typed():
    text = "ปริมาณน้ํา\u200bฝนของปีนี้"  # decomposed sara am and a zero-width space
    assert highlight(text, "น้ำฝน") == "ปริมาณ<mark>น้ํา\u200bฝน</mark>ของปีนี้"


def test_highlight_cuts_long_text_around_the_matches():
    text = "ข้อความ " * 200 + "ผลการตรวจบัญชีสหกรณ์ " + "ข้อความ " * 200
    html = highlight(text, ["สหกรณ์"], max_chars=120)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>สหกรณ์</mark>" in html
    assert len(html) < 220


def test_highlight_of_a_long_text_analyses_only_around_the_matches(monkeypatch):
    """A 300-page PDF's text: the snippet is the same as when the whole text was analysed, and
    only a few snippet widths of it are split into words (issue 20)."""
    import importlib

    module = importlib.import_module("apps.search.engine.highlight")

    text = "ข้อความทั่วไป " * 20_000 + "ผลการตรวจบัญชีสหกรณ์ ประจำปี " + "ข้อความทั่วไป " * 20_000
    analysed = []
    real = module.normalize_with_offsets
    monkeypatch.setattr(
        module, "normalize_with_offsets", lambda part: analysed.append(len(part)) or real(part)
    )
    html = highlight(text, ["สหกรณ์"], max_chars=120)
    assert "<mark>สหกรณ์</mark>" in html and html.startswith("…") and html.endswith("…")
    assert analysed and max(analysed) < 1_000
    # Typed in another form than the text's (Thai digits): found in the beginning, as before.
    assert "<mark>๒๕๖๗</mark>" in highlight("ปี ๒๕๖๗ " + "ข้อความ " * 5000, ["2567"])


def test_response_highlight_uses_the_query_terms(engine):
    response = search(engine, "ระเบียบ")
    assert "<mark>ระเบียบ</mark>" in response.highlight(DOCS[1]["body"])


def test_did_you_mean_for_a_misspelt_thai_word(engine):
    response = search(engine, "สหกรน์")
    assert response.did_you_mean == "สหกรณ์"
    assert search(engine, "สหกรณ์").did_you_mean is None


def test_suggest_respects_access(engine):
    assert [h.uid for h in engine.suggest("หนังสือเว", ADMIN)] == ["document:2"]
    assert engine.suggest("หนังสือเว", STAFF) == []
    assert [h.uid for h in engine.suggest("บันทึก", OWNER)] == ["article:4"]
    assert engine.suggest("บันทึก", STAFF) == []
    assert "document:1" in [h.uid for h in engine.suggest("ประชุ", STAFF)]


def test_more_like_respects_access_and_skips_itself(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    base = {"kind": "document", "access": "all"}
    engine.upsert(
        [
            {**base, "pk": 1, "title": "การตรวจบัญชีสหกรณ์ออมทรัพย์", "body": "งบการเงิน " * 5},
            {**base, "pk": 2, "title": "คู่มือตรวจบัญชีสหกรณ์", "body": "งบการเงินสหกรณ์ออมทรัพย์"},
            {**base, "pk": 3, "title": "ตรวจบัญชีสหกรณ์ลับ", "body": "งบการเงิน", "access": "km"},
            {**base, "pk": 4, "title": "สูตรอาหารไทย", "body": "ต้มยำกุ้ง"},
        ]
    )
    related = [h.uid for h in engine.more_like("document:1", STAFF)]
    assert related == ["document:2"]
    assert "document:3" in [h.uid for h in engine.more_like("document:1", ADMIN)]
    assert engine.more_like("document:3", STAFF) == []  # cannot see the source


# --- long queries ----------------------------------------------------------------------------


def test_long_query_searches_every_known_term(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    topics = ["สหกรณ์", "เกษตรกร", "ประชุม", "ระเบียบ", "บัญชี", "ความรู้", "หนังสือ", "แผนงาน"]
    engine.upsert(
        {
            "kind": "doc",
            "pk": i,
            "title": f"เรื่องที่ {i}",
            "body": " ".join(topics[i % 8 :]),
            "access": "all",
        }
        for i in range(40)
    )
    passage = (
        "ตามที่กรมส่งเสริมสหกรณ์ได้จัดประชุมชี้แจงแนวทางการจัดทำแผนงานประจำปีให้แก่สหกรณ์และ"
        "กลุ่มเกษตรกรทั่วประเทศ โดยมุ่งเน้นการพัฒนาระบบบัญชีและการควบคุมภายใน ตลอดจนการใช้ระเบียบ"
        "นายทะเบียนสหกรณ์อย่างเคร่งครัด ทั้งนี้ให้สำนักงานสหกรณ์จังหวัดรวบรวมข้อมูลความรู้ ปัญหา"
        "อุปสรรค และข้อเสนอแนะจากการปฏิบัติงานในพื้นที่ แล้วจัดทำเป็นชุดความรู้เผยแพร่ทางมุมความรู้"
        "ของหน่วยงาน เพื่อให้เจ้าหน้าที่ทุกระดับสามารถนำไปประยุกต์ใช้ได้อย่างมีประสิทธิภาพ และให้"
        "รายงานผลการดำเนินงานต่อผู้บังคับบัญชาตามลำดับชั้นภายในกำหนด หากมีข้อสงสัยประการใดให้"
        "ประสานงานกับกลุ่มงานที่เกี่ยวข้องโดยตรง เพื่อให้การดำเนินงานเป็นไปด้วยความเรียบร้อย"
        "และบรรลุวัตถุประสงค์ของทางราชการ จึงเรียนมาเพื่อโปรดทราบและถือปฏิบัติโดยเคร่งครัดต่อไป"
    )
    assert len(passage) >= 500
    response = engine.search(SearchRequest(viewer=ADMIN, text=passage))
    assert {"ประชุม", "สหกรณ์", "บัญชี", "ความรู้"} <= set(response.terms)
    assert response.total == 30  # every document with any of them (ความรู้: i % 8 <= 5)


# --- concurrency -----------------------------------------------------------------------------


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    """GIVEN 2 processes x 50 single-document commits WHEN they race THEN all 100 are there."""
    index_dir = str(tmp_path / "index")
    SearchEngine(index_dir).open_or_create()
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        results = pool.starmap(upsert_many, [(index_dir, "a", 50), (index_dir, "b", 50)])
    assert results == [50, 50]
    stamps = SearchEngine(index_dir).uids_with_stamps()
    expected = {f"{p}:{n}" for p in "ab" for n in range(50)}
    assert set(stamps) == expected


def test_writer_gives_up_after_the_lock_timeout(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    lock = engine.open_or_create().lock("WRITELOCK")
    assert lock.acquire()
    try:
        with pytest.raises(IndexLockedError), engine.writer(timeout=0.3):
            pass
    finally:
        lock.release()
    engine.upsert([DOCS[0]])
    assert engine.count() == 1


def test_normalize_is_reexported_consistently():
    assert normalize("๑๒๓") == "123"
