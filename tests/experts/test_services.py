import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.experts import services
from apps.experts.models import Engagement, Expert, ExpertiseArea, ExpertKind, ExpertStatus

from .factories import EngagementFactory, ExpertFactory, ExpertiseAreaFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "kind": ExpertKind.EXTERNAL,
    "title": "ผศ.ดร.",
    "first_name": "ธนากร",
    "last_name": "ศรีเมือง",
    "organisation": "มหาวิทยาลัยแม่โจ้",
    "position": "อาจารย์",
    "topics": "การตลาดทุเรียน",
    "email": "thanakorn@example.ac.th",
}


def test_a_staff_suggestion_waits_for_review(people):
    area = ExpertiseAreaFactory(name="การตลาดสินค้าเกษตร")

    expert = services.expert_suggest(by=people["staff"], fields=FIELDS, expertise=[area])

    assert expert.status == ExpertStatus.SUGGESTED
    assert expert.suggested_by == people["staff"]
    assert expert.reviewed_by is None and expert.reviewed_at is None
    assert list(expert.expertise.all()) == [area]


def test_the_km_office_adds_approved_entries_and_new_areas(people):
    existing = ExpertiseAreaFactory(name="การตลาดสินค้าเกษตร")

    expert = services.expert_create(
        by=people["secretary"],
        fields=FIELDS,
        expertise=[existing],
        new_areas=["  การวางแผน   ธุรกิจ ", "การตลาดสินค้าเกษตร", "", "การวางแผน ธุรกิจ"],
    )

    assert expert.status == ExpertStatus.APPROVED
    assert expert.reviewed_by == people["secretary"] and expert.reviewed_at is not None
    assert sorted(a.name for a in expert.expertise.all()) == ["การตลาดสินค้าเกษตร", "การวางแผน ธุรกิจ"]
    assert ExpertiseArea.objects.count() == 2


@pytest.mark.parametrize("role", ["staff", "member", "cko"])
def test_only_the_km_office_adds_entries_directly(people, role):
    with pytest.raises(PermissionDenied):
        services.expert_create(by=people[role], fields=FIELDS)
    assert not Expert.objects.exists()


def test_an_update_changes_details_but_not_the_review(people):
    area = ExpertiseAreaFactory()
    expert = ExpertFactory(pending=True, expertise=[area])

    services.expert_update(
        by=people["head"], expert=expert, fields={"organisation": "กรมตรวจบัญชีสหกรณ์"}
    )

    expert.refresh_from_db()
    assert expert.organisation == "กรมตรวจบัญชีสหกรณ์"
    assert expert.status == ExpertStatus.SUGGESTED
    assert list(expert.expertise.all()) == [area]  # expertise=None keeps the areas


def test_approving_a_suggestion(people):
    expert = ExpertFactory(pending=True)

    services.expert_approve(by=people["secretary"], expert=expert, note="เหมาะสม")

    expert.refresh_from_db()
    assert expert.status == ExpertStatus.APPROVED
    assert expert.reviewed_by == people["secretary"]
    assert expert.reviewed_at is not None and expert.review_note == "เหมาะสม"


def test_rejecting_a_suggestion_needs_a_reason(people):
    expert = ExpertFactory(pending=True)

    with pytest.raises(ValidationError):
        services.expert_reject(by=people["secretary"], expert=expert, note="   ")
    expert.refresh_from_db()
    assert expert.status == ExpertStatus.SUGGESTED

    services.expert_reject(by=people["secretary"], expert=expert, note="ซ้ำกับรายชื่อเดิม")
    expert.refresh_from_db()
    assert expert.status == ExpertStatus.REJECTED
    assert expert.review_note == "ซ้ำกับรายชื่อเดิม"


