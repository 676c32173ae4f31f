import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from apps.experts.models import Engagement, Expert, ExpertiseArea, ExpertKind, ExpertStatus
from tests.factories import UserFactory

from .factories import EngagementFactory, ExpertFactory, ExpertiseAreaFactory

pytestmark = pytest.mark.django_db

LIST = reverse("experts:list")


def listed(response) -> set[int]:
    return {expert.pk for expert in response.context["object_list"]}


def message_levels(response) -> list[str]:
    return [message.level_tag for message in get_messages(response.wsgi_request)]


# --- Visibility -----------------------------------------------------------------------------------


def test_a_pending_suggestion_is_seen_only_by_its_suggester_and_the_km_office(client_as, people):
    """GIVEN a staff member's suggestion, WHEN others browse the directory, THEN only the
    suggester and the KM office find it, in the list and on its page."""
    approved = ExpertFactory()
    pending = ExpertFactory(pending=True, suggested_by=people["staff"])
    detail = reverse("experts:detail", args=[pending.pk])

    for role in ["member", "cko"]:
        client = client_as(role)
        assert listed(client.get(LIST)) == {approved.pk}
        assert client.get(detail).status_code == 404

    for role in ["staff", "secretary", "head", "admin"]:
        client = client_as(role)
        assert listed(client.get(LIST)) == {approved.pk, pending.pk}
        response = client.get(detail)
        assert response.status_code == 200
        assert response.context["expert"] == pending


def test_a_turned_down_suggestion_shows_its_reason_to_the_suggester(client_as, people):
    rejected = ExpertFactory(rejected=True, suggested_by=people["staff"], review_note="ซ้ำ")
    response = client_as("staff").get(rejected.get_absolute_url())
    assert response.status_code == 200
    assert "ซ้ำ" in response.content.decode()
    assert client_as("member").get(rejected.get_absolute_url()).status_code == 404


def test_the_detail_page_shows_the_entry_and_its_talks(client_as):
    area = ExpertiseAreaFactory(name="กฎหมายสหกรณ์")
    expert = ExpertFactory(expertise=[area], organisation="กรมส่งเสริมสหกรณ์")
    EngagementFactory(expert=expert, title="อบรมกฎหมายสหกรณ์", held_on=dt.date(2024, 3, 12))

    response = client_as("staff").get(expert.get_absolute_url())

    html = response.content.decode()
    assert response.context["areas"] == [area]
    assert "อบรมกฎหมายสหกรณ์" in html and "12 มี.ค. 67" in html
    assert reverse("experts:update", args=[expert.pk]) not in html  # no edit button for staff
    html = client_as("secretary").get(expert.get_absolute_url()).content.decode()
    assert reverse("experts:update", args=[expert.pk]) in html


# --- Filters --------------------------------------------------------------------------------------


@pytest.fixture
def directory():
    accounting = ExpertiseAreaFactory(name="การบัญชีสหกรณ์")
    law = ExpertiseAreaFactory(name="กฎหมายสหกรณ์")
    return {
        "suwit": ExpertFactory(
            kind=ExpertKind.INTERNAL,
            first_name="สุวิทย์",
            last_name="ทองคำ",
            organisation="สำนักงานสหกรณ์จังหวัดชุมพร",
            topics="การอ่านงบการเงิน",
            expertise=[accounting],
        ),
        "arunee": ExpertFactory(
            first_name="อรุณี",
            last_name="เพชรรัตน์",
            organisation="กรมส่งเสริมสหกรณ์",
            topics="พระราชบัญญัติสหกรณ์",
            expertise=[law],
        ),
        "thanakorn": ExpertFactory(
            first_name="ธนากร",
            last_name="ศรีเมือง",
            organisation="มหาวิทยาลัยแม่โจ้",
            topics="การตลาดทุเรียน",
            expertise=[accounting, law],
        ),
        "pending": ExpertFactory(pending=True, first_name="สมใจ", organisation="มหาวิทยาลัยแม่โจ้"),
        "areas": {"accounting": accounting, "law": law},
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=ทองคำ", {"suwit"}),  # family name
        ("q=สุวิทย์ ทองคำ", {"suwit"}),  # full name: every word must match
        ("q=แม่โจ้", {"thanakorn"}),  # organisation (the pending one stays hidden)
        ("q=ทุเรียน", {"thanakorn"}),  # a topic
        ("q=กฎหมาย", {"arunee", "thanakorn"}),  # an area's name
        ("q=ไม่มีใครชื่อนี้", set()),
        ("kind=internal", {"suwit"}),
        ("kind=external", {"arunee", "thanakorn"}),
        ("kind=nonsense", set()),
    ],
)
def test_filters(client_as, directory, query, expected):
    response = client_as("member").get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert listed(response) == {directory[name].pk for name in expected}


