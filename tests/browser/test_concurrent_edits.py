"""Two tabs editing the same knowledge set: the later save is refused with what the other tab
changed, nothing typed is lost, and saving again keeps both tabs' work."""

from playwright.sync_api import expect

from apps.knowledge.models import KnowledgeSet
from apps.teams.models import Role, TeamKind
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.conftest import PASSWORD
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.knowledge.factories import make_set


def test_two_tabs_editing_the_same_draft(page):
    group = TeamFactory(name="กลุ่ม KM ที่ 1", kind=TeamKind.KM_GROUP)
    anan = UserFactory(username="anan", first_name="อนันต์", last_name="มั่นคง")
    MembershipFactory(person=anan, team=group, role=Role.MEMBER)
    knowledge_set = make_set(title="การจัดประชุมใหญ่สามัญประจำปี", summary="สรุปเดิม", authors=[anan])
    edit = f"/knowledge/{knowledge_set.pk}/edit/"
    sign_in(page, "anan", PASSWORD)
    first = page
    second = page.context.new_page()
    first.goto(edit)
    second.goto(edit)

    # The first tab renames the set and saves.
    first.locator("#id_title").fill("การจัดประชุมใหญ่สามัญประจำปีของสหกรณ์")
    first.locator("#save-set").click()
    expect(first.locator("#set-title")).to_have_text("การจัดประชุมใหญ่สามัญประจำปีของสหกรณ์")

    # The second tab, still showing the old page, rewrites the summary and saves: refused.
    second.locator("#id_summary").fill("ขั้นตอนและกำหนดเวลาที่สหกรณ์ต้องปฏิบัติ")
    second.locator("#save-set").click()
    conflict = second.locator("#edit-conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("การจัดประชุมใหญ่สามัญประจำปีของสหกรณ์")
    expect(second.locator("#set-form .alert-danger")).to_contain_text("ระหว่างที่คุณกำลังแก้ไข")
    expect(second.locator("#id_summary")).to_have_value("ขั้นตอนและกำหนดเวลาที่สหกรณ์ต้องปฏิบัติ")
    expect(second.locator("#id_title")).to_have_value("การจัดประชุมใหญ่สามัญประจำปีของสหกรณ์")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    second.screenshot(path=str(ARTIFACTS / "knowledge-two-tabs-conflict.png"), full_page=True)
    knowledge_set.refresh_from_db()
    assert knowledge_set.summary == "สรุปเดิม"

    # Saving again on purpose keeps both tabs' work.
    second.locator("#save-set").click()
    expect(second.locator("#set-title")).to_have_text("การจัดประชุมใหญ่สามัญประจำปีของสหกรณ์")
    saved = KnowledgeSet.objects.get(pk=knowledge_set.pk)
    assert (saved.title, saved.summary) == (
        "การจัดประชุมใหญ่สามัญประจำปีของสหกรณ์",
        "ขั้นตอนและกำหนดเวลาที่สหกรณ์ต้องปฏิบัติ",
    )