@pytest.mark.parametrize("state", ["approved", "rejected"])
@pytest.mark.parametrize("action", ["expert_approve", "expert_reject"])
def test_a_reviewed_entry_cannot_be_reviewed_again(people, state, action):
    """GIVEN an entry already approved or rejected, WHEN the KM office reviews it again, THEN the
    service refuses and the entry keeps its reviewer, time and note."""
    expert = ExpertFactory(rejected=True) if state == "rejected" else ExpertFactory()
    before = Expert.objects.values("status", "reviewed_by", "reviewed_at", "review_note").get(
        pk=expert.pk
    )

    with pytest.raises(services.ReviewError):
        getattr(services, action)(by=people["admin"], expert=expert, note="อีกครั้ง")

    after = Expert.objects.values("status", "reviewed_by", "reviewed_at", "review_note").get(
        pk=expert.pk
    )
    assert after == before


@pytest.mark.parametrize("role", ["staff", "member", "cko"])
def test_only_the_km_office_reviews(people, role):
    expert = ExpertFactory(pending=True)
    with pytest.raises(PermissionDenied):
        services.expert_approve(by=people[role], expert=expert)
    with pytest.raises(PermissionDenied):
        services.expert_reject(by=people[role], expert=expert, note="ไม่")
    expert.refresh_from_db()
    assert expert.status == ExpertStatus.SUGGESTED


def test_an_external_trainer_is_not_linked_to_an_account(people):
    fields = {**FIELDS, "person": people["member"]}
    with pytest.raises(ValidationError) as error:
        services.expert_suggest(by=people["staff"], fields=fields)
    assert "__all__" in error.value.message_dict
    assert not Expert.objects.exists()


def test_a_staff_member_has_one_live_entry(people):
    person = people["member"]
    fields = {**FIELDS, "kind": ExpertKind.INTERNAL, "person": person}
    first = services.expert_create(by=people["secretary"], fields=fields)

    with pytest.raises(ValidationError):
        services.expert_suggest(by=people["staff"], fields=fields)
    assert Expert.objects.count() == 1

    # Once the entry is gone (or a suggestion turned down), a new one may be made.
    services.expert_delete(by=people["secretary"], expert=first)
    suggestion = services.expert_suggest(by=people["staff"], fields=fields)
    services.expert_reject(by=people["secretary"], expert=suggestion, note="ยังไม่พร้อม")
    assert services.expert_suggest(by=people["staff"], fields=fields).pk


def test_unknown_fields_are_refused(people):
    with pytest.raises(TypeError):
        services.expert_suggest(by=people["staff"], fields={**FIELDS, "status": "approved"})
    assert not Expert.objects.exists()


def test_recording_a_talk(people):
    expert = ExpertFactory()
    engagement = services.engagement_add(
        by=people["secretary"],
        expert=expert,
        fields={"kind": "talk", "title": "กฎหมายสหกรณ์", "held_on": dt.date(2024, 3, 12)},
    )
    assert list(expert.engagements.all()) == [engagement]


def test_a_talk_cannot_end_before_it_starts(people):
    expert = ExpertFactory()
    with pytest.raises(ValidationError):
        services.engagement_add(
            by=people["secretary"],
            expert=expert,
            fields={
                "kind": "training",
                "title": "อบรม",
                "held_on": dt.date(2024, 3, 12),
                "ends_on": dt.date(2024, 3, 11),
            },
        )
    assert not Engagement.objects.exists()


def test_deleting_an_entry_removes_its_talks(people):
    engagement = EngagementFactory()
    with pytest.raises(PermissionDenied):
        services.expert_delete(by=people["cko"], expert=engagement.expert)
    services.expert_delete(by=people["head"], expert=engagement.expert)
    assert not Expert.objects.exists() and not Engagement.objects.exists()


def test_deleting_one_talk(people):
    engagement = EngagementFactory()
    with pytest.raises(PermissionDenied):
        services.engagement_delete(by=people["staff"], engagement=engagement)
    services.engagement_delete(by=people["admin"], engagement=engagement)
    assert Expert.objects.exists() and not Engagement.objects.exists()