def test_filter_by_expertise_area_lists_each_expert_once(client_as, directory):
    area = directory["areas"]["accounting"]
    expected = sorted([directory["suwit"].pk, directory["thanakorn"].pk])
    for query in [f"expertise={area.pk}", f"expertise={area.pk}&q=สหกรณ์"]:
        response = client_as("member").get(f"{LIST}?{query}")
        assert sorted(e.pk for e in response.context["object_list"]) == expected
        assert response.context["paginator"].count == 2


def test_the_km_office_filters_by_status(client_as, directory):
    response = client_as("secretary").get(f"{LIST}?status=suggested")
    assert listed(response) == {directory["pending"].pk}
    # Others may ask, but still see only what they may see.
    assert listed(client_as("staff").get(f"{LIST}?status=suggested")) == set()


def test_the_list_counts_talks_and_pages(client_as):
    expert = ExpertFactory()
    EngagementFactory(expert=expert, held_on=dt.date(2023, 6, 6))
    EngagementFactory(expert=expert, held_on=dt.date(2025, 1, 21))
    ExpertFactory.create_batch(24)

    response = client_as("staff").get(LIST)

    page = response.context["page_obj"]
    assert page.paginator.count == 25 and len(page.object_list) == 20
    row = next(e for e in page.object_list if e.pk == expert.pk)
    assert row.engagement_count == 2 and row.last_engaged_on == dt.date(2025, 1, 21)
    assert client_as("staff").get(f"{LIST}?page=2").context["page_obj"].number == 2


def test_the_list_needs_a_bounded_number_of_queries(client_as, django_assert_max_num_queries):
    areas = ExpertiseAreaFactory.create_batch(5)
    for expert in ExpertFactory.create_batch(40, expertise=areas[:3]):
        EngagementFactory.create_batch(2, expert=expert)
    ExpertFactory.create_batch(5, pending=True)
    for role in ["staff", "secretary"]:
        client = client_as(role)
        with django_assert_max_num_queries(12):
            response = client.get(LIST)
        assert len(response.context["object_list"]) == 20


# --- Writing --------------------------------------------------------------------------------------


def suggestion(**overrides) -> dict:
    data = {
        "kind": "external",
        "title": "ผศ.ดร.",
        "first_name": "ธนากร",
        "last_name": "ศรีเมือง",
        "organisation": "มหาวิทยาลัยแม่โจ้",
        "position": "อาจารย์",
        "topics": "การตลาดทุเรียน",
        "email": "",
    }
    return {**data, **overrides}


def test_staff_suggest_an_expert(client_as, people):
    area = ExpertiseAreaFactory()
    response = client_as("member").post(reverse("experts:suggest"), suggestion(expertise=[area.pk]))
    expert = Expert.objects.get()
    assert response.status_code == 302 and response["Location"] == expert.get_absolute_url()
    assert expert.status == ExpertStatus.SUGGESTED and expert.suggested_by == people["member"]
    assert list(expert.expertise.all()) == [area]
    assert message_levels(response) == ["success"]


def test_a_staff_member_is_suggested_with_the_names_from_their_account(client_as):
    colleague = UserFactory(
        username="suwit", title="นาย", first_name="สุวิทย์", last_name="ทองคำ", position="นักวิชาการ"
    )
    data = suggestion(kind="internal", person=colleague.pk, title="", first_name="", last_name="")
    data.update(position="", organisation="สำนักงานสหกรณ์จังหวัดชุมพร")
    client_as("staff").post(reverse("experts:suggest"), data)
    expert = Expert.objects.get()
    assert str(expert) == "นายสุวิทย์ ทองคำ"
    assert expert.person == colleague and expert.position == "นักวิชาการ"


