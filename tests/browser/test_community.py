"""The facilitator's journey (issue 15): in their community of practice, a facilitator schedules
a session held yesterday, writes its AAR and a story, captures a knowledge asset from it and
promotes the asset to a knowledge-set draft in one click, landing on the draft. Then the
community's page on a phone (390 px)."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from apps.community.models import KnowledgeAsset, Session
from apps.knowledge.models import Status
from apps.teams.models import Role, TeamKind
from tests.browser.conftest import sign_in, write_markdown
from tests.community.factories import make_community
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, TeamFactory, UserFactory

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def be(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def test_a_facilitator_records_a_session_with_an_aar_and_promotes_an_asset(page, screenshot):
    km_team = TeamFactory(name="ทีมงาน KM สำนักงานสหกรณ์จังหวัดชุมพร", kind=TeamKind.KM_TEAM)
    group = TeamFactory(name="กลุ่ม KM ที่ 2", kind=TeamKind.KM_GROUP)
    pranee = UserFactory(username="pranee", title="นางสาว", first_name="ปราณี", last_name="ใจดี")
    suwit = UserFactory(username="suwit", title="นาย", first_name="สุวิทย์", last_name="ทองคำ")
    somchai = UserFactory(username="somchai", title="นาย", first_name="สมชาย", last_name="รักสหกรณ์")
    kannika = UserFactory(
        username="kannika", title="นางสาว", first_name="กรรณิกา", last_name="แก้วมณี"
    )
    MembershipFactory(person=pranee, team=km_team, role=Role.SECRETARY)
    MembershipFactory(person=somchai, team=km_team, role=Role.CKO)
    MembershipFactory(person=suwit, team=group, role=Role.HEAD)
    community = make_community(
        by=pranee,
        name="ชุมชนนักปฏิบัติ (CoP) การตรวจการสหกรณ์",
        domain="การตรวจการสหกรณ์และการแก้ไขข้อบกพร่อง",
        facilitators=[suwit],
        practitioners=[kannika],
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    sign_in(page, "suwit", PASSWORD)
    page.goto(community.get_absolute_url())
    expect(page.get_by_text("คุณเอื้อ (ผู้สนับสนุน)")).to_be_visible()
    expect(page.locator("[aria-labelledby=about-heading]")).to_contain_text("สมชาย")  # CKO
    page.get_by_role("link", name="นัดการพบปะ").click()
    page.locator("#id_title").fill("วงเล่าเรื่องการตรวจนับเงินสดของสหกรณ์")
    page.locator("#id_date").fill(be(yesterday))
    page.locator("#id_start_time").fill("13.30")
    page.locator("#id_end_time").fill("16.00")
    page.locator("#id_place").fill("ห้องประชุมกลุ่มตรวจการสหกรณ์")
    write_markdown(page, "id_bar_goal", "อยากได้วิธีตรวจนับเงินสดที่ทุกคนใช้ร่วมกัน")
    expect(page.locator("#id_invitees option:checked")).to_have_count(2)
    screenshot("community-session-form")
    page.get_by_role("button", name="นัดและส่งหนังสือเชิญ").click()
    session = Session.objects.get()
    expect(page).to_have_url(f"/communities/sessions/{session.pk}/")

    # The AAR and a story, after the session.
    page.get_by_role("link", name="บันทึก BAR, AAR และบันทึกการพบปะ").click()
    write_markdown(page, "id_aar_expected", "ได้วิธีตรวจนับที่ใช้ร่วมกัน")
    write_markdown(page, "id_aar_happened", "ได้ขั้นตอนสามขั้น และแบบบันทึกการตรวจนับ")
    write_markdown(page, "id_aar_difference", "สมาชิกเตรียมกรณีจริงมาเล่า")
    write_markdown(page, "id_aar_keep", "เล่ากรณีจริงสั้น ๆ")
    write_markdown(page, "id_aar_change", "เชิญกรรมการสหกรณ์มาร่วมเล่า")
    write_markdown(page, "id_stories", "คุณกรรณิกาเล่าเรื่องสหกรณ์ที่ยอดเงินสดไม่ตรงบัญชีสามเดือน")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page).to_have_url(f"/communities/sessions/{session.pk}/")
    expect(page.locator("#aar-heading")).to_be_visible()
    expect(page.get_by_text("ได้ขั้นตอนสามขั้น และแบบบันทึกการตรวจนับ")).to_be_visible()
    screenshot("community-session")
    page.set_viewport_size(PHONE)
    screenshot("community-session-390")
    page.set_viewport_size(DESKTOP)

    # A knowledge asset from the session, then its promotion.
    page.get_by_role("link", name="บันทึกขุมความรู้").click()
    expect(page.locator("#id_session")).to_have_value(str(session.pk))
    page.locator("#id_title").fill("ตรวจนับเงินสดร่วมกับกรรมการเมื่อยอดไม่ตรงบัญชี")
    write_markdown(page, "id_context", "ยอดเงินสดในมือไม่ตรงกับบัญชีหลายเดือน")
    write_markdown(page, "id_what_we_did", "ตรวจนับพร้อมกรรมการ เทียบใบเสร็จกับสมุดเงินสด")
    write_markdown(page, "id_what_we_learned", "สาเหตุมักมาจากการรับเงินโดยไม่ออกใบเสร็จ")
    write_markdown(page, "id_tips", "- ใช้ใบเสร็จเล่มเดียว\n- ตรวจนับทุกสัปดาห์")
    page.locator("#id_who_to_ask").select_option(str(suwit.pk))
    page.get_by_role("button", name="บันทึก", exact=True).click()
    asset = KnowledgeAsset.objects.get()
    expect(page).to_have_url(f"/communities/assets/{asset.pk}/")
    screenshot("community-asset")
    page.get_by_role("button", name="ยกระดับเป็นร่างชุดความรู้").click()
    asset.refresh_from_db()
    knowledge_set = asset.knowledge_set
    assert knowledge_set is not None and knowledge_set.status == Status.DRAFT
    expect(page).to_have_url(knowledge_set.get_absolute_url())
    expect(page.locator("body")).to_contain_text("ตรวจนับเงินสดร่วมกับกรรมการเมื่อยอดไม่ตรงบัญชี")
    screenshot("community-promoted-set")
    # Back on the asset, the link to the draft; on the community's page, its work.
    page.goto(asset.get_absolute_url())
    expect(page.locator(".alert-info a")).to_have_attribute(
        "href", knowledge_set.get_absolute_url()
    )
    page.goto(community.get_absolute_url())
    expect(page.locator(".community-session")).to_have_count(1)
    expect(page.get_by_text("ยกระดับเป็นชุดความรู้แล้ว")).to_be_visible()
    screenshot("community-space")
    page.set_viewport_size(PHONE)
    screenshot("community-space-390")
    page.goto("/communities/")
    screenshot("community-list-390")
    page.set_viewport_size(DESKTOP)
    screenshot("community-list")
