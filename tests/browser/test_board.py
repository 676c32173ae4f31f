"""The Q&A board in a real browser: a member asks (similar questions appear as the title is
typed), an expert they asked answers, and the member accepts the answer."""

from playwright.sync_api import expect

from apps.board import services
from apps.board.models import Question
from apps.search import indexing
from tests.browser.conftest import sign_in, write_markdown
from tests.conftest import PASSWORD
from tests.experts.factories import ExpertFactory
from tests.factories import UserFactory


def test_a_member_asks_an_expert_answers_and_the_answer_is_accepted(
    page, screenshot, settings, tmp_path
):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    member = UserFactory(username="member1", first_name="จินตนา", last_name="สายทอง")
    expert_person = UserFactory(username="expert1", first_name="สุวิทย์", last_name="ทองคำ")
    expert = ExpertFactory(kind="internal", person=expert_person, first_name="สุวิทย์")
    earlier = services.question_ask(
        by=expert_person,
        title="สหกรณ์ส่งงบการเงินล่าช้าต้องทำอย่างไร",
        body="เลยกำหนด 150 วันแล้ว",
        tags=["การสอบบัญชี"],
    )
    indexing.flush()

    # A member asks, and sees the earlier question while typing the title.
    sign_in(page, "member1", PASSWORD)
    page.goto("/board/")
    page.get_by_role("link", name="ตั้งคำถาม").first.click()
    title = page.get_by_label("คำถาม", exact=False).first
    title.fill("งบการเงินล่าช้า ต้องรายงานนายทะเบียนไหม")
    expect(page.locator("#board-similar")).to_be_visible()
    expect(page.locator("#board-similar-list")).to_contain_text(earlier.title)
    write_markdown(page, "id_body", "สหกรณ์ยังไม่ส่งงบการเงิน **ควรทำอย่างไร**")
    page.locator("#id_tag_names").fill("การสอบบัญชี, กฎหมายสหกรณ์")
    # Experts are picked by typing a name or an area of expertise, as people are (issue 16).
    page.locator("#id_experts-ts-control").focus()
    page.keyboard.type("สุวิทย์")
    page.locator(".ts-dropdown .option", has_text="สุวิทย์").first.click()
    page.locator("#id_experts-ts-control").blur()
    expect(page.locator("#id_experts + .ts-wrapper .item")).to_have_count(1)
    expect(page.locator("#id_experts + .ts-wrapper .item")).to_contain_text(str(expert))
    screenshot("board-ask-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("board-ask-390")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_role("button", name="โพสต์คำถาม").click()
    expect(page.locator(".alert-success")).to_be_visible()
    question = Question.objects.get(title__startswith="งบการเงินล่าช้า")
    assert question.asked.filter(person=expert_person).exists()

    # The expert, told through the bell, answers.
    page.context.clear_cookies()
    sign_in(page, "expert1", PASSWORD)
    page.goto("/board/")
    expect(page.locator("#waiting-for-me")).to_contain_text("งบการเงินล่าช้า")
    page.locator("#waiting-for-me a").first.click()
    write_markdown(page, "id_body", "มีหนังสือเร่งรัดก่อน แล้วรายงานนายทะเบียนสหกรณ์ภายใน 30 วัน")
    page.get_by_role("button", name="โพสต์คำตอบ").click()
    expect(page.locator(".board-answer")).to_contain_text("รายงานนายทะเบียน")

    # The member accepts it.
    page.context.clear_cookies()
    sign_in(page, "member1", PASSWORD)
    page.goto(question.get_absolute_url())
    page.locator(".board-accept").click()
    expect(page.locator(".board-accepted")).to_contain_text("คำตอบที่ยอมรับแล้ว")
    question.refresh_from_db()
    assert question.accepted_answer.author == expert_person
    screenshot("board-thread-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("board-thread-390")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto("/board/")
    screenshot("board-list-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("board-list-390")
    assert member.pk