@pytest.mark.parametrize(
    "bad",
    [
        {"first_name": ""},  # no name and no account
        {"kind": "internal", "person": "999999"},  # no such person
        {"email": "not-an-email"},
        {"kind": "spaceship"},
    ],
)
def test_bad_input_saves_nothing(client_as, bad):
    response = client_as("staff").post(reverse("experts:suggest"), suggestion(**bad))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Expert.objects.exists()
    assert message_levels(response) == ["error"]


def test_an_external_trainer_cannot_be_linked_to_an_account(client_as, people):
    data = suggestion(person=people["member"].pk)
    response = client_as("staff").post(reverse("experts:suggest"), data)
    assert "person" in response.context["form"].errors
    assert not Expert.objects.exists()


def test_a_person_already_in_the_directory_is_not_added_twice(client_as, people):
    ExpertFactory(kind=ExpertKind.INTERNAL, person=people["member"])
    data = suggestion(kind="internal", person=people["member"].pk)
    response = client_as("secretary").post(reverse("experts:create"), data)
    assert "person" in response.context["form"].errors
    assert Expert.objects.count() == 1


def test_the_km_office_adds_an_expert_with_new_areas(client_as, people):
    known = ExpertiseAreaFactory(name="การตลาดสินค้าเกษตร")
    data = suggestion(expertise=[known.pk], new_areas="การวางแผนธุรกิจ, การตลาดออนไลน์ ,")
    response = client_as("head").post(reverse("experts:create"), data)
    expert = Expert.objects.get()
    assert response["Location"] == expert.get_absolute_url()
    assert expert.status == ExpertStatus.APPROVED and expert.reviewed_by == people["head"]
    assert {a.name for a in expert.expertise.all()} == {
        "การตลาดสินค้าเกษตร",
        "การวางแผนธุรกิจ",
        "การตลาดออนไลน์",
    }


def test_an_over_long_new_area_saves_nothing(client_as):
    data = suggestion(new_areas="ก" * 101)
    response = client_as("admin").post(reverse("experts:create"), data)
    assert "new_areas" in response.context["form"].errors
    assert not Expert.objects.exists() and not ExpertiseArea.objects.exists()


def test_the_km_office_edits_an_entry(client_as):
    area = ExpertiseAreaFactory()
    expert = ExpertFactory(first_name="อรุณี", last_name="เพชรรัตน์", expertise=[area])
    response = client_as("secretary").get(reverse("experts:update", args=[expert.pk]))
    assert response.context["form"].initial["first_name"] == "อรุณี"

    data = suggestion(first_name="อรุณี", last_name="เพชรรัตน์", organisation="กรมตรวจบัญชีสหกรณ์")
    response = client_as("secretary").post(reverse("experts:update", args=[expert.pk]), data)

    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.organisation == "กรมตรวจบัญชีสหกรณ์" and expert.status == ExpertStatus.APPROVED
    assert not expert.expertise.exists()  # every box unticked


def test_a_bad_edit_changes_nothing(client_as):
    expert = ExpertFactory(first_name="อรุณี", organisation="กรมส่งเสริมสหกรณ์")
    data = suggestion(first_name="", organisation="ที่อื่น")
    response = client_as("secretary").post(reverse("experts:update", args=[expert.pk]), data)
    assert response.status_code == 200
    expert.refresh_from_db()
    assert expert.first_name == "อรุณี" and expert.organisation == "กรมส่งเสริมสหกรณ์"


# --- Review ---------------------------------------------------------------------------------------


def test_the_review_queue_lists_pending_suggestions_oldest_first(client_as):
    first = ExpertFactory(pending=True)
    second = ExpertFactory(pending=True)
    ExpertFactory()
    ExpertFactory(rejected=True)
    response = client_as("secretary").get(reverse("experts:review"))
    assert list(response.context["suggestions"]) == [first, second]


def test_approving_from_the_queue_returns_to_it(client_as, people):
    pending = ExpertFactory(pending=True)
    queue = reverse("experts:review")
    response = client_as("secretary").post(
        reverse("experts:approve", args=[pending.pk]), {"note": "", "next": queue}
    )
    assert response["Location"] == queue
    pending.refresh_from_db()
    assert pending.status == ExpertStatus.APPROVED and pending.reviewed_by == people["secretary"]


