"""The shelves' side panel counts within the active filters (issue 16): each facet counts the
documents the other filters leave, the restricted ones only for those who may open them, and
the kept counts are per filter set."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.library.models import AccessLevel, DocumentType
from apps.teams.models import Team
from tests.library.factories import CategoryFactory, DocumentFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(people):
    law, manuals = CategoryFactory(name="กฎหมาย"), CategoryFactory(name="คู่มือ")
    tag = TagFactory(name="บัญชีสหกรณ์")
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")

    def doc(doc_type, category, year, agency, **extra):
        return DocumentFactory(
            doc_type=doc_type,
            category=category,
            issued_on=dt.date(year, 1, 10),
            agency=agency,
            **extra,
        )

    docs = [
        doc(DocumentType.LAW, law, 2019, "กฤษฎีกา"),
        doc(DocumentType.LAW, law, 2020, "กฤษฎีกา"),
        doc(DocumentType.CIRCULAR, law, 2020, "กรมส่งเสริมสหกรณ์"),
        doc(DocumentType.CIRCULAR, manuals, 2021, "กรมส่งเสริมสหกรณ์"),
        doc(DocumentType.MANUAL, manuals, 2021, "กรมตรวจบัญชีสหกรณ์"),
        doc(
            DocumentType.CIRCULAR,
            law,
            2020,
            "กรมส่งเสริมสหกรณ์",
            access=AccessLevel.TEAM,
            access_team=group,
        ),
    ]
    docs[2].tags.add(tag)
    docs[3].tags.add(tag)
    return {"law": law, "manuals": manuals, "tag": tag, "docs": docs}


def panel(client, **params):
    context = client.get(reverse("library:list"), params).context
    facets = context["facets"]
    return {
        "types": {value: n for value, _label, n in facets["types"]},
        "years": dict(facets["years"]),
        "agencies": dict(facets["agencies"]),
        "tags": {t.name: t.n for t in facets["tags"]},
        "tree": {node.category.name: node.count for node in context["tree"]},
        "shown": len(context["object_list"]),
    }


def test_counts_without_filters_are_the_whole_visible_library(client_as, library):
    counts = panel(client_as("staff"))
    assert counts["types"] == {"law": 2, "circular": 2, "manual": 1}
    assert counts["years"] == {2562: 1, 2563: 2, 2564: 2}


def test_each_facet_counts_within_the_other_filters(client_as, library):
    """GIVEN the year 2563 chosen THEN types count only 2563's documents, while the year facet
    still offers the other years (it counts within the other filters, not its own)."""
    client = client_as("staff")
    counts = panel(client, year=2563)
    assert counts["shown"] == 2
    assert counts["types"] == {"law": 1, "circular": 1}
    assert counts["agencies"] == {"กฤษฎีกา": 1, "กรมส่งเสริมสหกรณ์": 1}
    assert counts["tags"] == {"บัญชีสหกรณ์": 1}
    assert counts["tree"] == {"กฎหมาย": 2, "คู่มือ": 0}
    assert counts["years"] == {2562: 1, 2563: 2, 2564: 2}

    counts = panel(client, year=2563, doc_type="circular")
    assert counts["shown"] == 1
    assert counts["types"] == {"law": 1, "circular": 1}  # within the year, not the type
    assert counts["years"] == {2563: 1, 2564: 1}  # within the type, not the year
    assert counts["agencies"] == {"กรมส่งเสริมสหกรณ์": 1}

    counts = panel(client, tag=library["tag"].pk)
    assert counts["types"] == {"circular": 2}
    assert counts["tree"] == {"กฎหมาย": 1, "คู่มือ": 1}


def test_filtered_counts_hold_only_what_the_reader_may_open(client_as, library):
    assert panel(client_as("staff"), year=2563)["types"] == {"law": 1, "circular": 1}
    assert panel(client_as("member"), year=2563)["types"] == {"law": 1, "circular": 2}


def test_kept_counts_are_per_filter_set_and_follow_changes(client_as, library):
    client = client_as("staff")
    assert panel(client, year=2563)["types"] == {"law": 1, "circular": 1}
    assert panel(client, year=2564)["types"] == {"circular": 1, "manual": 1}
    library["docs"][4].doc_type = DocumentType.FORM
    library["docs"][4].save()
    assert panel(client, year=2564)["types"] == {"circular": 1, "form": 1}


def test_facet_links_keep_the_other_filters(client_as, library):
    html = client_as("staff").get(reverse("library:list"), {"year": 2563}).content.decode()
    assert 'href="?year=2563&amp;doc_type=circular"' in html


def test_an_invalid_filter_counts_the_whole_library_without_error(client_as, library):
    response = client_as("staff").get(reverse("library:list"), {"year": "ปีไหน"})
    assert response.status_code == 200
    assert {value for value, _l, _n in response.context["facets"]["types"]} == {
        "law",
        "circular",
        "manual",
    }
