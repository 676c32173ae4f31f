"""A notice about a knowledge set names it only to someone who may still open it: a reviewer
taken off a draft (or a staff member who was once told of it) sees neither its title on the home
page or the workbench, nor gets an e-mail naming it."""

import pytest
from django.core import mail

from apps.knowledge import notifications
from apps.knowledge.models import Notification
from tests.factories import UserFactory
from tests.knowledge.factories import make_set

pytestmark = pytest.mark.django_db
SECRET = "ร่างลับเฉพาะผู้เขียน zqxnoticeword"


@pytest.fixture
def told_then_removed(people):
    """A draft written by the member; plain staff were its reviewer, were told of it and were
    then taken off (the notice stays)."""
    author = people["member"]
    staff = people["staff"]
    staff.email = "staff@example.go.th"
    staff.save(update_fields=["email"])
    draft = make_set(title=SECRET, authors=[author], reviewers=[staff])
    notice = Notification.objects.create(
        recipient=staff, knowledge_set=draft, actor=author, event="submit"
    )
    draft.reviewers.clear()
    return staff, draft, notice


def test_the_home_page_and_workbench_do_not_name_a_set_the_recipient_may_not_open(
    client, told_then_removed
):
    staff, draft, _notice = told_then_removed
    assert not staff.has_perm("knowledge.view_set", draft)
    client.force_login(staff)
    for url in ("/", "/knowledge/mine/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "zqxnoticeword" not in response.content.decode(), url


def test_no_email_names_a_set_the_recipient_may_not_open(told_then_removed):
    _staff, _draft, notice = told_then_removed
    notifications.send_emails([notice.pk])
    assert mail.outbox == []


def test_a_recipient_who_may_open_the_set_still_sees_and_gets_it(client, people):
    reviewer = UserFactory(username="r_reviewer", email="reviewer@example.go.th")
    draft = make_set(title=SECRET, authors=[people["member"]], reviewers=[reviewer])
    notice = Notification.objects.create(
        recipient=reviewer, knowledge_set=draft, actor=people["member"], event="submit"
    )
    client.force_login(reviewer)
    assert "zqxnoticeword" in client.get("/knowledge/mine/").content.decode()
    notifications.send_emails([notice.pk])
    assert len(mail.outbox) == 1 and "zqxnoticeword" in mail.outbox[0].subject
