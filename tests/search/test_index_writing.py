"""Writing entries costs one analysis of each body, and what Whoosh is spared changes nothing."""

from datetime import datetime

from apps.search.engine import SearchEngine, SearchRequest, Viewer, analysis

ADMIN = Viewer(user_id=1, is_admin=True)
BODIES = [
    "พระราชบัญญัติสหกรณ์ พ.ศ. 2542 มาตรา 40 สหกรณ์ต้องจัดทำงบดุลอย่างน้อยครั้งหนึ่งในทุกรอบสิบสองเดือน",
    "ระเบียบนายทะเบียนสหกรณ์ว่าด้วยการรับฝากเงินจากสหกรณ์อื่น ข้อ 5 ให้สหกรณ์จัดทำบัญชีเงินฝาก",
    "หนังสือเวียน กษ 1108/ว 123 เรื่องการตรวจสอบกิจการของสหกรณ์การเกษตรประจำปีบัญชี",
]
DOCS = [
    {"kind": "document", "pk": pk, "title": f"เอกสารที่ {pk}", "body": body, "access": "all"}
    for pk, body in enumerate(BODIES, 1)
] + [
    # Most fields empty: no title, code, law, section or keywords.
    {"kind": "expert", "pk": 9, "title": "", "body": "ผู้เชี่ยวชาญด้านบัญชีสหกรณ์"},
]


def test_each_body_is_analysed_once_when_written(tmp_path, monkeypatch):
    """GIVEN entries with long bodies WHEN they are written THEN each body is analysed once
    (for the key terms and then for Whoosh's body field), and its words are found."""
    analysed = []
    original = analysis._analyse_normalized

    def counted(text, *args):
        analysed.append(text)
        return original(text, *args)

    monkeypatch.setattr(analysis, "_analyse_normalized", counted)
    engine = SearchEngine(tmp_path / "index")
    assert engine.upsert(DOCS) == 4
    for body in BODIES:
        assert analysed.count(analysis.normalize(body)) == 1
    hits = engine.search(SearchRequest(viewer=ADMIN, text="งบดุล")).hits
    assert [hit.uid for hit in hits] == ["document:1"]


def test_the_text_analysed_last_is_answered_by_identity():
    """GIVEN a text just analysed WHEN the same text object is analysed again THEN the very same
    tokens come back; an equal text and other options are analysed on their own."""
    text = "".join(["สหกรณ์ออมทรัพย์", "จัดทำรายงานการประชุม"])
    first = analysis.analyse(text)
    assert analysis.analyse(text) is first
    equal = "".join(["สหกรณ์ออมทรัพย์จัดทำ", "รายงานการประชุม"])
    assert equal is not text and analysis.analyse(equal) == first
    whole = analysis.analyse(text, decompose=False)
    assert whole != first
    assert [tok.text for tok in whole] != [tok.text for tok in first]


def test_leaving_out_empty_fields_gives_the_same_index(tmp_path):
    """GIVEN the same entries WHEN written by the engine (empty fields left out) and by a plain
    Whoosh writer given every field THEN the two indexes hold the same terms, field lengths and
    stored values."""
    engine = SearchEngine(tmp_path / "engine")
    engine.upsert(DOCS)
    plain = SearchEngine(tmp_path / "plain")
    with plain.writer() as writer:
        for doc in DOCS:
            writer.update_document(**plain._fields(doc))
    given = engine._given()
    assert "law" not in given(engine._fields(DOCS[3]))  # something is left out

    def contents(which: SearchEngine):
        with which.open_or_create().searcher() as searcher:
            reader = searcher.reader()
            by_uid = {fields["uid"]: n for n, fields in enumerate(reader.all_stored_fields())}
            names = which.schema.names()
            return (
                sorted(reader.all_terms()),
                {name: reader.field_length(name) for name in names},
                {
                    uid: (
                        reader.stored_fields(n),
                        [reader.doc_field_length(n, name) for name in names],
                    )
                    for uid, n in by_uid.items()
                },
            )

    assert contents(engine) == contents(plain)


def test_a_commit_asks_once_per_field_whether_it_has_lengths(tmp_path, monkeypatch):
    """GIVEN entries with many postings in fields that keep no lengths (uid, kind, date, year)
    WHEN they are committed THEN the file system is asked about each field's length column
    once, not once per posting, and the index holds the lengths a plain Whoosh writer gives."""
    from whoosh import index as whoosh_index
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.filedb.filestore import FileStorage

    asked: list[str] = []
    original = FileStorage.file_exists

    def counted(self, name):
        if name.endswith(W3Codec.COLUMN_EXT):
            asked.append(name)
        return original(self, name)

    monkeypatch.setattr(FileStorage, "file_exists", counted)
    docs = [{**doc, "date": datetime(2024, 5, 1)} for doc in DOCS]
    engine = SearchEngine(tmp_path / "engine")
    asked.clear()
    engine.upsert(docs)
    assert asked and len(asked) == len(set(asked))

    plain_dir = tmp_path / "plain"
    plain_dir.mkdir()
    ix = whoosh_index.create_in(str(plain_dir), engine.new_schema())
    writer = ix.writer()  # Whoosh's own commit, asking at every posting
    for doc in docs:
        writer.add_document(**engine._given()(engine._fields(doc)))
    writer.commit()

    def lengths(reader) -> dict[str, list[int]]:
        order = sorted(range(reader.doc_count_all()), key=lambda n: reader.stored_fields(n)["uid"])
        names = engine.schema.names()
        return {name: [reader.doc_field_length(n, name) for n in order] for name in names}

    with engine.open_or_create().reader() as ours, ix.reader() as theirs:
        assert lengths(ours) == lengths(theirs)
        assert any(lengths(ours)["body"])


def test_dates_are_kept_for_sorting_and_years_as_one_term_each(tmp_path):
    """GIVEN entries with dates THEN the date has no terms in the index (nothing searches a
    range of dates; it is a column to sort by and a stored value) and a year is one term, not
    Whoosh's eight tiers; sorting by date, the year filter and a year range still work."""
    dated = [
        {**doc, "date": datetime(2000 + pk, 1, 15), "year": 2543 + pk}
        for pk, doc in enumerate(DOCS[:3], 1)
    ]
    engine = SearchEngine(tmp_path / "index")
    engine.upsert(dated)

    # Whoosh's own field class: the index pickles its schema, and must stay readable by code
    # without a class of ours (an older release).
    assert type(engine.schema["date"]).__module__.startswith("whoosh.")
    with engine.open_or_create().reader() as reader:
        assert list(reader.lexicon("date")) == []
        assert len(list(reader.lexicon("year"))) == 3
    newest = engine.search(SearchRequest(viewer=ADMIN, text="", sort="date")).hits
    assert [hit.pk for hit in newest] == [3, 2, 1]
    assert newest[0].date.year == 2003
    ranged = engine.search(SearchRequest(viewer=ADMIN, text="", years=["2544-2545"])).hits
    assert sorted(hit.pk for hit in ranged) == [1, 2]
