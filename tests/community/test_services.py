"""The communities' write path: who may start, join, leave and keep a community; sessions as
meetings held by the community; BAR and AAR; assets and their promotion to a knowledge-set
draft (linked both ways); the notices each step sends; the steps page and search."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.community import services
from apps.community.data import CommunityData, SessionData, SessionNotes
from apps.community.models import Access, Community, MemberRole
from apps.core import steps
from apps.knowledge.models import SetKind, Status
from apps.meetings.models import Meeting
from apps.notifications.models import Notification
from apps.search import indexing
from apps.search.engine import SearchRequest
from apps.search.searching import viewer_for
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.plans.factories import ActivityFactory, PlanFactory

from .factories import make_asset, make_community, make_session

pytestmark = pytest.mark.django_db


def notices(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def facilitator(people):
    """A facilitator in a KM group, so that they may also start knowledge sets."""
    person = UserFactory(username="c_facilitator")
    MembershipFactory(person=person, team=TeamFactory(name="กลุ่ม KM ที่ 2"))
    return person


def test_only_the_km_office_starts_a_community(people, facilitator):
    data = CommunityData(name="ชุมชนการบัญชีสหกรณ์", domain="การบัญชีสหกรณ์")
    for role in ("staff", "member"):
        with pytest.raises(PermissionDenied):
            services.community_create(by=people[role], data=data)
    community = services.community_create(by=people["head"], data=data, facilitators=[facilitator])
    assert list(community.members.values_list("person__username", "role")) == [
        ("c_facilitator", MemberRole.FACILITATOR)
    ]
    assert notices("community.member_added") == {"c_facilitator"}
    # The creator facilitates when nobody is named; names stay unique.
    other = services.community_create(
        by=people["cko"], data=CommunityData(name="ชุมชนกฎหมายสหกรณ์", domain="กฎหมาย")
    )
    assert other.members.get().person == people["cko"]
    with pytest.raises(ValidationError) as error:
        services.community_create(by=people["cko"], data=data)
    assert "name" in error.value.error_dict
    assert Community.objects.count() == 2


def test_joining_an_open_community_tells_its_facilitators(people, facilitator):
    community = make_community(by=people["secretary"], facilitators=[facilitator])
    services.community_join(by=people["staff"], community=community)
    assert notices("community.joined") == {"c_facilitator"}
    with pytest.raises(ValidationError):
        services.community_join(by=people["staff"], community=community)
    closed = make_community(
        by=people["secretary"], name="วงปิด", access=Access.MEMBERS, facilitators=[facilitator]
    )
    with pytest.raises(PermissionDenied):
        services.community_join(by=people["member"], community=closed)
    # The last facilitator cannot leave; a practitioner can.
    with pytest.raises(ValidationError):
        services.community_leave(by=facilitator, community=community)
    services.community_leave(by=people["staff"], community=community)
    assert not community.members.filter(person=people["staff"]).exists()


def test_a_session_is_a_meeting_held_by_the_community(people, facilitator):
    community = make_community(
        by=people["secretary"], facilitators=[facilitator], practitioners=[people["staff"]]
    )
    day = timezone.localdate() + dt.timedelta(days=7)
    data = SessionData(title="วงเล่าเรื่องการตรวจการสหกรณ์", date=day, start_time=dt.time(13, 30),
                       place="ห้องประชุมเล็ก", online_link="https://meet.example.go.th/cop",
                       bar_goal="อยากรู้วิธีติดตามข้อบกพร่อง")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.session_schedule(by=people["staff"], community=community, data=data)
    session = services.session_schedule(by=facilitator, community=community, data=data)
    meeting = session.meeting
    assert (meeting.host_kind, meeting.host_id, meeting.team) == ("community", community.pk, None)
    assert meeting.host == community
    # Every member is invited: the meetings app tells them (no second notice of ours).
    assert set(meeting.attendances.values_list("person__username", flat=True)) == {
        "c_facilitator",
        people["staff"].username,
    }
    assert notices("meetings.invitation") == {people["staff"].username}
    assert facilitator.has_perm("meetings.change_meeting", meeting)
    assert not people["member"].has_perm("meetings.add_meeting", community)
    assert people["secretary"].has_perm("meetings.add_meeting", community)  # the KM office
    # An AAR is for a session that took place; the BAR is welcome before.
    with pytest.raises(ValidationError):
        services.session_notes_save(
            by=facilitator, session=session, notes=SessionNotes(aar_happened="ยังไม่เกิด")
        )
    with pytest.raises(ValidationError):
        services.session_schedule(
            by=facilitator, community=community,
            data=SessionData(title="x", date=day, start_time=dt.time(9), place="y",
                             online_link="javascript:alert(1)"),
        )  # fmt: skip
    assert Meeting.objects.count() == 1


def test_the_first_aar_tells_the_members(people, facilitator):
    community = make_community(
        by=people["secretary"], facilitators=[facilitator], practitioners=[people["staff"]]
    )
    make_session(community, by=facilitator)
    assert notices("community.aar_written") == {people["staff"].username}


def test_a_members_only_community_is_read_by_members_and_the_km_office(people, facilitator):
    community = make_community(
        by=people["secretary"], access=Access.MEMBERS, facilitators=[facilitator]
    )
    session = make_session(community, by=facilitator)
    asset = make_asset(community, by=facilitator, session=session)
    for role, sees in [("staff", False), ("member", False), ("secretary", True), ("head", True),
                       ("cko", True), ("admin", True)]:  # fmt: skip
        user = people[role]
        assert user.has_perm("community.view_community", community) is sees, role
        assert user.has_perm("community.view_asset", asset) is sees, role
        assert Community.objects.visible_to(user).filter(pk=community.pk).exists() is sees
        assert Meeting.objects.visible_to(user).filter(pk=session.meeting_id).exists() is sees
        assert user.has_perm("meetings.view_meeting", session.meeting) is sees, role


def test_promoting_an_asset_makes_a_linked_knowledge_set_draft(people, facilitator):
    community = make_community(
        by=people["secretary"], facilitators=[facilitator], practitioners=[people["staff"]]
    )
    session = make_session(community, by=facilitator)
    asset = make_asset(community, by=people["staff"], session=session, who_to_ask=[facilitator])
    assert notices("community.asset_added") == {"c_facilitator"}
    # The writer is in no KM group: the knowledge app's rule refuses them.
    with pytest.raises(PermissionDenied):
        services.asset_promote(by=people["staff"], asset=asset)
    promoted = services.asset_promote(by=facilitator, asset=asset)
    knowledge_set = promoted.knowledge_set
    assert knowledge_set.status == Status.DRAFT
    assert knowledge_set.kind == SetKind.GOOD_PRACTICE
    assert knowledge_set.title == asset.title
    assert set(knowledge_set.authors.all()) == {people["staff"], facilitator}
    assert list(knowledge_set.holders.all()) == [facilitator]
    # Linked both ways: the asset names the set, the set's text links back to the asset.
    assert knowledge_set.community_asset == promoted
    assert reverse("community:asset", args=[asset.pk]) in knowledge_set.body_html
    assert "ตรวจนับพร้อมกรรมการ" in knowledge_set.body_html
    assert notices("community.asset_promoted") == {people["staff"].username}
    with pytest.raises(ValidationError):
        services.asset_promote(by=facilitator, asset=promoted)


def test_a_closed_community_takes_no_new_work(people, facilitator):
    community = make_community(by=people["secretary"], facilitators=[facilitator])
    community = services.community_update(
        by=facilitator,
        community=community,
        data=CommunityData(name=community.name, domain=community.domain, status="closed"),
    )
    assert not facilitator.has_perm("community.schedule_session", community)
    assert not facilitator.has_perm("community.add_asset", community)
    with pytest.raises(PermissionDenied):
        make_session(community, by=facilitator)


def test_sessions_and_assets_are_on_the_steps_page_and_are_evidence(people, facilitator):
    plan = PlanFactory(fiscal_year=2570, approved=True)
    activity = ActivityFactory(plan=plan, title="ชุมชนนักปฏิบัติ (CoP) การตรวจการสหกรณ์")
    community = make_community(
        by=people["secretary"], facilitators=[facilitator], activity=activity
    )
    session = make_session(community, by=facilitator)
    asset = make_asset(community, by=facilitator, session=session)
    found = steps.resolve_link(f"https://km.example.go.th{session.get_absolute_url()}")
    assert found is not None and found[0].key == "community_sessions" and found[1] == session.pk
    source, pk = steps.resolve_link(asset.get_absolute_url())
    assert (source.key, pk) == ("community_assets", asset.pk)
    assert source.for_step(people["staff"], "share").filter(pk=asset.pk).exists()
    page = steps.source_for_model(type(session)).by_step(people["staff"])
    assert page["share"] == [session]
    # The activity's page lists the community's work.
    from django.test import Client

    client = Client()
    client.force_login(people["staff"])
    body = client.get(activity.get_absolute_url()).content.decode()
    assert session.meeting.title in body and asset.title in body


def test_search_finds_members_only_assets_for_members_only(people, facilitator, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    try:
        community = make_community(
            by=people["secretary"], access=Access.MEMBERS, facilitators=[facilitator]
        )
        asset = make_asset(community, by=facilitator, title="เคล็ดลับตรวจนับพัสดุคงเหลือ")
        indexing.flush()

        def found(user) -> set[str]:
            request = SearchRequest(viewer=viewer_for(user), text="พัสดุคงเหลือ", page_size=50)
            return {hit.uid for hit in indexing.get_engine().search(request).hits}

        uid = f"community_asset:{asset.pk}"
        assert uid in found(facilitator) and uid in found(people["cko"])
        assert uid not in found(people["staff"]) and uid not in found(people["member"])
        # Joining (added by the facilitator) opens it to the new member.
        services.members_add(
            by=facilitator, community=community, people=[people["staff"]],
            role=MemberRole.PRACTITIONER,
        )  # fmt: skip
        indexing.flush()
        assert uid in found(people["staff"])
    finally:
        indexing.get_engine().close()
