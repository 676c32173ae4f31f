"""Two people editing the same community record: a save from an out-of-date page is refused
with what changed and keeps what was typed (the community, a session's notes, an asset), and a
promotion from a page showing an older asset does nothing."""

import pytest
from django.urls import reverse

from apps.community.models import Community, KnowledgeAsset, Session
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.forms_html import STALE_TH, assert_refused, read_form, save_from_two_tabs, signed_in

from .factories import community_with_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(people):
    facilitator = UserFactory(username="e_facilitator")
    MembershipFactory(person=facilitator, team=TeamFactory(name="กลุ่ม KM ที่ 3"))
    return community_with_work(by=people["secretary"], facilitator=facilitator)


def test_the_community(people, work):
    community = work["community"]
    response, _tab = save_from_two_tabs(
        reverse("community:update", args=[community.pk]),
        work["facilitator"],
        people["secretary"],
        first_changes={"domain": "การตรวจสอบกิจการสหกรณ์"},
        second_changes={"description": "พบกันทุกวันศุกร์สุดท้ายของเดือน"},
    )
    assert_refused(response, shows=["การตรวจสอบกิจการสหกรณ์"], keeps=["พบกันทุกวันศุกร์สุดท้ายของเดือน"])
    community = Community.objects.get(pk=community.pk)
    assert (community.domain, community.description) == ("การตรวจสอบกิจการสหกรณ์", "")


def test_a_sessions_notes(people, work):
    session = work["session"]
    response, _tab = save_from_two_tabs(
        reverse("community:session_notes", args=[session.pk]),
        work["facilitator"],
        people["head"],
        first_changes={"aar_change": "เชิญกรรมการสหกรณ์มาร่วม"},
        second_changes={"notes": "ครั้งหน้าเริ่มตรงเวลา"},
    )
    assert_refused(response, shows=["เชิญกรรมการสหกรณ์มาร่วม"], keeps=["ครั้งหน้าเริ่มตรงเวลา"])
    session = Session.objects.get(pk=session.pk)
    assert (session.aar_change, session.notes) == ("เชิญกรรมการสหกรณ์มาร่วม", "")


def test_an_asset_and_its_promotion(people, work):
    asset = work["asset"]
    response, _tab = save_from_two_tabs(
        reverse("community:asset_update", args=[asset.pk]),
        work["facilitator"],
        people["cko"],
        first_changes={"tips": "นัดกรรมการล่วงหน้าหนึ่งสัปดาห์"},
        second_changes={"title": "ตรวจนับเงินสดแบบมีส่วนร่วม"},
    )
    assert_refused(response, shows=["นัดกรรมการล่วงหน้าหนึ่งสัปดาห์"], keeps=["ตรวจนับเงินสดแบบมีส่วนร่วม"])
    # A promotion from a page read before someone's change does nothing.
    promote = reverse("community:asset_promote", args=[asset.pk])
    tab = signed_in(work["facilitator"])
    data = read_form(tab.get(asset.get_absolute_url()), action=promote)
    KnowledgeAsset.objects.get(pk=asset.pk).save()
    assert STALE_TH in tab.post(promote, data, follow=True).content.decode()
    assert KnowledgeAsset.objects.get(pk=asset.pk).knowledge_set is None
