"""Every edit form of a shared record outside the knowledge sets and the plans: teams, duties,
rosters, appointment orders, library documents, experts, profiles, and the administration's
change forms (categories, people ...). A save from an out-of-date page is refused with what
changed and keeps what was typed; steps from an out-of-date page do nothing."""

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.experts.models import Expert, ExpertStatus
from apps.library.models import Category, Document
from apps.teams.models import AppointmentOrder, Membership, Role, Team
from tests.experts.factories import ExpertFactory
from tests.factories import AppointmentOrderFactory, MembershipFactory, TeamFactory
from tests.forms_html import (
    CONFLICT_TH,
    STALE_TH,
    assert_refused,
    read_form,
    save_from_two_tabs,
    signed_in,
)
from tests.library.factories import CategoryFactory, DocumentFactory

pytestmark = pytest.mark.django_db


# --- Teams ---------------------------------------------------------------------------------------
def test_a_team(people):
    team = TeamFactory(name="กลุ่ม KM ด้านบัญชี", topic="หัวข้อเดิม")
    response, _tab = save_from_two_tabs(
        reverse("teams:update", args=[team.pk]),
        people["secretary"],
        people["head"],
        first_changes={"name": "กลุ่ม KM ด้านบัญชีสหกรณ์"},
        second_changes={"topic": "การสอบบัญชีสหกรณ์"},
    )
    assert_refused(response, shows=["กลุ่ม KM ด้านบัญชีสหกรณ์"], keeps=["การสอบบัญชีสหกรณ์"])
    team = Team.objects.get(pk=team.pk)
    assert (team.name, team.topic) == ("กลุ่ม KM ด้านบัญชีสหกรณ์", "หัวข้อเดิม")


def test_a_teams_duties(people):
    team = TeamFactory()
    response, tab = save_from_two_tabs(
        reverse("teams:duties", args=[team.pk]),
        people["secretary"],
        people["head"],
        first_changes={Role.HEAD: "ติดตามแผน"},
        second_changes={Role.MEMBER: "จัดทำชุดความรู้"},
    )
    assert_refused(response, shows=["ติดตามแผน"], keeps=["จัดทำชุดความรู้"])
    assert list(team.duties.values_list("role", "text")) == [(Role.HEAD, "ติดตามแผน")]
    # Saving again keeps both: the head's duty (taken over) and the member's (typed).
    assert tab.post(reverse("teams:duties", args=[team.pk]), read_form(response)).status_code == 302
    assert set(team.duties.values_list("role", "text")) == {
        (Role.HEAD, "ติดตามแผน"),
        (Role.MEMBER, "จัดทำชุดความรู้"),
    }


def test_a_membership(people):
    membership = MembershipFactory(team=TeamFactory(), note="")
    response, _tab = save_from_two_tabs(
        reverse("teams:membership_edit", args=[membership.pk]),
        people["secretary"],
        people["head"],
        first_changes={"role": Role.SECRETARY},
        second_changes={"note": "ปฏิบัติหน้าที่แทน"},
    )
    assert_refused(response, keeps=["ปฏิบัติหน้าที่แทน"])
    membership = Membership.objects.get(pk=membership.pk)
    assert (membership.role, membership.note) == (Role.SECRETARY, "")


def test_an_appointment_order(people):
    order = AppointmentOrderFactory()
    response, _tab = save_from_two_tabs(
        reverse("teams:order_update", args=[order.pk]),
        people["secretary"],
        people["head"],
        first_changes={"subject": "แต่งตั้งคณะทำงาน (แก้ไข)"},
        second_changes={"issuing_office": "กรมส่งเสริมสหกรณ์"},
    )
    assert_refused(response, shows=["แต่งตั้งคณะทำงาน (แก้ไข)"], keeps=["กรมส่งเสริมสหกรณ์"])
    order = AppointmentOrder.objects.get(pk=order.pk)
    assert (order.subject, order.issuing_office) == (
        "แต่งตั้งคณะทำงาน (แก้ไข)",
        "สำนักงานสหกรณ์จังหวัดชุมพร",
    )


def test_a_term_changed_after_the_page_was_read_is_not_ended(people):
    team = TeamFactory()
    membership = MembershipFactory(team=team)
    end = reverse("teams:membership_end", args=[membership.pk])
    tab = signed_in(people["secretary"])
    data = read_form(tab.get(team.get_absolute_url()), action=end)
    Membership.objects.get(pk=membership.pk).save()
    assert STALE_TH in tab.post(end, data, follow=True).content.decode()
    assert Membership.objects.get(pk=membership.pk).end_date is None


# --- The library ---------------------------------------------------------------------------------
def test_a_library_document(people):
    document = DocumentFactory(description="")
    response, _tab = save_from_two_tabs(
        reverse("library:update", args=[document.pk]),
        people["secretary"],
        people["head"],
        first_changes={"title": "หนังสือเวียนฉบับแก้ไข"},
        second_changes={"description": "สรุปสาระสำคัญของหนังสือเวียน"},
    )
    assert_refused(response, shows=["หนังสือเวียนฉบับแก้ไข"], keeps=["สรุปสาระสำคัญของหนังสือเวียน"])
    document = Document.objects.get(pk=document.pk)
    assert (document.title, document.description) == ("หนังสือเวียนฉบับแก้ไข", "")


def test_a_document_changed_after_the_page_was_read_is_not_removed(people):
    document = DocumentFactory()
    delete = reverse("library:delete", args=[document.pk])
    tab = signed_in(people["secretary"])
    data = read_form(tab.get(document.get_absolute_url()), action=delete)
    Document.objects.get(pk=document.pk).save()
    assert STALE_TH in tab.post(delete, data, follow=True).content.decode()
    assert Document.objects.filter(pk=document.pk).exists()


