"""Thai abbreviations find their full forms, and did-you-mean offers whole words, not
fragments (issue 16)."""

import pytest

from apps.search.engine import SearchEngine, SearchRequest, Viewer
from apps.search.engine import abbreviations as abbr

ADMIN = Viewer(user_id=1, is_admin=True)

DOCS = [
    {
        "kind": "document",
        "pk": 1,
        "title": "พระราชบัญญัติสหกรณ์ พ.ศ. 2542",
        "body": "มาตรา 1 พระราชบัญญัตินี้เรียกว่า พระราชบัญญัติสหกรณ์",
    },
    {
        "kind": "document",
        "pk": 2,
        "title": "ระเบียบนายทะเบียนสหกรณ์ว่าด้วยการรับฝากเงินของสหกรณ์",
        "body": "ระเบียบนี้ใช้บังคับแก่สหกรณ์ทุกประเภท",
    },
    {
        "kind": "document",
        "pk": 3,
        "title": "หนังสือกระทรวงเกษตรและสหกรณ์ เรื่องการจัดทำแผนการจัดการความรู้",
        "body": "ส่วนราชการในสังกัดจัดทำแผนการจัดการความรู้ประจำปี",
    },
    {
        "kind": "document",
        "pk": 4,
        "title": "สรุปมติคณะรัฐมนตรีเรื่องการพัฒนาระบบราชการ",
        "body": "คณะรัฐมนตรีมีมติเห็นชอบแนวทาง",
    },
    {
        "kind": "document",
        "pk": 5,
        "title": "คู่มือการตรวจบัญชี",
        "body": "ตามที่ พ.ร.บ. กำหนดไว้ ผู้สอบบัญชีต้องรายงานต่อที่ประชุมใหญ่",
    },
    {
        "kind": "document",
        "pk": 6,
        "title": "การรักษาความปลอดภัยของข้อมูล",
        "body": "แนวทางการรักษาข้อมูลของสหกรณ์",
    },
]


@pytest.fixture
def engine(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    engine.upsert([{**doc, "access": "all", "stamp": str(doc["pk"])} for doc in DOCS])
    yield engine
    engine.close()


def found(engine, text):
    response = engine.search(SearchRequest(viewer=ADMIN, text=text))
    return [hit.pk for hit in response.hits], response


@pytest.mark.parametrize("typed", ["พ.ร.บ.", "พรบ", "พ.ร.บ.สหกรณ์", "พรบ สหกรณ์"])
def test_act_abbreviations_find_the_full_form(engine, typed):
    pks, _ = found(engine, typed)
    assert 1 in pks[:2]


def test_the_full_form_finds_the_abbreviation_written_in_a_text(engine):
    """GIVEN a manual that writes only "พ.ร.บ." WHEN one searches "พระราชบัญญัติ" THEN it is
    found as well as the act itself."""
    pks, _ = found(engine, "พระราชบัญญัติ")
    assert {1, 5} <= set(pks)


def test_regulation_ellipsis_finds_regulations(engine):
    pks, _ = found(engine, "ระเบียบฯ")
    assert pks and pks[0] == 2


@pytest.mark.parametrize("typed", ["กษ.", "กษ"])
def test_ministry_abbreviation_finds_the_ministry(engine, typed):
    pks, _ = found(engine, typed)
    assert pks and pks[0] == 3
    # The ministry's phrase, not every text that mentions cooperatives.
    assert 6 not in pks


def test_cabinet_abbreviation(engine):
    pks, _ = found(engine, "ครม.")
    assert pks == [4]


def test_an_abbreviation_inside_a_word_is_not_one(engine):
    """ "รักษา" holds the letters กษ: it is not the ministry."""
    assert abbr.in_query(["รักษา"], ["รักษา"]) == []
    pks, _ = found(engine, "รักษา")
    assert 3 not in pks


def test_every_entry_of_the_list_is_read():
    entries = abbr.abbreviations()
    keys = {entry.key for entry in entries}
    assert {"พรบ", "พรก", "พรฎ", "ระเบียบฯ", "กษ", "กตส", "กสส", "ครม", "ว"} <= keys
    assert all(entry.full and entry.forms for entry in entries)
    assert len(keys) == len(entries)  # no key twice


@pytest.mark.parametrize("typed", ["พรบ", "พ.ร.บ.", "ระเบียบฯ", "กษ."])
def test_no_did_you_mean_for_an_abbreviation(engine, typed):
    _, response = found(engine, typed)
    assert response.did_you_mean is None


@pytest.mark.parametrize("typed", ["พรบ", "พระ", "พรฐ", "สหก"])
def test_did_you_mean_never_offers_a_fragment(engine, typed):
    _, response = found(engine, typed)
    suggestion = response.did_you_mean
    assert suggestion is None or (len(suggestion) >= 4 and suggestion != "พระ")


def test_did_you_mean_still_corrects_a_misspelt_word(engine):
    _, response = found(engine, "ระเบียน")
    assert response.did_you_mean == "ระเบียบ"
    _, response = found(engine, "สหกรน์")
    assert response.did_you_mean == "สหกรณ์"