def test_a_review_never_redirects_off_site(client_as):
    pending = ExpertFactory(pending=True)
    response = client_as("secretary").post(
        reverse("experts:approve", args=[pending.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == pending.get_absolute_url()


def test_approving_an_approved_entry_changes_nothing(client_as):
    expert = ExpertFactory()
    reviewed = (expert.reviewed_by_id, expert.reviewed_at)
    response = client_as("head").post(reverse("experts:approve", args=[expert.pk]), {"note": "x"})
    assert response.status_code == 302
    expert.refresh_from_db()
    assert (expert.reviewed_by_id, expert.reviewed_at) == reviewed and expert.review_note == ""
    assert message_levels(response) == ["warning"]


def test_rejecting_without_a_reason_changes_nothing(client_as):
    pending = ExpertFactory(pending=True)
    response = client_as("secretary").post(reverse("experts:reject", args=[pending.pk]), {})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ExpertStatus.SUGGESTED
    assert message_levels(response) == ["error"]


def test_rejecting_with_a_reason(client_as):
    pending = ExpertFactory(pending=True)
    client_as("admin").post(reverse("experts:reject", args=[pending.pk]), {"note": "ซ้ำ"})
    pending.refresh_from_db()
    assert pending.status == ExpertStatus.REJECTED and pending.review_note == "ซ้ำ"


def test_an_over_long_review_note_changes_nothing(client_as):
    pending = ExpertFactory(pending=True)
    response = client_as("secretary").post(
        reverse("experts:reject", args=[pending.pk]), {"note": "ก" * 2001}
    )
    pending.refresh_from_db()
    assert pending.status == ExpertStatus.SUGGESTED
    assert message_levels(response) == ["error"]


# --- Talks and trainings --------------------------------------------------------------------------


def test_recording_a_training_with_buddhist_era_dates(client_as):
    expert = ExpertFactory()
    data = {
        "kind": "training",
        "title": "อบรมการจัดทำบัญชีสหกรณ์",
        "held_on": "14/03/2566",
        "ends_on": "15 มี.ค. 66",
        "organiser": "สำนักงานสหกรณ์จังหวัดชุมพร",
        "place": "ห้องประชุม",
    }
    response = client_as("secretary").post(
        reverse("experts:engagement_add", args=[expert.pk]), data
    )
    assert response["Location"] == expert.get_absolute_url()
    engagement = Engagement.objects.get()
    assert (engagement.held_on, engagement.ends_on) == (dt.date(2023, 3, 14), dt.date(2023, 3, 15))


@pytest.mark.parametrize(
    "dates",
    [
        {"held_on": "31/02/2567"},
        {"held_on": ""},
        {"held_on": "15/03/2566", "ends_on": "14/03/2566"},
    ],
)
def test_bad_dates_save_nothing(client_as, dates):
    expert = ExpertFactory()
    data = {"kind": "training", "title": "อบรม", **dates}
    response = client_as("secretary").post(
        reverse("experts:engagement_add", args=[expert.pk]), data
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not Engagement.objects.exists()


def test_removing_a_talk_and_an_entry(client_as):
    engagement = EngagementFactory()
    expert = engagement.expert
    client = client_as("secretary")
    response = client.post(reverse("experts:engagement_delete", args=[engagement.pk]))
    assert response["Location"] == expert.get_absolute_url()
    assert not Engagement.objects.exists()
    response = client.post(reverse("experts:delete", args=[expert.pk]))
    assert response["Location"] == LIST
    assert not Expert.objects.exists()


def test_unknown_entries_are_404(client_as):
    client = client_as("secretary")
    assert client.get(reverse("experts:detail", args=[999])).status_code == 404
    assert client.post(reverse("experts:approve", args=[999])).status_code == 404
    assert client.get(reverse("experts:engagement_add", args=[999])).status_code == 404


def test_the_admin_saves_an_entry_through_the_service(admin_client):
    """An entry added in the admin is approved from the start, as the KM office's own."""
    response = admin_client.post(
        reverse("admin:experts_expert_add"),
        {
            "kind": ExpertKind.EXTERNAL,
            "title": "นาง",
            "first_name": "สมใจ",
            "last_name": "ทองสุข",
            "engagements-TOTAL_FORMS": 0,
            "engagements-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    expert = Expert.objects.get(first_name="สมใจ")
    assert expert.status == ExpertStatus.APPROVED