# --- Experts -------------------------------------------------------------------------------------
def test_an_expert(people):
    expert = ExpertFactory(bio="")
    response, _tab = save_from_two_tabs(
        reverse("experts:update", args=[expert.pk]),
        people["secretary"],
        people["head"],
        first_changes={"organisation": "มหาวิทยาลัยเกษตรศาสตร์"},
        second_changes={"bio": "วิทยากรด้านบัญชีสหกรณ์มา 20 ปี"},
    )
    assert_refused(response, shows=["มหาวิทยาลัยเกษตรศาสตร์"], keeps=["วิทยากรด้านบัญชีสหกรณ์มา 20 ปี"])
    expert = Expert.objects.get(pk=expert.pk)
    assert (expert.organisation, expert.bio) == ("มหาวิทยาลัยเกษตรศาสตร์", "")


def test_a_suggestion_changed_after_the_page_was_read_is_not_approved(people):
    expert = ExpertFactory(pending=True)
    approve = reverse("experts:approve", args=[expert.pk])
    tab = signed_in(people["secretary"])
    data = read_form(tab.get(expert.get_absolute_url()), action=approve)
    Expert.objects.filter(pk=expert.pk).update(organisation="ที่อื่น")  # not counted: no save
    Expert.objects.get(pk=expert.pk).save()
    assert STALE_TH in tab.post(approve, data, follow=True).content.decode()
    assert Expert.objects.get(pk=expert.pk).status == ExpertStatus.SUGGESTED


# --- People --------------------------------------------------------------------------------------
def test_my_profile_in_two_tabs(people):
    person = people["member"]
    response, _tab = save_from_two_tabs(
        reverse("accounts:profile_edit"),
        person,
        person,
        first_changes={"position": "นักวิชาการสหกรณ์ชำนาญการพิเศษ"},
        second_changes={"phone": "077-511-234"},
    )
    assert_refused(response, shows=["นักวิชาการสหกรณ์ชำนาญการพิเศษ"], keeps=["077-511-234"])
    person = User.objects.get(pk=person.pk)
    assert (person.position, person.phone) == ("นักวิชาการสหกรณ์ชำนาญการพิเศษ", "")


def test_signing_in_elsewhere_does_not_make_the_profile_out_of_date(people):
    """A sign-in saves the account (its last login) but changes nothing the form shows."""
    person = people["member"]
    url = reverse("accounts:profile_edit")
    tab = signed_in(person)
    data = read_form(tab.get(url))
    signed_in(person).post(
        reverse("login"), {"username": person.username, "password": "correct-horse-battery"}
    )
    User.objects.get(pk=person.pk).save(update_fields=["last_login"])
    data["phone"] = "077-000-111"
    assert tab.post(url, data).status_code == 302
    assert User.objects.get(pk=person.pk).phone == "077-000-111"


# --- The administration --------------------------------------------------------------------------
def test_an_administrator_and_the_person_editing_the_same_profile(people):
    person = people["member"]
    admin_url = reverse("admin:accounts_user_change", args=[person.pk])
    admin_tab = signed_in(people["admin"])
    admin_data = read_form(admin_tab.get(admin_url), form_id="user_form")
    own_tab = signed_in(person)
    own_data = read_form(own_tab.get(reverse("accounts:profile_edit")))
    own_data["position"] = "ตำแหน่งที่เจ้าตัวแก้"
    assert own_tab.post(reverse("accounts:profile_edit"), own_data).status_code == 302

    admin_data["phone"] = "077-999-999"
    response = admin_tab.post(admin_url, admin_data)
    assert response.status_code == 200
    assert CONFLICT_TH in response.content.decode()
    person = User.objects.get(pk=person.pk)
    assert (person.position, person.phone) == ("ตำแหน่งที่เจ้าตัวแก้", "")


def test_two_administrators_editing_a_category(people):
    category = CategoryFactory(name="กฎหมาย")
    url = reverse("admin:library_category_change", args=[category.pk])
    first, second = signed_in(people["admin"]), signed_in(people["admin"])
    data_first = read_form(first.get(url), form_id="category_form")
    data_second = read_form(second.get(url), form_id="category_form")
    data_first["name"] = "กฎหมายและระเบียบ"
    assert first.post(url, data_first).status_code == 302
    data_second["order"] = "5"
    response = second.post(url, data_second)
    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT_TH in page
    category = Category.objects.get(pk=category.pk)
    assert (category.name, category.order) == ("กฎหมายและระเบียบ", 0)


def test_rows_of_a_team_changed_while_an_administrator_edits_the_team(people):
    """The team's change form edits its memberships inline: a term changed meanwhile on the
    team's page is not overwritten by the administrator's older copy of it."""
    team = TeamFactory(name="กลุ่ม KM ด้านบัญชี")
    membership = MembershipFactory(team=team, note="")
    url = reverse("admin:teams_team_change", args=[team.pk])
    admin_tab = signed_in(people["admin"])
    data = read_form(admin_tab.get(url), form_id="team_form")
    edit = reverse("teams:membership_edit", args=[membership.pk])
    secretary = signed_in(people["secretary"])
    changed = read_form(secretary.get(edit))
    changed["note"] = "รักษาการแทน"
    assert secretary.post(edit, changed).status_code == 302

    data["topic"] = "การสอบบัญชี"
    response = admin_tab.post(url, data)
    assert response.status_code == 200
    assert CONFLICT_TH in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).note == "รักษาการแทน"
    assert Team.objects.get(pk=team.pk).topic == ""
