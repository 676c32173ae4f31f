"""Knowledge sets on the portal's one notification system (issue 14): the right people get the
right kinds, delivered as each kind says (asked to review and submitted at once, the rest in the
digest), in Thai with absolute links, never to someone who may no longer open the set; the
reminders (past the review date, a review waiting too long) go once; the home page and the
workbench show the person's unread notices about sets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.knowledge import notices, services
from apps.knowledge.models import KnowledgeSet, Status, Transition
from apps.notifications import delivery, kinds, reminders
from apps.notifications.kinds import Delivery
from apps.notifications.models import EmailStatus, Notification, SentReminder
from tests.factories import UserFactory
from tests.knowledge.conftest import set_for

pytestmark = pytest.mark.django_db
SITE = "https://km.example.go.th"
SECRET = "ร่างลับเฉพาะผู้เขียน zqxnoticeword"


@pytest.fixture(autouse=True)
def site(settings):
    settings.KM_SITE_URL = SITE
    settings.LANGUAGE_CODE = "th"
    settings.KM_REVIEW_WAITING_DAYS = 7


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def step(by, knowledge_set, action, note=""):
    return services.set_transition(by=by, knowledge_set=knowledge_set, action=action, note=note)


# --- Kinds and who is told ----------------------------------------------------------------------
def test_every_knowledge_kind_is_registered_with_the_sets_own_rule_and_delivery():
    codes = {kind.code for kind in kinds.kinds() if kind.code.startswith("knowledge.")}
    assert (
        set(notices.KIND_OF_EVENT.values())
        | {
            "knowledge.review_due",
            "knowledge.review_waiting",
        }
        == codes
    )
    at_once = {
        kind.code
        for kind in kinds.kinds()
        if kind.code.startswith("knowledge.") and kind.default == Delivery.IMMEDIATE
    }
    # ... and a set awaiting the CKO's sign-off (issue 16, when the office wants that step).
    assert at_once == {"knowledge.submitted", "knowledge.reviewers", "knowledge.signoff_waiting"}
    # No rule of its own: the set's searchable rule (knowledge.view_set) decides.
    assert all(kinds.get(code).may_open is None for code in codes)
    from apps.core import searchables

    assert searchables.for_model(KnowledgeSet) is not None


def test_the_workflow_tells_the_people_concerned_with_the_right_kinds(
    people, django_capture_on_commit_callbacks, process_group
):
    member, secretary, head = people["member"], people["secretary"], people["head"]
    holder = UserFactory(username="r_holder")
    knowledge_set = set_for(people, Status.DRAFT)
    knowledge_set.holders.set([holder])
    with django_capture_on_commit_callbacks(execute=True):
        step(member, knowledge_set, "submit", "พร้อมตรวจ")
    assert told("knowledge.submitted") == {"r_secretary", "r_head", "r_cko"}
    assert {n.delivery for n in Notification.objects.filter(kind="knowledge.submitted")} == {
        Delivery.IMMEDIATE
    }
    # E-mailed at once, in Thai, with the set's absolute link.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "r_cko@example.go.th",
        "r_head@example.go.th",
        "r_secretary@example.go.th",
    ]
    message = mail.outbox[0]
    assert "ส่ง" in message.subject and "เพื่อพิจารณา" in message.subject
    assert knowledge_set.title in message.subject
    assert f"{SITE}/knowledge/{knowledge_set.pk}/" in message.body
    assert "พร้อมตรวจ" in message.body
    html = message.alternatives[0][0]
    assert f'href="{SITE}/knowledge/{knowledge_set.pk}/"' in html

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        step(secretary, knowledge_set, "start_review")
        step(secretary, knowledge_set, "request_changes", "เพิ่มแบบฟอร์ม")
    assert told("knowledge.review_started") == {"r_member"}
    assert told("knowledge.returned") == {"r_member"}
    returned = Notification.objects.get(kind="knowledge.returned")
    assert returned.delivery == Delivery.DIGEST and returned.note == "เพิ่มแบบฟอร์ม"
    assert mail.outbox == []  # the digest kinds wait for the morning

    step(member, knowledge_set, "submit")  # straight back in review (issue 16)
    step(head, knowledge_set, "approve")
    step(head, knowledge_set, "publish")
    assert told("knowledge.approved") == {"r_member", "r_secretary"}
    assert told("knowledge.published") == {"r_member", "r_secretary", "r_holder"}
    step(head, knowledge_set, "archive", "ล้าสมัย")
    step(head, knowledge_set, "reinstate")
    assert told("knowledge.archived") == told("knowledge.reinstated") == {"r_member"}
    step(head, knowledge_set, "revise")
    assert told("knowledge.revised") == {"r_member"}
    # News about a new version under way leads to the working copy.
    revised = Notification.objects.get(kind="knowledge.revised")
    assert revised.get_absolute_url() == reverse("knowledge:working", args=[knowledge_set.pk])


def test_reviewers_asked_are_told_at_once_and_comments_reach_the_authors(
    people, django_capture_on_commit_callbacks
):
    reviewer = UserFactory(username="r_reviewer")
    knowledge_set = set_for(people, Status.SUBMITTED, reviewers=[])
    with django_capture_on_commit_callbacks(execute=True):
        services.reviewers_assign(
            by=people["head"], knowledge_set=knowledge_set, reviewers=[reviewer]
        )
    notice = Notification.objects.get(kind="knowledge.reviewers")
    assert notice.recipient == reviewer and notice.delivery == Delivery.IMMEDIATE
    assert [message.to for message in mail.outbox] == [["r_reviewer@example.go.th"]]
    assert "ขอให้ท่านพิจารณา" in mail.outbox[0].subject

    services.comment_add(
        by=reviewer, knowledge_set=knowledge_set, kind="review", body="ย่อหน้าที่สองไม่ชัด"
    )
    assert told("knowledge.review_comment") == {"r_member"}
    published = set_for(people, Status.PUBLISHED)
    services.comment_add(
        by=people["staff"], knowledge_set=published, kind="question", body="ใช้แบบฟอร์มใด"
    )
    assert told("knowledge.question") == {"r_member"}


# --- Nobody who may not open the set ------------------------------------------------------------
def test_a_reviewer_taken_off_before_the_digest_gets_no_mail_naming_the_set(people, process_group):
    reviewer = UserFactory(username="r_reviewer")
    knowledge_set = set_for(people, Status.IN_REVIEW, title=SECRET, reviewers=[reviewer])
    step(people["head"], knowledge_set, "request_changes", "แก้หัวข้อ")
    assert told("knowledge.returned") == {"r_member", "r_reviewer"}
    services.reviewers_assign(by=people["head"], knowledge_set=knowledge_set, reviewers=[])
    assert not reviewer.has_perm(
        "knowledge.view_set", KnowledgeSet.objects.get(pk=knowledge_set.pk)
    )

    assert delivery.send_digests() == 1
    assert [message.to for message in mail.outbox] == [["r_member@example.go.th"]]
    digest = mail.outbox[0]
    assert "สรุปการแจ้งเตือนประจำวัน" in digest.subject
    assert "ขอให้แก้ไข" in digest.body and "zqxnoticeword" in digest.body
    assert f"{SITE}/knowledge/{knowledge_set.pk}/" in digest.body
    gone = Notification.objects.get(recipient=reviewer)
    assert gone.email_status == EmailStatus.SKIPPED


def test_the_home_page_workbench_and_bell_page_do_not_name_a_set_no_longer_theirs(client, people):
    staff = people["staff"]
    draft = set_for(people, Status.DRAFT, title=SECRET, reviewers=[staff])
    services.set_transition(by=people["member"], knowledge_set=draft, action="submit")
    assert told("knowledge.submitted") >= {"r_staff"}
    draft.reviewers.clear()
    client.force_login(staff)
    for url in ("/", "/knowledge/mine/", "/notifications/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "zqxnoticeword" not in response.content.decode(), url


def test_no_notice_is_written_for_someone_who_may_not_open_the_set(people):
    knowledge_set = set_for(people, Status.DRAFT)
    outsider = UserFactory(username="r_outsider")
    notices.tell(
        knowledge_set=knowledge_set, event="reviewers", actor=people["head"], recipients=[outsider]
    )
    assert not Notification.objects.exists()


# --- The home page and the workbench ------------------------------------------------------------
def test_the_home_page_shows_the_persons_unread_notices_and_opening_the_set_reads_them(
    client_as, people
):
    knowledge_set = set_for(people, Status.DRAFT, title="ชุดความรู้ การตรวจสหกรณ์ zqxhome")
    step(people["member"], knowledge_set, "submit")
    home = client_as("head").get("/").content.decode()
    assert "zqxhome" in home and "ส่ง" in home
    workbench = client_as("head").get(reverse("knowledge:workbench")).content.decode()
    assert "zqxhome" in workbench
    client_as("head").get(knowledge_set.get_absolute_url())
    assert not Notification.objects.filter(recipient=people["head"], read_at__isnull=True)
    assert "zqxhome" not in client_as("head").get("/").content.decode()


def test_mark_all_read_on_the_workbench_leaves_other_apps_notices_unread(client_as, people):
    knowledge_set = set_for(people, Status.DRAFT)
    step(people["member"], knowledge_set, "submit")
    other = Notification.objects.create(
        recipient=people["head"], kind="tests.other", target=people["member"]
    )
    client_as("head").post(reverse("knowledge:notifications_read"))
    assert not Notification.objects.filter(
        recipient=people["head"], kind="knowledge.submitted", read_at__isnull=True
    )
    other.refresh_from_db()
    assert other.read_at is None


# --- Reminders ----------------------------------------------------------------------------------
def test_a_set_past_its_review_date_reminds_its_authors_and_holders_once(people):
    holder = UserFactory(username="r_holder")
    knowledge_set = set_for(people, Status.PUBLISHED)
    knowledge_set.holders.set([holder])
    today = timezone.localdate()
    KnowledgeSet.objects.filter(pk=knowledge_set.pk).update(review_due=today - dt.timedelta(days=3))
    first = reminders.run(today=today, only=["knowledge.review_due"])
    assert (first.sent, first.people) == (1, 2)
    assert told("knowledge.review_due") == {"r_member", "r_holder"}
    assert {n.delivery for n in Notification.objects.all()} == {Delivery.DIGEST}
    # Twice the same day, or the next day: nothing new.
    again = reminders.run(today=today, only=["knowledge.review_due"])
    later = reminders.run(today=today + dt.timedelta(days=1), only=["knowledge.review_due"])
    assert (again.sent, again.already, later.sent) == (0, 1, 0)
    assert Notification.objects.count() == 2
    # Confirmed as current with a new date: reminded again once that date passes.
    services.set_confirm_current(
        by=people["member"], knowledge_set=knowledge_set, review_due=today + dt.timedelta(days=30)
    )
    assert reminders.run(today=today + dt.timedelta(days=10)).sent == 0
    assert (
        reminders.run(today=today + dt.timedelta(days=31), only=["knowledge.review_due"]).sent == 1
    )
    assert SentReminder.objects.filter(kind="knowledge.review_due").count() == 2


def test_a_review_waiting_too_long_reminds_reviewers_and_approvers_once_a_week(people, settings):
    knowledge_set = set_for(people, Status.DRAFT)
    step(people["member"], knowledge_set, "submit")
    Notification.objects.all().delete()
    submitted = timezone.localdate() - dt.timedelta(days=7)
    Transition.objects.filter(knowledge_set=knowledge_set).update(
        at=timezone.now() - dt.timedelta(days=7)
    )
    run = lambda days: reminders.run(  # noqa: E731
        today=submitted + dt.timedelta(days=days), only=["knowledge.review_waiting"]
    )
    assert run(7).sent == 0  # seven days is not more than seven
    assert run(8).sent == 1
    assert told("knowledge.review_waiting") == {"r_secretary", "r_head", "r_cko"}
    assert (run(8).sent, run(9).sent, run(14).sent) == (0, 0, 0)
    assert run(15).sent == 1  # a week later, once more
    assert Notification.objects.filter(kind="knowledge.review_waiting").count() == 6
    # Decided: no more reminders.
    step(people["secretary"], knowledge_set, "start_review")
    step(people["head"], knowledge_set, "approve")
    assert run(22).sent == 0
    # The limit is a setting.
    settings.KM_REVIEW_WAITING_DAYS = 30
    other = set_for(people, Status.DRAFT)
    step(people["member"], other, "submit")
    assert (
        reminders.run(
            today=timezone.localdate() + dt.timedelta(days=20), only=["knowledge.review_waiting"]
        ).sent
        == 0
    )


def test_the_send_reminders_command_runs_the_knowledge_reminders_idempotently(people):
    import io

    from django.core.management import call_command

    knowledge_set = set_for(people, Status.PUBLISHED)
    KnowledgeSet.objects.filter(pk=knowledge_set.pk).update(
        review_due=timezone.localdate() - dt.timedelta(days=1)
    )
    call_command("send_reminders", stdout=io.StringIO())
    call_command("send_reminders", stdout=io.StringIO())
    assert Notification.objects.filter(kind="knowledge.review_due").count() == 1


def test_the_home_page_reads_notices_in_a_fixed_number_of_queries(client_as, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_with(n: int) -> int:
        for _ in range(n):
            knowledge_set = set_for(people, Status.DRAFT)
            step(people["member"], knowledge_set, "submit")
        client = client_as("head")
        client.get("/")  # warm the session and role caches
        with CaptureQueriesContext(connection) as context:
            assert client.get("/").status_code == 200
        return len(context.captured_queries)

    assert queries_with(3) == queries_with(3)  # six unread notices now, three before
