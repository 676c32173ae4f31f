import io

import pytest
from django.core import mail
from django.core.management import call_command

from apps.knowledge.models import (
    Comment,
    CommentKind,
    KnowledgeSet,
    Status,
    Transition,
    Version,
)
from apps.notifications.models import Notification
from apps.teams.models import TeamKind

pytestmark = pytest.mark.django_db


def people_prefer(username: str) -> dict[str, str]:
    from apps.notifications.models import Preference

    return dict(
        Preference.objects.filter(person__username=username).values_list("kind", "delivery")
    )


def test_the_demo_has_the_four_groups_topics_at_different_stages_and_is_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    counts = [
        model.objects.count()
        for model in (KnowledgeSet, Version, Transition, Comment, Notification)
    ]
    by_group = {
        knowledge_set.group.name: knowledge_set
        for knowledge_set in KnowledgeSet.objects.filter(group__kind=TeamKind.KM_GROUP)
    }
    assert sorted(by_group) == [f"กลุ่ม KM ที่ {n}" for n in range(1, 5)]
    first, second, third, fourth = (by_group[f"กลุ่ม KM ที่ {n}"] for n in range(1, 5))
    assert first.status == Status.PUBLISHED and first.published_version.number == 2
    assert first.comments.filter(kind=CommentKind.QUESTION).exists()
    assert first.attachments.exists() and first.documents.exists() and first.votes.exists()
    assert second.status == Status.IN_REVIEW
    assert second.comments.filter(kind=CommentKind.REVIEW).count() >= 2
    assert third.status == Status.APPROVED
    assert third.transitions.filter(action="request_changes").exists()
    assert fourth.status == Status.DRAFT
    assert KnowledgeSet.objects.filter(status=Status.ARCHIVED).exists()
    assert any(k.is_review_due for k in KnowledgeSet.objects.all())
    assert mail.outbox == []  # the demo sends no email
    # Each person involved has a believable list of notices, none of them waiting to be mailed:
    # the reviewers were asked to review, the authors heard how their sets fared, and the owners
    # of the set past its review date were reminded of it.
    knowledge = Notification.objects.filter(kind__startswith="knowledge.")
    kinds_of = lambda name: set(  # noqa: E731
        knowledge.filter(recipient__username=name).values_list("kind", flat=True)
    )
    assert {"knowledge.reviewers", "knowledge.review_comment"} <= kinds_of("kannika")
    assert {"knowledge.review_started", "knowledge.review_comment"} <= kinds_of("suwit")
    assert "knowledge.review_due" in kinds_of("pranee")
    assert knowledge.filter(read_at__isnull=True).exists()
    assert knowledge.filter(read_at__isnull=False).exists()
    assert not Notification.objects.filter(email_status="waiting").exists()
    assert people_prefer("kannika") == {"knowledge.review_comment": "off"}

    call_command("seed_demo", stdout=io.StringIO())
    assert [
        model.objects.count()
        for model in (KnowledgeSet, Version, Transition, Comment, Notification)
    ] == counts
