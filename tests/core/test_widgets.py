"""The enhanced inputs (apps/core/widgets.py, issue 16): what each renders for the browser's
script, and the evidence picker's endpoint (only records the person may open)."""

from __future__ import annotations

import json
import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from apps.core import steps, widgets
from apps.core.forms import BEDateField, MarkdownTextarea, PeopleField, PersonField, PortalForm
from apps.core.views.pickers import PICK_MAX_LENGTH, PICK_PEOPLE, PICK_PER_SOURCE, pick_words
from apps.core.widgets import person_option
from apps.library.models import AccessLevel
from apps.meetings.forms import MeetingForm
from apps.teams.models import Role, TeamKind
from tests.factories import MembershipFactory, TeamFactory, UnitFactory, UserFactory
from tests.knowledge.conftest import set_for
from tests.library.factories import DocumentFactory
from tests.matrix import matrix_failures


class Sample(PortalForm):
    body = forms.CharField(widget=MarkdownTextarea)
    day = BEDateField()
    owner = PersonField()
    people = PeopleField()


def attribute(html: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]*)"', html)
    assert match, f"{name} missing in {html[:300]}"
    return match.group(1).replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")


@pytest.mark.django_db
def test_each_widget_names_its_enhancement_and_carries_its_thai_texts():
    unit = UnitFactory(name="กลุ่มตรวจสอบบัญชีสหกรณ์")
    UserFactory(first_name="สุวิทย์", position="นักวิชาการตรวจสอบบัญชี", unit=unit)
    form = Sample()
    body = str(form["body"])
    assert 'data-km-editor="wysiwyg"' in body and "<textarea" in body  # still a plain textarea
    labels = json.loads(attribute(body, "data-km-labels"))
    assert labels["Insert table"] == "แทรกตาราง" and labels["Bold"]
    day = str(form["day"])
    assert (
        'data-km-date="be"' in day and json.loads(attribute(day, "data-km-labels"))["era"] == "พ.ศ."
    )
    people = str(form["people"])
    assert 'data-km-people="multiple"' in people and "multiple" in people
    assert "นักวิชาการตรวจสอบบัญชี" in people  # the label, searched with the unit below
    assert 'data-unit="กลุ่มตรวจสอบบัญชีสหกรณ์"' in people
    assert "data-km-people-url" not in people  # a small office: every person is an option
    assert 'data-km-people="one"' in str(form["owner"])
    with translation.override("en"):
        english = json.loads(attribute(str(Sample()["body"]), "data-km-labels"))
    assert english["Insert table"] == "Insert a table"


@pytest.mark.django_db
def test_the_invitee_picker_offers_each_active_team_with_its_current_members():
    km_team = TeamFactory(name="ทีมงาน KM", kind=TeamKind.KM_TEAM)
    group = TeamFactory(name="กลุ่ม KM ที่ 2", kind=TeamKind.KM_GROUP)
    TeamFactory(name="ทีมที่เลิกแล้ว", is_active=False)
    pranee, anan, gone = UserFactory(), UserFactory(), UserFactory(is_active=False)
    MembershipFactory(person=pranee, team=km_team, role=Role.SECRETARY)
    MembershipFactory(person=anan, team=group, role=Role.MEMBER)
    MembershipFactory(person=gone, team=group, role=Role.MEMBER)
    html = str(MeetingForm()["invitees"])
    teams = {team["label"]: team["ids"] for team in json.loads(attribute(html, "data-km-teams"))}
    assert teams == {"ทีมงาน KM": [pranee.pk], "กลุ่ม KM ที่ 2": [anan.pk]}


@pytest.mark.django_db
def test_a_large_office_sends_only_the_chosen_and_the_picker_asks_the_server(monkeypatch):
    """GIVEN more people than ``INLINE_PEOPLE`` WHEN a form with a chosen person renders THEN
    only that person is an option, the rest are found through ``core:pick_people``, and a
    team's one-click carries its members' names."""
    monkeypatch.setattr(widgets, "INLINE_PEOPLE", 3)
    team = TeamFactory(name="ทีมงาน KM", kind=TeamKind.KM_TEAM)
    people = UserFactory.create_batch(5)
    MembershipFactory(person=people[1], team=team, role=Role.MEMBER)
    form = Sample(initial={"people": [people[0].pk], "owner": people[2].pk})
    html = str(form["people"])
    assert f'data-km-people-url="{reverse("core:pick_people")}"' in html
    assert html.count("<option") == 1 and f'value="{people[0].pk}" selected' in html
    owner = str(form["owner"])
    assert owner.count("<option") == 2 and f'value="{people[2].pk}" selected' in owner
    invitees = str(MeetingForm()["invitees"])
    teams = json.loads(attribute(invitees, "data-km-teams"))
    assert teams == [
        {"label": "ทีมงาน KM", "ids": [people[1].pk], "people": [person_option(people[1])]}
    ]
    bound = Sample(data={"people": [str(people[4].pk)]})  # the server's check is unchanged
    assert bound["people"].value() == [str(people[4].pk)]
    assert not bound.errors.get("people")


