"""The review of a knowledge set as the office works it (issue 16): "request changes" sits beside
"approve", not behind a fold; a set sent back and submitted again goes straight back to its
reviewers, without a second "start review"."""

import pytest
from django.urls import reverse

from apps.knowledge import services
from apps.knowledge.models import KnowledgeSet, Status
from apps.notifications.models import Notification
from tests.knowledge.conftest import set_for

pytestmark = pytest.mark.django_db


def step(by, knowledge_set, action, note=""):
    return services.set_transition(by=by, knowledge_set=knowledge_set, action=action, note=note)


def test_request_changes_is_as_visible_as_approve(client_as, people):
    knowledge_set = set_for(people, Status.IN_REVIEW)
    html = client_as("head").get(knowledge_set.get_absolute_url()).content.decode()
    approve = html.index('data-step="approve"')
    changes = html.index('data-step="request_changes"')
    # Both are plain forms on the page: neither sits inside a folded <details>.
    for position in (approve, changes):
        before = html[:position]
        assert before.count("<details") == before.count("</details>")
    assert 'class="btn btn-sm btn-warning"' in html[changes : changes + 2000]


def test_a_set_sent_back_and_submitted_again_goes_straight_to_its_reviewers(people):
    knowledge_set = set_for(people, Status.IN_REVIEW)
    step(people["secretary"], knowledge_set, "request_changes", "เพิ่มตัวชี้วัด")
    Notification.objects.all().delete()
    again = step(people["member"], knowledge_set, "submit", "แก้ไขตามที่ขอแล้ว")
    assert again.status == Status.IN_REVIEW
    last = again.transitions.order_by("-at", "-pk").first()
    assert (last.action, last.from_status, last.to_status) == ("submit", "draft", "in_review")
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert "r_secretary" in told  # the reviewer hears it is back
    # The reviewer goes on at once: approve, with no "start review" in between.
    assert step(people["head"], again, "approve").status == Status.APPROVED


def test_a_first_submission_waits_for_the_review_to_start(people):
    knowledge_set = set_for(people, Status.DRAFT)
    assert step(people["member"], knowledge_set, "submit").status == Status.SUBMITTED


def test_a_withdrawn_set_submitted_again_waits_as_before(people):
    knowledge_set = set_for(people, Status.IN_REVIEW)
    step(people["secretary"], knowledge_set, "request_changes", "เพิ่มตัวชี้วัด")
    step(people["member"], knowledge_set, "submit")
    KnowledgeSet.objects.filter(pk=knowledge_set.pk).update(status=Status.SUBMITTED)
    step(people["member"], knowledge_set, "withdraw")
    assert step(people["member"], knowledge_set, "submit").status == Status.SUBMITTED


def test_without_reviewers_a_resubmitted_set_waits_to_be_picked_up(people):
    knowledge_set = set_for(people, Status.IN_REVIEW, reviewers=[])
    step(people["head"], knowledge_set, "request_changes", "ขาดแหล่งอ้างอิง")
    assert step(people["member"], knowledge_set, "submit").status == Status.SUBMITTED


def test_the_page_after_resubmitting_shows_the_set_in_review(client_as, people):
    knowledge_set = set_for(people, Status.IN_REVIEW)
    step(people["secretary"], knowledge_set, "request_changes", "เพิ่มตัวชี้วัด")
    client = client_as("member")
    response = client.post(
        reverse("knowledge:transition", args=[knowledge_set.pk, "submit"]),
        {"expected": "draft"},
        follow=True,
    )
    assert response.status_code == 200
    assert KnowledgeSet.objects.get(pk=knowledge_set.pk).status == Status.IN_REVIEW
