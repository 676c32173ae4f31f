"""Every workflow step from every state by every role: what is legal moves the set and is recorded;
a wrong role (403), an invisible set (404), a wrong state or a replayed POST changes nothing."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.knowledge import services
from apps.knowledge.models import Action, KnowledgeSet, Status, Transition
from apps.notifications.models import Notification
from tests.conftest import ROLES
from tests.knowledge.conftest import set_for

pytestmark = pytest.mark.django_db

# The member writes the sets (author), the secretary reviews them (reviewer).
ALLOWED = {
    "submit": {"member", "admin"},
    "withdraw": {"member", "admin"},
    "start_review": {"secretary", "head", "cko", "admin"},
    "request_changes": {"secretary", "head", "cko", "admin"},
    "approve": {"head", "cko", "admin"},
    "publish": {"head", "cko", "admin"},
    "revise": {"member", "head", "cko", "admin"},
    "archive": {"head", "cko", "admin"},
    "reinstate": {"head", "cko", "admin"},
}
SOURCE = {
    "submit": Status.DRAFT,
    "withdraw": Status.SUBMITTED,
    "start_review": Status.SUBMITTED,
    "request_changes": Status.IN_REVIEW,
    "approve": Status.IN_REVIEW,
    "publish": Status.APPROVED,
    "revise": Status.PUBLISHED,
    "archive": Status.PUBLISHED,
    "reinstate": Status.ARCHIVED,
}
TARGET = {
    "submit": Status.SUBMITTED,
    "withdraw": Status.DRAFT,
    "start_review": Status.IN_REVIEW,
    "request_changes": Status.DRAFT,
    "approve": Status.APPROVED,
    "publish": Status.PUBLISHED,
    "revise": Status.DRAFT,
    "archive": Status.ARCHIVED,
    "reinstate": Status.PUBLISHED,
}
# Who sees a set in each state: a published one everybody; the others the people involved.
INVOLVED = {"member", "secretary", "head", "cko", "admin"}
SEES = dict.fromkeys(Status.values, INVOLVED) | {Status.PUBLISHED: INVOLVED | {"staff"}}
SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def expected(action: str, status: str, role: str) -> str:
    if role not in SEES[status]:
        return "not found"
    if role not in ALLOWED[action]:
        return "forbidden"
    if status != SOURCE[action]:
        return "wrong state"
    return "moved"


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_every_step_from_every_state_by_every_role(client_as, people, action):
    failures = []
    for status in Status.values:
        for role in SIGNED_IN:
            knowledge_set = set_for(people, status)
            client = client_as(role)
            url = reverse("knowledge:transition", args=[knowledge_set.pk, action])
            response = client.post(url, {"note": "บันทึกประกอบ"})
            outcome = expected(action, status, role)
            knowledge_set.refresh_from_db()
            steps = list(knowledge_set.transitions.all())
            code = {"not found": 404, "forbidden": 403}.get(outcome, 302)
            if outcome == "moved":
                ok = (
                    response.status_code == 302
                    and knowledge_set.status == TARGET[action]
                    and [(s.action, s.from_status, s.to_status) for s in steps]
                    == [(action, status, TARGET[action])]
                    and steps[0].actor == people[role]
                    and steps[0].note == "บันทึกประกอบ"
                )
            else:
                ok = response.status_code == code and knowledge_set.status == status and not steps
                if outcome == "wrong state":
                    shown = [m.level_tag for m in get_messages(response.wsgi_request)]
                    ok = ok and shown == ["warning"]
            if not ok:
                failures.append((action, status, role, outcome, response.status_code))
    assert failures == []


def test_the_anonymous_are_sent_to_sign_in_and_nothing_moves(client, people):
    knowledge_set = set_for(people, Status.DRAFT)
    response = client.post(reverse("knowledge:transition", args=[knowledge_set.pk, "submit"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    knowledge_set.refresh_from_db()
    assert knowledge_set.status == Status.DRAFT


def test_a_get_never_moves_a_set(client_as, people):
    knowledge_set = set_for(people, Status.DRAFT)
    url = reverse("knowledge:transition", args=[knowledge_set.pk, "submit"])
    assert client_as("member").get(url).status_code == 405
    knowledge_set.refresh_from_db()
    assert knowledge_set.status == Status.DRAFT


def test_an_unknown_step_is_not_found(client_as, people):
    knowledge_set = set_for(people, Status.DRAFT)
    url = reverse("knowledge:transition", args=[knowledge_set.pk, "delete-everything"])
    assert client_as("admin").post(url).status_code == 404


def test_a_replayed_post_changes_nothing_the_second_time(client_as, people):
    knowledge_set = set_for(people, Status.IN_REVIEW)
    client = client_as("head")
    url = reverse("knowledge:transition", args=[knowledge_set.pk, "approve"])
    form = {"expected": Status.IN_REVIEW}

    first = client.post(url, form)
    second = client.post(url, form)

    knowledge_set.refresh_from_db()
    assert first.status_code == second.status_code == 302
    assert knowledge_set.status == Status.APPROVED
    assert knowledge_set.transitions.count() == 1
    # The first answer said it was done; the replay says why nothing was done.
    assert [m.level_tag for m in get_messages(second.wsgi_request)] == ["success", "warning"]


def test_a_page_that_is_out_of_date_changes_nothing(client_as, people):
    # GIVEN the head's page showed the set in review, WHEN the CKO approved it meanwhile,
    # THEN "publish" from the stale page is refused although publishing would now be legal.
    knowledge_set = set_for(people, Status.IN_REVIEW)
    services.set_transition(by=people["cko"], knowledge_set=knowledge_set, action="approve")
    url = reverse("knowledge:transition", args=[knowledge_set.pk, "publish"])
    response = client_as("head").post(url, {"expected": Status.IN_REVIEW})
    knowledge_set.refresh_from_db()
    assert response.status_code == 302
    assert knowledge_set.status == Status.APPROVED and not knowledge_set.versions.exists()


@pytest.mark.parametrize("action", ["request_changes", "archive"])
def test_some_steps_need_a_note(client_as, people, action):
    knowledge_set = set_for(people, SOURCE[action])
    url = reverse("knowledge:transition", args=[knowledge_set.pk, action])
    response = client_as("head").post(url, {"note": "   "})
    knowledge_set.refresh_from_db()
    assert response.status_code == 302
    assert knowledge_set.status == SOURCE[action] and not knowledge_set.transitions.exists()
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]


def test_services_check_roles_and_states_themselves(people):
    knowledge_set = set_for(people, Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.set_transition(by=people["member"], knowledge_set=knowledge_set, action="approve")
    with pytest.raises(services.WorkflowError):
        services.set_transition(by=people["member"], knowledge_set=knowledge_set, action="submit")
    with pytest.raises(ValidationError):
        services.set_transition(
            by=people["secretary"], knowledge_set=knowledge_set, action="request_changes"
        )
    with pytest.raises(services.WorkflowError):
        services.set_transition(by=people["admin"], knowledge_set=knowledge_set, action="fly")
    knowledge_set.refresh_from_db()
    assert knowledge_set.status == Status.IN_REVIEW and not knowledge_set.transitions.exists()


def test_a_set_goes_from_draft_to_published_and_through_a_second_version(people):
    member, reviewer, head = people["member"], people["secretary"], people["head"]
    knowledge_set = set_for(people, Status.DRAFT)

    def step(by, action, note=""):
        return services.set_transition(by=by, knowledge_set=knowledge_set, action=action, note=note)

    step(member, "submit")
    step(reviewer, "start_review")
    step(reviewer, "request_changes", "เพิ่มตัวอย่าง")
    # Sent again after the changes, it goes straight back to its reviewers (issue 16).
    assert step(member, "submit").status == Status.IN_REVIEW
    step(head, "approve")
    published = step(head, "publish", "ฉบับแรก")
    assert published.status == Status.PUBLISHED and published.published_version.number == 1
    assert published.published_version.note == "ฉบับแรก"
    assert published.review_due is not None  # a year from now unless the owners chose

    revising = step(member, "revise")
    KnowledgeSet.objects.filter(pk=revising.pk).update(title="ชื่อใหม่", body="## ใหม่")
    revising.refresh_from_db()
    assert revising.has_pending_revision and revising.display_title != "ชื่อใหม่"
    step(member, "submit")
    step(reviewer, "start_review")
    step(people["cko"], "approve")
    second = step(people["cko"], "publish")
    assert second.published_version.number == 2 and second.display_title == "ชื่อใหม่"
    assert list(second.versions.values_list("number", flat=True)) == [2, 1]
    step(head, "archive", "ล้าสมัย")
    step(head, "reinstate")
    actions = list(second.transitions.order_by("at", "pk").values_list("action", flat=True))
    assert actions == [
        "submit", "start_review", "request_changes", "submit", "approve",
        "publish", "revise", "submit", "start_review", "approve", "publish", "archive",
        "reinstate",
    ]  # fmt: skip


def test_the_people_concerned_are_told_on_their_home_page_and_by_email(
    client_as, people, django_capture_on_commit_callbacks
):
    knowledge_set = set_for(people, Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_transition(by=people["member"], knowledge_set=knowledge_set, action="submit")
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    # The reviewer, the head and the CKO hear of it; the member who did it does not.
    assert told == {"r_secretary", "r_head", "r_cko"}
    assert sorted(message.to[0] for message in mail.outbox) == [
        "r_cko@example.go.th",
        "r_head@example.go.th",
        "r_secretary@example.go.th",
    ]
    home = client_as("head").get("/")
    assert knowledge_set.title in home.content.decode()
    # Opening the set marks the notice read; it leaves the home page.
    client_as("head").get(knowledge_set.get_absolute_url())
    assert not Notification.objects.filter(recipient=people["head"], read_at__isnull=True)


def test_a_refused_step_sends_no_email(people, django_capture_on_commit_callbacks):
    knowledge_set = set_for(people, Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.set_transition(by=people["head"], knowledge_set=knowledge_set, action="submit")
    assert mail.outbox == [] and not Notification.objects.exists()


def test_a_mail_server_that_is_down_breaks_nothing(
    people, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMultiAlternatives

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    knowledge_set = set_for(people, Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_transition(by=people["member"], knowledge_set=knowledge_set, action="submit")
    knowledge_set.refresh_from_db()
    assert knowledge_set.status == Status.SUBMITTED
    # The notice stays; its e-mail waits for the job's next try.
    notice = Notification.objects.get(recipient=people["secretary"])
    assert notice.email_status == "waiting" and notice.emailed_at is None


def test_the_workflow_is_shown_with_who_and_when_on_the_set_page(client_as, people):
    knowledge_set = set_for(people, Status.DRAFT)
    services.set_transition(
        by=people["member"], knowledge_set=knowledge_set, action="submit", note="พร้อมตรวจ"
    )
    page = client_as("secretary").get(knowledge_set.get_absolute_url()).content.decode()
    assert 'data-action="submit"' in page and "พร้อมตรวจ" in page
    assert str(people["member"]) in page
    # The reviewer is offered the review; the author's submit button is gone.
    assert 'data-step="start_review"' in page and 'data-step="submit"' not in page


def test_only_the_people_involved_see_the_workflow_of_a_published_set(client_as, people):
    knowledge_set = set_for(people, Status.PUBLISHED)
    Transition.objects.create(
        knowledge_set=knowledge_set, action=Action.PUBLISH, from_status="approved",
        to_status="published", note="บันทึกภายใน",
    )  # fmt: skip
    assert (
        "บันทึกภายใน" not in client_as("staff").get(knowledge_set.get_absolute_url()).content.decode()
    )
    assert "บันทึกภายใน" in client_as("member").get(knowledge_set.get_absolute_url()).content.decode()


def test_reviewers_are_assigned_by_the_head_and_never_the_authors(client_as, people, process_group):
    knowledge_set = set_for(people, Status.SUBMITTED, reviewers=[])
    url = reverse("knowledge:reviewers", args=[knowledge_set.pk])
    client = client_as("head")
    client.post(url, {"reviewers": [people["member"].pk]})
    assert not knowledge_set.reviewers.exists()
    client.post(url, {"reviewers": [people["secretary"].pk]})
    assert list(knowledge_set.reviewers.all()) == [people["secretary"]]
    assert Notification.objects.filter(
        recipient=people["secretary"], kind="knowledge.reviewers"
    ).exists()
    # A reviewer sees the set from now on, and may start the review.
    assert client_as("secretary").get(knowledge_set.get_absolute_url()).status_code == 200
    assert client_as("member").post(url, {"reviewers": []}).status_code == 403
