"""A knowledge set from draft to published, by two people: a KM-group member writes and submits
it; the KM head reviews, approves and publishes it; then every staff member can read it."""

import re

from playwright.sync_api import expect

from apps.knowledge.models import KnowledgeSet, Status
from apps.teams.models import Role, TeamKind
from tests.browser.conftest import sign_in, write_markdown
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, TeamFactory, UserFactory

BODY = """## ใช้เมื่อใด

เมื่อสหกรณ์ต้องจัดประชุมใหญ่สามัญประจำปี

## ขั้นตอน

1. แจ้งสมาชิกล่วงหน้าไม่น้อยกว่า 7 วัน
2. จัดประชุมภายใน 150 วันนับแต่วันสิ้นปีทางบัญชี
3. รายงานผลต่อนายทะเบียนสหกรณ์ภายใน 30 วัน

<script>alert("x")</script>
"""


def step(page, action: str) -> None:
    page.locator(f'form[data-step="{action}"] button[type="submit"]').click()


def test_a_member_writes_and_the_head_publishes_a_knowledge_set(page, screenshot):
    km_team = TeamFactory(name="ทีมงาน KM", kind=TeamKind.KM_TEAM)
    group = TeamFactory(name="กลุ่ม KM ที่ 1", kind=TeamKind.KM_GROUP, topic="การจัดตั้งสหกรณ์")
    anan = UserFactory(username="anan", first_name="อนันต์", last_name="มั่นคง")
    wilai = UserFactory(username="wilai", title="นาง", first_name="วิไล", last_name="ศรีสุข")
    UserFactory(username="staff", first_name="ชาติชาย", last_name="ขยันงาน")
    MembershipFactory(person=anan, team=group, role=Role.MEMBER)
    MembershipFactory(person=wilai, team=km_team, role=Role.HEAD)
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))

    # The member starts a how-to guide from its standard form, previews it and saves the draft.
    sign_in(page, "anan", PASSWORD)
    page.goto("/knowledge/")
    page.locator("#new-set").click()
    page.locator('a[data-kind="how_to"]').click()
    expect(page.locator("#id_body")).to_have_value(re.compile("สิ่งที่ต้องเตรียม"))
    page.locator("#id_title").fill("การจัดประชุมใหญ่สามัญประจำปีของสหกรณ์")
    page.locator("#id_summary").fill("ขั้นตอนและกำหนดเวลาการประชุมใหญ่สามัญประจำปี")
    write_markdown(page, "id_body", BODY, mode="markdown")  # raw HTML, for the sanitiser
    page.locator("#id_tag_names").fill("การประชุมใหญ่, สหกรณ์")
    page.locator("[data-km-preview]").click()
    expect(page.locator("#km-preview h2").first).to_have_text("ใช้เมื่อใด")
    screenshot("knowledge-preview")
    page.locator("[data-km-preview]").click()
    page.locator("#save-set").click()

    expect(page.locator("#set-title")).to_have_text("การจัดประชุมใหญ่สามัญประจำปีของสหกรณ์")
    expect(page.locator(".km-workflow .km-status")).to_have_attribute("data-status", "draft")
    expect(page.locator(".km-toc").last).to_contain_text("ขั้นตอน")
    expect(page.locator("article.km-body")).to_contain_text('<script>alert("x")</script>')
    screenshot("knowledge-draft")
    step(page, "submit")
    expect(page.locator(".km-workflow .km-status")).to_have_attribute("data-status", "submitted")
    expect(page.locator('form[data-step="submit"]')).to_have_count(0)
    knowledge_set = KnowledgeSet.objects.get()
    assert knowledge_set.status == Status.SUBMITTED

    # The head finds it waiting on her home page and in her work list, reviews and publishes it.
    page.context.clear_cookies()
    sign_in(page, "wilai", PASSWORD)
    expect(page.locator(".km-for-you")).to_contain_text("การจัดประชุมใหญ่สามัญประจำปีของสหกรณ์")
    page.goto("/knowledge/mine/")
    page.locator(".km-waiting a").first.click()
    step(page, "start_review")
    expect(page.locator(".km-workflow .km-status")).to_have_attribute("data-status", "in_review")
    page.locator("#id_body").fill("ควรระบุแบบรายงานที่ใช้ด้วย")
    page.locator("#add-comment").click()
    expect(page.locator(".km-comments")).to_contain_text("ควรระบุแบบรายงานที่ใช้ด้วย")
    step(page, "approve")
    expect(page.locator(".km-workflow .km-status")).to_have_attribute("data-status", "approved")
    screenshot("knowledge-approved")
    page.locator("#note-publish").fill("ฉบับแรก")
    step(page, "publish")
    expect(page.locator(".km-workflow .km-status")).to_have_attribute("data-status", "published")
    expect(page.locator('.km-log li[data-action="publish"]')).to_contain_text("ฉบับแรก")
    screenshot("knowledge-published")
    knowledge_set.refresh_from_db()
    assert knowledge_set.status == Status.PUBLISHED
    assert knowledge_set.published_version.number == 1
    assert [t.action for t in knowledge_set.transitions.order_by("at", "pk")] == [
        "create", "submit", "start_review", "approve", "publish",
    ]  # fmt: skip

    # Every staff member now finds it in the knowledge sets and may say it was useful.
    page.context.clear_cookies()
    sign_in(page, "staff", PASSWORD)
    page.goto("/knowledge/")
    page.locator(".knowledge-list a", has_text="การจัดประชุมใหญ่สามัญประจำปีของสหกรณ์").click()
    expect(page.locator(".km-workflow")).to_have_count(0)
    page.locator('#useful button[value="yes"]').click()
    expect(page.locator("#useful .km-vote-counts")).to_contain_text("1")
    screenshot("knowledge-reader")
    assert alerts == []  # the text's script never ran
