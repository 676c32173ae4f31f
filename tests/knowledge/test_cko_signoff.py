"""The CKO's final sign-off as a step of its own (issue 16, ``KM_KNOWLEDGE_CKO_SIGNOFF``): with the
setting on, the head's approval leaves the set awaiting the CKO's sign-off; only the CKO (and
administrators) sign it off or send it back with a reason; the CKO is told at once and the authors
when it is signed off. With the setting off, the head's approval is the last word, as before."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.knowledge import services
from apps.knowledge.models import KnowledgeSet, Status
from apps.notifications.kinds import Delivery
from apps.notifications.models import Notification
from tests.conftest import ROLES
from tests.knowledge.conftest import set_for

pytestmark = pytest.mark.django_db
SIGNED_IN = [role for role in ROLES if role != "anonymous"]
# The member writes the set, the secretary reviews it; only the CKO (and admins) sign off.
MAY_SIGN_OFF = {"cko", "admin"}
INVOLVED = {"member", "secretary", "head", "cko", "admin"}


@pytest.fixture
def signoff(settings):
    settings.KM_KNOWLEDGE_CKO_SIGNOFF = True


def step(by, knowledge_set, action, note=""):
    return services.set_transition(by=by, knowledge_set=knowledge_set, action=action, note=note)


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


# --- The service, with the setting off and on ----------------------------------------------------
def test_without_the_setting_the_heads_approval_is_the_last_word(people, settings):
    settings.KM_KNOWLEDGE_CKO_SIGNOFF = False
    knowledge_set = set_for(people, Status.IN_REVIEW)
    assert step(people["head"], knowledge_set, "approve").status == Status.APPROVED
    assert told("knowledge.signoff_waiting") == set()
    # No sign-off step exists outside its state: the CKO cannot "sign off" an approved set.
    with pytest.raises(services.WorkflowError):
        step(people["cko"], knowledge_set, "sign_off")


def test_with_the_setting_the_heads_approval_waits_for_the_cko(people, signoff):
    knowledge_set = set_for(people, Status.IN_REVIEW)
    waiting = step(people["head"], knowledge_set, "approve", "ผ่านการตรวจของคณะทำงาน")
    assert waiting.status == Status.AWAITING_SIGNOFF
    # Not yet publishable: publishing needs an approved set.
    with pytest.raises(services.WorkflowError):
        step(people["head"], knowledge_set, "publish")
    signed = step(people["cko"], knowledge_set, "sign_off", "รับรอง")
    assert signed.status == Status.APPROVED
    published = step(people["head"], knowledge_set, "publish")
    assert published.status == Status.PUBLISHED and published.published_version.number == 1
    log = [
        (t.action, t.from_status, t.to_status, t.actor.username)
        for t in knowledge_set.transitions.order_by("at", "pk")
    ]
    assert log == [
        ("approve", "in_review", "awaiting_signoff", "r_head"),
        ("sign_off", "awaiting_signoff", "approved", "r_cko"),
        ("publish", "approved", "published", "r_head"),
    ]


def test_the_ckos_own_approval_is_the_sign_off(people, signoff):
    knowledge_set = set_for(people, Status.IN_REVIEW)
    assert step(people["cko"], knowledge_set, "approve").status == Status.APPROVED
    assert told("knowledge.signoff_waiting") == set()


def test_the_cko_sends_a_set_back_with_a_reason_and_it_returns_to_its_reviewers(people, signoff):
    knowledge_set = set_for(people, Status.IN_REVIEW)
    step(people["head"], knowledge_set, "approve")
    with pytest.raises(ValidationError):
        step(people["cko"], knowledge_set, "return_signoff", "  ")
    knowledge_set.refresh_from_db()
    assert knowledge_set.status == Status.AWAITING_SIGNOFF
    back = step(people["cko"], knowledge_set, "return_signoff", "ขอเพิ่มตัวชี้วัด")
    assert back.status == Status.DRAFT
    notes = set(
        Notification.objects.filter(kind="knowledge.returned").values_list("note", flat=True)
    )
    assert notes == {"ขอเพิ่มตัวชี้วัด"}
    assert told("knowledge.returned") == {"r_member", "r_secretary"}
    # Like the head's "request changes": submitted again, it goes straight back into review.
    assert step(people["member"], knowledge_set, "submit").status == Status.IN_REVIEW


@pytest.mark.parametrize("role", ["head", "secretary", "member", "staff"])
def test_the_service_refuses_a_sign_off_by_anyone_but_the_cko(people, signoff, role):
    knowledge_set = set_for(people, Status.AWAITING_SIGNOFF)
    for action, note in (("sign_off", ""), ("return_signoff", "เหตุผล")):
        with pytest.raises(PermissionDenied):
            step(people[role], knowledge_set, action, note)
    knowledge_set.refresh_from_db()
    assert knowledge_set.status == Status.AWAITING_SIGNOFF
    assert not knowledge_set.transitions.exists()


# --- Notices --------------------------------------------------------------------------------------
def test_the_cko_is_told_at_once_and_the_authors_when_it_is_signed_off(
    people, signoff, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "th"
    knowledge_set = set_for(people, Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        step(people["head"], knowledge_set, "approve", "เห็นชอบ")
    assert told("knowledge.signoff_waiting") == {"r_cko"}
    asked = Notification.objects.get(kind="knowledge.signoff_waiting")
    assert asked.delivery == Delivery.IMMEDIATE and asked.note == "เห็นชอบ"
    assert [message.to[0] for message in mail.outbox] == ["r_cko@example.go.th"]
    assert knowledge_set.title in mail.outbox[0].subject
    # The authors (and reviewers) hear that the head approved it ...
    assert told("knowledge.approved") == {"r_member", "r_secretary"}
    assert told("knowledge.signed_off") == set()
    step(people["cko"], knowledge_set, "sign_off")
    # ... and that the CKO signed it off; never the actor.
    assert told("knowledge.signed_off") == {"r_member", "r_secretary"}


# --- The page and the permission matrix ---------------------------------------------------------
def test_the_cko_sees_sign_off_beside_send_back_and_the_others_see_the_step(
    client_as, people, signoff
):
    knowledge_set = set_for(people, Status.AWAITING_SIGNOFF)
    html = client_as("cko").get(knowledge_set.get_absolute_url()).content.decode()
    sign = html.index('data-step="sign_off"')
    back = html.index('data-step="return_signoff"')
    for position in (sign, back):  # neither behind a fold
        before = html[:position]
        assert before.count("<details") == before.count("</details>")
    assert 'class="btn btn-sm btn-success"' in html[sign : sign + 2000]
    assert 'class="btn btn-sm btn-warning"' in html[back : back + 2000]
    assert 'data-status="awaiting_signoff"' in html
    for role in ("head", "secretary", "member"):
        page = client_as(role).get(knowledge_set.get_absolute_url())
        text = page.content.decode()
        assert page.status_code == 200 and 'data-status="awaiting_signoff"' in text
        assert 'data-step="sign_off"' not in text and 'data-step="return_signoff"' not in text
        assert "ลงนามรับรอง" in text


def test_a_set_awaiting_sign_off_is_seen_as_one_in_review(client_as, people, signoff):
    knowledge_set = set_for(people, Status.AWAITING_SIGNOFF)
    for role in SIGNED_IN:
        response = client_as(role).get(knowledge_set.get_absolute_url())
        assert response.status_code == (200 if role in INVOLVED else 404), role
    visible = {
        role
        for role in SIGNED_IN
        if KnowledgeSet.objects.visible_to(people[role]).filter(pk=knowledge_set.pk).exists()
    }
    assert visible == INVOLVED


@pytest.mark.parametrize("action", ["sign_off", "return_signoff"])
def test_who_may_sign_off_every_role_and_state(client_as, people, signoff, action):
    failures = []
    for status in Status.values:
        for role in SIGNED_IN:
            knowledge_set = set_for(people, status)
            url = reverse("knowledge:transition", args=[knowledge_set.pk, action])
            response = client_as(role).post(url, {"note": "บันทึกประกอบ"})
            knowledge_set.refresh_from_db()
            steps = list(knowledge_set.transitions.all())
            sees = role in INVOLVED or status == Status.PUBLISHED
            if not sees:
                ok = response.status_code == 404 and not steps
            elif role not in MAY_SIGN_OFF:
                ok = response.status_code == 403 and not steps
            elif status != Status.AWAITING_SIGNOFF:
                shown = [m.level_tag for m in get_messages(response.wsgi_request)]
                ok = response.status_code == 302 and not steps and shown == ["warning"]
            else:
                target = Status.APPROVED if action == "sign_off" else Status.DRAFT
                ok = (
                    response.status_code == 302
                    and knowledge_set.status == target
                    and [(s.action, s.to_status, s.actor) for s in steps]
                    == [(action, target, people[role])]
                )
            if not ok:
                failures.append((status, role, response.status_code))
    assert failures == []


def test_the_head_is_told_the_set_now_awaits_the_cko(client_as, people, signoff):
    knowledge_set = set_for(people, Status.IN_REVIEW)
    url = reverse("knowledge:transition", args=[knowledge_set.pk, "approve"])
    response = client_as("head").post(url, {"expected": Status.IN_REVIEW})
    knowledge_set.refresh_from_db()
    assert knowledge_set.status == Status.AWAITING_SIGNOFF
    shown = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert shown == [("success", "อนุมัติชุดความรู้แล้ว และรอ CKO ลงนามรับรอง")]