def people_found(client, q: str) -> list[str]:
    response = client.get(reverse("core:pick_people"), {"q": q})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    return [row["text"] for row in response.json()["results"]]


def test_the_people_endpoint_finds_active_staff_by_name_position_or_unit(client_as, people):
    audit = UnitFactory(name="กลุ่มตรวจสอบบัญชีสหกรณ์", short_name="ตส.")
    UserFactory(title="นาย", first_name="สุวิทย์", last_name="ทองคำ", position="นักบัญชี", unit=audit)
    UserFactory(first_name="สุวิทย์", last_name="ลาออก", is_active=False)
    client = client_as("staff")
    assert people_found(client, "สุวิทย์") == ["นายสุวิทย์ ทองคำ (นักบัญชี)"]  # active only
    assert people_found(client, "นักบัญชี ทองคำ") == ["นายสุวิทย์ ทองคำ (นักบัญชี)"]
    assert people_found(client, "ตรวจสอบบัญชี") == ["นายสุวิทย์ ทองคำ (นักบัญชี)"]
    assert people_found(client, "ตส.") == ["นายสุวิทย์ ทองคำ (นักบัญชี)"]
    assert people_found(client, "ส") == []
    UserFactory.create_batch(PICK_PEOPLE + 5, position="นักวิชาการสหกรณ์")
    assert len(people_found(client, "นักวิชาการ")) == PICK_PEOPLE


def test_the_words_typed_are_bounded():
    assert pick_words("ส") == []
    assert pick_words("  พระราชบัญญัติ   สหกรณ์ ") == ["พระราชบัญญัติ", "สหกรณ์"]
    assert len(pick_words("ก " * 500)) <= 5
    assert sum(map(len, pick_words("ข" * 5000))) <= PICK_MAX_LENGTH


@pytest.fixture
def records(people):
    open_doc = DocumentFactory(title="พระราชบัญญัติสหกรณ์ พ.ศ. 2542")
    team = TeamFactory(name="คณะทำงานลับ")
    closed_doc = DocumentFactory(
        title="พระราชบัญญัติสหกรณ์ ฉบับร่างลับ", access=AccessLevel.TEAM, access_team=team
    )
    draft = set_for(people, "draft", title="ชุดความรู้ พระราชบัญญัติสหกรณ์ฉบับย่อ")
    return {"open": open_doc, "closed": closed_doc, "draft": draft}


def pick(client, q: str) -> list[dict]:
    response = client.get(reverse("core:pick_records"), {"q": q})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return response.json()["results"]


def test_the_picker_lists_only_records_the_person_may_open(client_as, people, records):
    """GIVEN a public document, one restricted to a team and a draft set WHEN staff and the
    draft's author type a word of their titles THEN each sees only what they may open, with the
    address the evidence check accepts."""
    staff = [r["url"] for r in pick(client_as("staff"), "พระราชบัญญัติ สหกรณ์")]
    assert staff == [records["open"].get_absolute_url()]
    member = {r["url"] for r in pick(client_as("member"), "พระราชบัญญัติ")}
    assert member == {records["open"].get_absolute_url(), records["draft"].get_absolute_url()}
    assert records["closed"].get_absolute_url() not in member
    for url in member:  # each address is one the progress report's link check takes
        found = steps.resolve_link(url)
        assert found is not None
        assert found[0].visible(people["member"]).filter(pk=found[1]).exists()
    titles = [r["title"] for r in pick(client_as("member"), "ฉบับย่อ")]
    assert titles == ["ชุดความรู้ พระราชบัญญัติสหกรณ์ฉบับย่อ"]
    assert pick(client_as("member"), "ร่างลับ") == []  # not even its title leaves the server
    assert pick(client_as("member"), "พ") == []


def test_the_picker_lists_a_bounded_number_of_each_kind(client_as, people):
    DocumentFactory.create_batch(PICK_PER_SOURCE + 3, title="หนังสือเวียน เรื่อง การบัญชี")
    results = pick(client_as("staff"), "หนังสือเวียน")
    assert len(results) == PICK_PER_SOURCE


ROLES = ["anonymous", "staff", "member", "secretary", "head", "cko", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client_as, people, role):
    url, people_url = reverse("core:pick_records"), reverse("core:pick_people")
    signed_in = {r: 200 for r in ROLES if r != "anonymous"}
    rows = [
        (url + "?q=สหกรณ์", "get", None, {"anonymous": 302, **signed_in}),
        (url, "post", {"q": "สหกรณ์"}, {"anonymous": 302, **dict.fromkeys(signed_in, 405)}),
        (people_url + "?q=สม", "get", None, {"anonymous": 302, **signed_in}),
        (people_url, "post", {"q": "สม"}, {"anonymous": 302, **dict.fromkeys(signed_in, 405)}),
    ]
    client = client_as(role)
    assert matrix_failures(client, rows, role) == []
