"""Every template in ``templates/`` renders, in Thai and in English, through a real request."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import override_settings
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.core.views import server_error, storage_full
from apps.library.models import OcrText
from apps.search import indexing
from tests.conftest import PASSWORD
from tests.experts.factories import EngagementFactory, ExpertFactory
from tests.factories import AppointmentOrderFactory, MembershipFactory, TeamFactory, UserFactory
from tests.knowledge.factories import CommentFactory, make_set, publish_version
from tests.library.factories import CategoryFactory, DocumentFileFactory, TagFactory
from tests.meetings.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    MinutesFactory,
)
from tests.plans.factories import (
    ActivityFactory,
    DesiredStateFactory,
    FocusAreaFactory,
    KnowledgeNeedFactory,
    PlanFactory,
    ProgressReportFactory,
)

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates"


def all_project_templates() -> set[str]:
    return {
        str(path.relative_to(TEMPLATE_DIR))
        for path in TEMPLATE_DIR.rglob("*")
        if path.is_file() and path.suffix in {".html", ".txt"}
    }


@pytest.fixture
def rendered():
    names: set[str] = set()

    def record(sender, template, context, **kwargs):
        names.add(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


def visit_every_page(client, rf, user, admin_user):
    """GET (and POST where a page has a second state) every page a person can reach."""
    pages = []

    def get(url, expected=200, data=None, **kwargs):
        response = client.get(url, data, **kwargs)
        assert response.status_code == expected, (url, response.status_code)
        pages.append(response)
        return response

    get(reverse("login"))
    get(reverse("password_reset"))
    client.post(reverse("password_reset"), {"email": user.email})
    get(reverse("password_reset_done"))
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    get(reverse("password_reset_confirm", args=[uid, "bad-token"]))
    token = default_token_generator.make_token(user)
    response = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    assert response.status_code == 200 and response.context["validlink"]
    get(reverse("password_reset_complete"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": admin_user.username, "password": "wrong"})

    client.force_login(user)
    get("/")
    get(user.get_absolute_url())
    get(reverse("accounts:profile_edit"))
    get(reverse("password_change"))
    client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "อีก-2568-ยาวพอ",
            "new_password2": "อีก-2568-ยาวพอ",
        },
    )
    get(reverse("password_change_done"))
    get("/no-such-page/", expected=404)
    get(reverse("core:audit"), expected=403)
    get(reverse("knowledge:notifications_read"), expected=405)
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100):
        assert client.post(reverse("accounts:profile_edit"), {"x": "y" * 200}).status_code == 400
    client.handler.enforce_csrf_checks = True
    client.post(reverse("accounts:profile_edit"), {})
    client.handler.enforce_csrf_checks = False

    client.force_login(admin_user)
    get(reverse("core:audit"))
    # An administration change form of a shared record (it carries the record's version).
    get(reverse("admin:accounts_user_change", args=[user.pk]))
    get(reverse("ops:status"))
    get(reverse("ops:backups"))
    get(reverse("ops:jobs"))
    server_error(rf.get("/"))
    storage_full(rf.post("/library/new/"))

    # The teams app, as the KM secretary sees it (an admin sees the same buttons).
    team = MembershipFactory(person=user, team=TeamFactory(name="กลุ่ม KM ที่ 1")).team
    membership = team.memberships.get()
    order = AppointmentOrderFactory()
    get(reverse("teams:list"))
    get(team.get_absolute_url())
    get(reverse("teams:create"))
    get(reverse("teams:update", args=[team.pk]))
    get(reverse("teams:duties", args=[team.pk]))
    get(reverse("teams:membership_add", args=[team.pk]))
    get(reverse("teams:membership_edit", args=[membership.pk]))
    get(reverse("teams:order_list"))
    get(order.get_absolute_url())
    get(reverse("teams:order_create"))
    get(reverse("teams:order_update", args=[order.pk]))
    get(reverse("teams:directory"))
    get(user.get_absolute_url())

    # The expert directory.
    expert = ExpertFactory()
    EngagementFactory(expert=expert)
    pending = ExpertFactory(pending=True)
    get(reverse("experts:list"))
    get(expert.get_absolute_url())
    get(pending.get_absolute_url())
    get(reverse("experts:suggest"))
    get(reverse("experts:update", args=[expert.pk]))
    get(reverse("experts:review"))
    get(reverse("experts:engagement_add", args=[expert.pk]))

    # The Q&A board: a thread with an accepted answer, a comment, a person asked, a hidden
    # answer (the admin sees it), an unanswered old question; a search that finds nothing.
    from apps.board import services as board

    asked = board.question_ask(
        by=user,
        title="ตรวจนับเงินสดต้องมีใครร่วมนับ",
        body="**ด่วน**",
        tags=["เงินสด"],
        km_step="access",
        ask=[admin_user],
    )
    answer = board.answer_post(by=admin_user, question=asked, body="สองคนขึ้นไป")
    board.answer_accept(by=user, question=asked, answer=answer)
    board.comment_add(by=user, question=asked, answer=answer, text="ขอบคุณครับ")
    board.comment_add(by=admin_user, question=asked, text="เพิ่มเติมในมุมความรู้")
    hidden = board.answer_post(by=user, question=asked, body="คำตอบที่ซ่อน")
    board.answer_hide(by=admin_user, answer=hidden)
    waiting = board.question_ask(by=user, title="คำถามที่ยังไม่มีคำตอบ")
    type(waiting).objects.filter(pk=waiting.pk).update(
        created_at=waiting.created_at.replace(year=2020)
    )
    get(reverse("board:list"))
    get(reverse("board:list"), data={"show": "unanswered"})
    get(reverse("board:ask"), data={"title": "ปันผล"})
    get(asked.get_absolute_url())
    get(reverse("board:edit", args=[asked.pk]))
    get(reverse("board:answer", args=[asked.pk]))
    get(reverse("board:comment", args=[asked.pk]))
    get(reverse("board:ask_people", args=[asked.pk]))
    get(reverse("board:answer_edit", args=[answer.pk]))
    get(reverse("board:unanswered"))
    get(admin_user.get_absolute_url())  # the "who knows about" panel
    indexing.flush()
    get(reverse("search:results"), data={"q": "ไม่มีคำนี้ในระบบแน่นอน"})

    # The library, with a category tree, tags and a replaced document.
    category = CategoryFactory(name="กฎหมาย")
    CategoryFactory(name="พระราชบัญญัติ", parent=category)
    newer = DocumentFileFactory(document__category=category).document
    older = DocumentFileFactory(document__replaced_by=newer).document
    older.tags.add(TagFactory())
    get(reverse("library:list"))
    get(newer.get_absolute_url())
    get(older.get_absolute_url())
    get(reverse("library:create"))
    get(reverse("library:update", args=[older.pk]))
    get(reverse("library:add_files", args=[older.pk]))
    # A law uploaded as one file, opened at one of its sections (a search result links there).
    law = DocumentFileFactory(
        content="มาตรา 1 ชื่อ\nมาตรา 2 วันใช้บังคับ\nมาตรา 3 ผู้รักษาการ".encode(),
        document__doc_type="law",
    ).document
    get(f"{law.get_absolute_url()}?section=มาตรา 2")
    # A scanned file in each OCR state, its machine-read text, and the page that corrects it.
    scanned = DocumentFileFactory(text="", text_status="none", mime="image/png")
    for status in ("waiting", "running", "done", "failed", "unavailable"):
        OcrText.objects.update_or_create(
            file=scanned,
            defaults={
                "status": status,
                "pages": [1, 2],
                "pages_done": 1,
                "machine_text": "ข้อความที่เครื่องอ่าน",
                "confidence": 91.5,
                "error": "1: timed out after 120 s" if status == "failed" else "",
            },
        )
        get(scanned.document.get_absolute_url())
    get(reverse("library:ocr_correct", args=[scanned.pk]))
    get("/")  # the home page lists the new documents

    # Search: the empty page, and results with facets (the index follows the records above).
    get(reverse("search:results"))
    indexing.flush()
    get(reverse("search:results"), data={"q": "หนังสือเวียน"})

    # The KM plan: a plan with every kind of row, its progress, and a meeting with minutes.
    plan = PlanFactory()
    area = FocusAreaFactory(plan=plan)
    DesiredStateFactory(plan=plan, focus_area=area)
    KnowledgeNeedFactory(plan=plan).holders.add(user)
    activity = ActivityFactory(plan=plan, owners=[user])
    year = plan.fiscal_year
    get(reverse("plans:list"))
    get(reverse("plans:create"))
    get(plan.get_absolute_url())
    get(reverse("plans:update", args=[year]))
    get(reverse("plans:need_create", args=[year]))
    get(reverse("plans:area_update", args=[area.pk]))
    get(reverse("plans:activity_create", args=[year]))
    client.post(reverse("plans:submit", args=[year]))
    client.post(reverse("plans:approve", args=[year]))
    ProgressReportFactory(activity=activity, reported_by=user)
    get(reverse("plans:history", args=[year]))
    get(activity.get_absolute_url())
    get(reverse("plans:report_create", args=[activity.pk]))
    get(reverse("plans:steps"), data={"year": year})
    get(reverse("plans:progress", args=[year]))
    get(reverse("plans:progress_print", args=[year]))
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, person=user)
    item = AgendaItemFactory(meeting=meeting, activity=activity)
    MinutesFactory(meeting=meeting)
    action = ActionItemFactory(meeting=meeting, agenda_item=item, owner=user, activity=activity)
    get(reverse("meetings:list"))
    get(reverse("meetings:create"))
    get(meeting.get_absolute_url())
    get(reverse("meetings:update", args=[meeting.pk]))
    get(reverse("meetings:agenda", args=[meeting.pk]))
    get(reverse("meetings:attendance", args=[meeting.pk]))
    get(reverse("meetings:minutes", args=[meeting.pk]))
    get(reverse("meetings:minutes_print", args=[meeting.pk]))
    get(reverse("meetings:action_update", args=[action.pk]))
    # The secretary's one meeting page; a revision of the plan compared with the version in force
    # (issue 16).
    get(reverse("meetings:record", args=[meeting.pk]))
    client.post(reverse("plans:revise", args=[year]), {"note": "ทบทวนกิจกรรม"})
    get(plan.get_absolute_url())
    get(user.get_absolute_url())  # the plans panel: the action item and the activity
    # The home page's KM section (as the admin): an invitation and an activity due a report.
    AttendanceFactory(meeting=meeting, person=admin_user)
    ActivityFactory(plan=plan, owners=[admin_user])
    get("/")
    # Knowledge sets, as the admin sees them (every button): a published set with two versions,
    # a question and a reply, a new version in review with a review comment, and a draft.
    published = make_set("published", authors=[user], title="ขั้นตอนการจัดตั้งสหกรณ์")
    published.body += "\n## เพิ่มเติม\n\nขั้นตอนใหม่\n"
    published.save()
    publish_version(published)
    question = CommentFactory(knowledge_set=published, author=user, kind="question")
    CommentFactory(knowledge_set=published, author=admin_user, parent=question)
    revising = make_set("in_review", authors=[user], published=True)
    CommentFactory(knowledge_set=revising, author=admin_user, kind="review", section="ขั้นตอน")
    make_set("draft", authors=[user])
    get(reverse("knowledge:list"))
    get(published.get_absolute_url())
    get(reverse("knowledge:working", args=[revising.pk]))
    get(reverse("knowledge:print", args=[published.pk]))
    get(reverse("knowledge:history", args=[published.pk]))
    get(reverse("knowledge:version", args=[published.pk, 1]))
    get(reverse("knowledge:compare", args=[published.pk]))
    get(reverse("knowledge:create"))
    get(reverse("knowledge:create"), data={"kind": "faq"})
    get(reverse("knowledge:update", args=[revising.pk]))
    get(reverse("knowledge:attachment_add", args=[revising.pk]))
    get(reverse("knowledge:workbench"))
    get(user.get_absolute_url())
    # Communities of practice (as the admin, who sees every button): a community on the plan's
    # activity with a session (BAR and AAR) and an asset, then the asset promoted.
    from tests.community.factories import community_with_work

    work = community_with_work(by=admin_user, facilitator=user, activity=activity)
    community, session, asset = work["community"], work["session"], work["asset"]
    get(reverse("community:list"))
    get(reverse("community:create"))
    get(community.get_absolute_url())
    get(reverse("community:update", args=[community.pk]))
    get(reverse("community:members", args=[community.pk]))
    get(reverse("community:session_create", args=[community.pk]))
    get(session.get_absolute_url())
    get(reverse("community:session_notes", args=[session.pk]))
    get(reverse("community:asset_create", args=[community.pk]), data={"session": session.pk})
    get(asset.get_absolute_url())
    get(reverse("community:asset_update", args=[asset.pk]))
    client.post(reverse("community:asset_promote", args=[asset.pk]))
    get(asset.get_absolute_url())
    get(activity.get_absolute_url())
    get(user.get_absolute_url())
    # The dashboards: the office's (with its figures' lists and print view) and the personal one.
    get(reverse("dashboard:office"), data={"year": year})
    get(reverse("dashboard:office_print"), data={"year": year})
    for kind in ("activities", "sets", "documents"):
        get(reverse("dashboard:list", args=[kind]), data={"year": year})
    get(reverse("dashboard:list", args=["activities"]), data={"status": "bad"})
    get(reverse("dashboard:personal"))

    # Learning and development, as the admin (an organiser and a mentor) sees it.
    from tests.learning.factories import make_event, make_pair, make_rotation, register

    event = make_event(by=admin_user, description="## วาระ\n\n- ภาคเช้า")
    attended = register(event, admin_user, attended=True)
    pair = make_pair(mentor=admin_user, mentee=user, skills=["ตรวจเอกสาร"], goals="- เป้าหมาย")
    rotation = make_rotation(person=user, learned="ได้เรียนรู้", aar_keep="ทำต่อ")
    get(reverse("learning:home"))
    get(reverse("learning:event_list"))
    get(reverse("learning:event_list"), data={"when": "past"})
    get(event.get_absolute_url())
    get(reverse("learning:event_create"))
    get(reverse("learning:event_update", args=[event.pk]))
    get(reverse("learning:event_attendance", args=[event.pk]))
    get(reverse("learning:event_evaluate", args=[event.pk]))
    get(reverse("learning:event_aar", args=[event.pk]))
    assert client.get(reverse("learning:certificate", args=[attended.pk])).status_code == 200
    get(reverse("learning:pair_list"))
    get(pair.get_absolute_url())
    get(reverse("learning:pair_create"))
    get(reverse("learning:pair_update", args=[pair.pk]))
    get(reverse("learning:session_add", args=[pair.pk]))
    get(reverse("learning:skills_add", args=[pair.pk]))
    get(reverse("learning:rotation_list"))
    get(rotation.get_absolute_url())
    get(reverse("learning:rotation_create"))
    get(reverse("learning:rotation_review", args=[rotation.pk]))
    get(admin_user.get_absolute_url())  # the mentoring-given panel
    get(reverse("dashboard:personal"))

    # Notifications: the bell's page (a notice, then none unread), the settings, both e-mails.
    from apps.knowledge.notices import COMMENTED, REVIEW_ASKED
    from apps.notifications import delivery, services

    user.email = user.email or "somchai@example.go.th"
    user.save()
    services.notify(
        kind=COMMENTED.code, recipients=[admin_user, user], target=published, actor=None
    )
    client.force_login(user)
    get(reverse("notifications:list"))
    get(reverse("notifications:list"), data={"show": "unread"})
    get(reverse("notifications:preferences"))
    notices = services.notify(
        kind=REVIEW_ASKED.code, recipients=[user], target=published, actor=admin_user
    )
    delivery.send_now([notice.pk for notice in notices])  # renders the one-notice e-mail
    assert delivery.send_digests() >= 1  # and the digest
    return pages


@pytest.fixture
def home_section():
    """A landing-page section like the ones later apps register, listing people."""
    from apps.accounts.models import User
    from apps.core import portal

    section = portal.HomeSection("test-people", "People", lambda request: list(User.objects.all()))
    portal.register_home_section(section)
    yield section
    portal._home.pop(section.key)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["th", "en"])
def test_every_template_renders(client, rf, rendered, language, home_section, settings, tmp_path):
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    user = UserFactory(username="somchai")
    admin_user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    visit_every_page(client, rf, user, admin_user)
    missing = all_project_templates() - rendered
    assert missing == set(), f"templates no test renders: {sorted(missing)}"


@pytest.mark.parametrize(
    ("text", "length", "shown"),
    [
        ("", 5, ""),
        ("สหกรณ์", 6, "สหกรณ์"),  # as long as allowed: whole, no mark
        ("สหกรณ์การเกษตร", 6, "สหกรณ…"),
        ("<b>ก</b>", 3, "<b…"),  # cut as text; the page escapes it as any other text
        ("abc", 0, "…"),
    ],
)
def test_clip_keeps_the_start_of_a_long_text(text, length, shown):
    from apps.core.templatetags.portal_tags import clip

    assert clip(text, length) == shown


@pytest.mark.django_db
def test_a_documents_long_text_is_shown_clipped_and_escaped(client_as):
    stored = DocumentFileFactory(text="<i>ก</i>" + "ข" * 5000 + "ท้ายสุด")
    page = client_as("staff").get(stored.document.get_absolute_url()).content.decode()
    assert "&lt;i&gt;ก&lt;/i&gt;" + "ข" * 3991 + "…" in page
    assert "ท้ายสุด" not in page and "<i>ก" not in page
