"""The expert directory on the portal's one notification system (issue 14): a suggestion is told
to the KM office people who review it (in their digest), the decision to its suggester; a
suggestion is not searchable, yet its reviewers may open it, so they are told of it."""

import pytest
from django.core import mail

from apps.experts import services
from apps.experts.models import ExpertStatus
from apps.notifications import delivery, kinds
from apps.notifications.kinds import Delivery
from apps.notifications.models import EmailStatus, Notification

from .factories import ExpertFactory
from .test_services import FIELDS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings):
    settings.KM_SITE_URL = "https://km.example.go.th"
    settings.LANGUAGE_CODE = "th"


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_suggestion_is_told_to_the_km_office_in_the_digest(people):
    expert = services.expert_suggest(by=people["staff"], fields=FIELDS)
    # The secretary and the head review suggestions; the CKO and plain staff do not.
    assert told("experts.suggested") == {"r_secretary", "r_head"}
    assert {n.delivery for n in Notification.objects.all()} == {Delivery.DIGEST}
    assert all(n.target == expert for n in Notification.objects.all())
    assert kinds.get("experts.suggested").default == Delivery.DIGEST

    assert delivery.send_digests() == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        "r_head@example.go.th",
        "r_secretary@example.go.th",
    ]
    body = mail.outbox[0].body
    assert "ธนากร" in body and "ทำเนียบวิทยากร" in body
    assert f"https://km.example.go.th/experts/{expert.pk}/" in body


def test_the_suggester_hears_of_approval_and_of_a_decline_with_the_reason(people):
    approved = ExpertFactory(pending=True, suggested_by=people["staff"])
    services.expert_approve(by=people["secretary"], expert=approved)
    declined = ExpertFactory(pending=True, suggested_by=people["member"])
    services.expert_reject(by=people["secretary"], expert=declined, note="ซ้ำกับรายชื่อเดิม")
    assert told("experts.approved") == {"r_staff"}
    assert told("experts.declined") == {"r_member"}
    notice = Notification.objects.get(kind="experts.declined")
    assert "ซ้ำกับรายชื่อเดิม" in notice.sentence()
    # The suggester may still open their declined suggestion, so the e-mail goes.
    assert delivery.send_digests() == 2
    assert Notification.objects.filter(email_status=EmailStatus.SENT).count() == 2


def test_a_reviewer_who_left_the_km_office_before_the_digest_gets_no_mail(people):
    from apps.teams.models import Membership

    services.expert_suggest(by=people["staff"], fields=FIELDS)
    Membership.objects.filter(person=people["head"]).delete()
    assert delivery.send_digests() == 1
    assert [message.to[0] for message in mail.outbox] == ["r_secretary@example.go.th"]
    assert Notification.objects.get(recipient=people["head"]).email_status == EmailStatus.SKIPPED


def test_an_entry_the_km_office_adds_itself_tells_nobody(people):
    services.expert_create(by=people["secretary"], fields=FIELDS)
    expert = ExpertFactory(pending=True, suggested_by=None)
    services.expert_approve(by=people["head"], expert=expert)
    assert expert.__class__.objects.get(pk=expert.pk).status == ExpertStatus.APPROVED
    assert not Notification.objects.exists()
