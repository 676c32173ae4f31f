"""The library list's word filter finds, counts and orders exactly what ``filter_text``'s SQL
(``LIKE`` over title, number and description) does, without that SQL (issue 20): only what the
person may open, under the other filters, in each order, a page at a time."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.library import pagecache, services
from apps.library.filters import DocumentFilter
from apps.library.models import AccessLevel, Document, DocumentType
from apps.teams.models import Team
from tests.conftest import ROLES
from tests.library.factories import CategoryFactory, DocumentFactory, TagFactory
from tests.library.test_access import EXPECTED as ACCESS

pytestmark = pytest.mark.django_db


def listed(client, **params) -> list[int]:
    """The list the view finds (not a body kept from an earlier request, ``pagecache``)."""
    pagecache.forget()
    return [d.pk for d in client.get(reverse("library:list"), params).context["object_list"]]


def reference(user, **params) -> list[int]:
    """What the SQL filter (``DocumentFilter.filter_text``) gives, in the same order."""
    documents = Document.objects.visible_to(user)
    return list(DocumentFilter(params, queryset=documents).qs.values_list("pk", flat=True))


@pytest.fixture
def shelf(people):
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    other = Team.objects.create(name="กลุ่ม KM ที่ 7", kind="km_group")
    common = {"description": "เรื่องยุ้งฉางของสหกรณ์"}
    return {
        "all": DocumentFactory(title="ยุ้งฉาง-ทุกคน", access=AccessLevel.ALL_STAFF, **common),
        "km": DocumentFactory(title="ยุ้งฉาง-ทีม KM", access=AccessLevel.KM_TEAM, **common),
        "group": DocumentFactory(
            title="ยุ้งฉาง-กลุ่ม 1", access=AccessLevel.TEAM, access_team=group, **common
        ),
        "other": DocumentFactory(
            title="ยุ้งฉาง-กลุ่ม 7", access=AccessLevel.TEAM, access_team=other, **common
        ),
        "own": DocumentFactory(
            title="ยุ้งฉาง-ของฉัน",
            access=AccessLevel.TEAM,
            access_team=other,
            uploaded_by=people["staff"],
            **common,
        ),
    }


# Who may open which of the shelf's documents: the access tests' matrix (the same shelf).
EXPECTED = {role: opens for role, opens in ACCESS.items() if role != "anonymous"}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_a_word_finds_only_what_the_person_may_open_and_counts_only_that(
    client_as, people, shelf, role
):
    client = client_as(role)
    response = client.get(reverse("library:list"), {"q": "ยุ้งฉาง"})
    found = {key for key, doc in shelf.items() if doc in response.context["object_list"]}
    assert found == EXPECTED[role]
    assert response.context["paginator"].count == len(EXPECTED[role])
    assert sum(n for _v, _l, n in response.context["facets"]["types"]) == len(EXPECTED[role])
    hidden = set(shelf) - EXPECTED[role]
    for key in hidden:  # not even the title of what they may not open
        assert shelf[key].title not in response.content.decode()
    user = User.objects.get(pk=people[role].pk)
    assert sorted(listed(client, q="ยุ้งฉาง")) == sorted(reference(user, q="ยุ้งฉาง"))


def test_a_changed_title_is_found_at_once(client_as, people):
    document = DocumentFactory(title="ระเบียบเดิม")
    client = client_as("staff")
    assert listed(client, q="ประกันภัย") == []
    assert listed(client, q="เดิม") == [document.pk]
    services.document_update(
        by=people["admin"],
        document=document,
        details=services.DocumentDetails(
            title="ระเบียบประกันภัยพืชผล", doc_type=document.doc_type, number=document.number
        ),
        expected_version=document.lock_version,
    )
    assert listed(client, q="ประกันภัย") == [document.pk]
    assert listed(client, q="เดิม") == []


def test_thai_digits_number_several_words_and_letters(client_as, people):
    circular = DocumentFactory(title="หนังสือเวียน GFMIS", number="กษ 1108/ว 123")
    manual = DocumentFactory(title="คู่มือ", number="", description="ระบบ gfmis ฉบับ 2567")
    client = client_as("staff")
    assert listed(client, q="ว ๑๒๓") == [circular.pk]  # two words, Thai digits
    assert sorted(listed(client, q="gfmis")) == sorted([circular.pk, manual.pk])
    assert listed(client, q="GFMIS ๒๕๖๗") == [manual.pk]
    assert listed(client, q="GFMIS ว") == [circular.pk]
    # a word never spans two fields: the title's end and the number's start
    assert listed(client, q="GFMISกษ") == []
    assert listed(client, q="100%") == []  # LIKE's wildcards are plain characters
    for q in ("ว ๑๒๓", "gfmis", "GFMIS ๒๕๖๗", "GFMIS ว", "GFMISกษ", "100%", "คู่มือ"):
        user = User.objects.get(pk=people["staff"].pk)
        assert listed(client, q=q) == reference(user, q=q)


@pytest.fixture
def many(people):
    """25 documents holding the word (more than a page) and 10 that do not, of two types and
    two categories, over distinct dates and titles; two of them restricted."""
    law, manuals = CategoryFactory(name="กฎหมาย"), CategoryFactory(name="คู่มือ")
    below = CategoryFactory(name="พระราชบัญญัติ", parent=law)
    tag = TagFactory(name="ประจำปี")
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    docs = []
    for i in range(35):
        docs.append(
            DocumentFactory(
                title=f"{'สหกรณ์' if i < 25 else 'กลุ่มเกษตรกร'} ฉบับ {chr(0x0E01 + (i * 7) % 40)}{i}",
                doc_type=DocumentType.CIRCULAR if i % 3 else DocumentType.MANUAL,
                category=(below, manuals, law)[i % 3],
                issued_on=dt.date(2000 + i % 20, 1 + i % 12, 1 + i % 28),
                agency="กรมส่งเสริมสหกรณ์" if i % 2 else "กรมตรวจบัญชีสหกรณ์",
                **({"access": AccessLevel.TEAM, "access_team": group} if i in (4, 9) else {}),
            )
        )
        if i % 4 == 0:
            docs[-1].tags.add(tag)
    return {"law": law, "tag": tag, "docs": docs}


@pytest.mark.parametrize("sort", ["", "-issued", "issued", "title", "-added"])
@pytest.mark.parametrize(
    "extra",
    [{}, {"doc_type": "circular"}, {"category": "law"}, {"tag": "tag"}, {"year": 2562}],
)
def test_with_other_filters_each_order_and_page(client_as, people, many, sort, extra):
    client = client_as("member")
    user = User.objects.get(pk=people["member"].pk)
    params = {"q": "สหกรณ์ ฉบับ", **({"sort": sort} if sort else {})}
    for name, value in extra.items():
        params[name] = many[value].pk if value in ("law", "tag") else value
    expected = reference(user, **params)
    assert expected  # the case is not empty
    response = client.get(reverse("library:list"), params)
    assert response.context["paginator"].count == len(expected)
    assert [d.pk for d in response.context["object_list"]] == expected[:20]
    if len(expected) > 20:
        assert listed(client, **params, page=2) == expected[20:40]


def test_the_side_panel_counts_the_documents_holding_the_word(client_as, many):
    """The same counts as the SQL filter gave: each facet within the word and the others."""
    client = client_as("staff")  # may not open the two restricted documents
    response = client.get(reverse("library:list"), {"q": "สหกรณ์", "doc_type": "circular"})
    facets, tree = response.context["facets"], response.context["tree"]
    matching = [d for d in many["docs"][:25] if d.access == AccessLevel.ALL_STAFF]
    circulars = [d for d in matching if d.doc_type == DocumentType.CIRCULAR]
    assert {v: n for v, _l, n in facets["types"]} == {
        "circular": len(circulars),
        "manual": len(matching) - len(circulars),
    }
    years: dict[int, int] = {}
    for d in circulars:
        years[d.issued_on.year + 543] = years.get(d.issued_on.year + 543, 0) + 1
    assert dict(facets["years"]) == years
    assert [y for y, _n in facets["years"]] == sorted(years, reverse=True)
    assert {t.name: t.n for t in facets["tags"]} == {
        "ประจำปี": sum(1 for d in circulars if many["tag"] in d.tags.all())
    }
    law = next(node for node in tree if node.category.name == "กฎหมาย")
    assert law.count == sum(1 for d in circulars if d.category.name != "คู่มือ")
