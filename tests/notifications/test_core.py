"""The notification core: who is told, e-mail at once / digest / off, access checked at send
time, reminders sent once, the bell and the notifications page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.notifications import delivery, kinds, reminders, services
from apps.notifications.kinds import Delivery, Kind
from apps.notifications.models import EmailStatus, Notification, SentReminder
from tests.factories import UserFactory

# The target is a person's page; who may open it is set per test through ``CLOSED``.
CLOSED: set[int] = set()


def _may_open(user, target) -> bool:
    return user.pk not in CLOSED


@pytest.fixture(autouse=True)
def test_kinds(settings):
    settings.KM_SITE_URL = "https://km.example.go.th"
    settings.KM_ORGANISATION_NAME = "สำนักงานทดสอบ"
    CLOSED.clear()
    made = [
        Kind(
            code=f"tests.{delivery_}",
            group="การทดสอบ",
            label=f"ทดสอบ {delivery_}",
            sentence="%(actor)s แจ้งเรื่อง “%(title)s”",
            default=delivery_,
            title=lambda target: f"หน้าของ {target.first_name}",
            may_open=_may_open,
        )
        for delivery_ in Delivery.values
    ]
    for kind in made:
        kinds.register(kind)
    yield made
    for kind in made:
        kinds._KINDS.pop(kind.code, None)


@pytest.fixture
def cast(db):
    return {
        "actor": UserFactory(username="actor", first_name="ผู้แจ้ง", email="actor@example.go.th"),
        "a": UserFactory(username="a", first_name="อรุณ", email="a@example.go.th"),
        "b": UserFactory(username="b", first_name="บุญ", email="b@example.go.th", language="en"),
        "target": UserFactory(username="target", first_name="ธนา"),
    }


def _notify(cast, kind="tests.immediate", people=("a", "b"), **extra):
    return services.notify(
        kind=kind,
        recipients=[cast[name] for name in people],
        target=cast["target"],
        actor=cast["actor"],
        **extra,
    )


def test_notify_tells_each_person_once_never_the_actor_nor_who_may_not_open(cast):
    CLOSED.add(cast["b"].pk)
    inactive = UserFactory(username="gone", is_active=False)
    notices = services.notify(
        kind="tests.digest",
        recipients=[cast["a"], cast["a"], cast["b"], cast["actor"], inactive],
        target=cast["target"],
        actor=cast["actor"],
    )
    assert [notice.recipient for notice in notices] == [cast["a"]]
    assert Notification.objects.count() == 1


def test_unknown_kind_is_a_programming_error(cast):
    with pytest.raises(ValueError, match="unknown notification kind"):
        _notify(cast, kind="tests.nope")


def test_immediate_mail_goes_after_commit_in_each_readers_language(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(cast, note="ขอให้ตรวจภายในวันศุกร์")
        assert mail.outbox == []  # nothing before the change commits
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"a@example.go.th", "b@example.go.th"}
    thai, english = by_address["a@example.go.th"], by_address["b@example.go.th"]
    actor = str(cast["actor"])
    assert thai.subject == f"[สำนักงานทดสอบ] {actor} แจ้งเรื่อง “หน้าของ ธนา”"
    assert f"เรียน {cast['a']}" in thai.body
    assert "ขอให้ตรวจภายในวันศุกร์" in thai.body
    link = "https://km.example.go.th" + cast["target"].get_absolute_url()
    assert link in thai.body
    html, mimetype = thai.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in html
    assert "https://km.example.go.th/notifications/settings/" in thai.body
    assert f"Dear {cast['b']}" in english.body and "Open it in the portal" in english.body
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.SENT}


def test_mail_is_not_sent_about_what_the_reader_can_no_longer_open(
    cast, django_capture_on_commit_callbacks
):
    notices = _notify(cast, kind="tests.digest")
    CLOSED.add(cast["a"].pk)  # taken off the record before the digest went
    assert delivery.send_digests() == 1
    assert [message.to for message in mail.outbox] == [["b@example.go.th"]]
    statuses = dict(
        Notification.objects.filter(pk__in=[n.pk for n in notices]).values_list(
            "recipient__username", "email_status"
        )
    )
    assert statuses == {"a": EmailStatus.SKIPPED, "b": EmailStatus.SENT}


def test_digest_gathers_a_day_into_one_mail_and_never_sends_twice(cast):
    _notify(cast, kind="tests.digest", people=("a",))
    _notify(cast, kind="tests.digest", people=("a",), note="ครั้งที่สอง")
    assert mail.outbox == []
    assert delivery.send_digests() == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert body.count("หน้าของ ธนา") == 2 and "การทดสอบ" in body
    assert "2 รายการ" in mail.outbox[0].subject
    assert delivery.send_digests() == 0 and len(mail.outbox) == 1


def test_off_means_the_bell_only_and_preferences_override_the_default(
    cast, django_capture_on_commit_callbacks
):
    services.set_preferences(
        by=cast["a"], person=cast["a"], choices={"tests.immediate": Delivery.OFF}
    )
    with django_capture_on_commit_callbacks(execute=True):
        _notify(cast)
    assert [message.to for message in mail.outbox] == [["b@example.go.th"]]
    off = Notification.objects.get(recipient=cast["a"])
    assert off.delivery == Delivery.OFF and off.email_status == EmailStatus.SKIPPED
    assert off.read_at is None  # still in the bell


def test_only_the_person_chooses_their_preferences(cast):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        services.set_preferences(by=cast["b"], person=cast["a"], choices={})
    with pytest.raises(ValidationError):
        services.set_preferences(by=cast["a"], person=cast["a"], choices={"tests.x": "off"})
    with pytest.raises(ValidationError):
        services.set_preferences(by=cast["a"], person=cast["a"], choices={"tests.digest": "hourly"})


def test_a_failed_send_waits_for_the_retry_then_is_marked_failed(cast, monkeypatch):
    notices = _notify(cast, people=("a",))
    ids = [notice.pk for notice in notices]

    def refuse(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(delivery.SendFailedError):
        delivery.send_now(ids, last_try=False)
    assert Notification.objects.get(pk=ids[0]).email_status == EmailStatus.WAITING
    assert delivery.send_now(ids, last_try=True) == 0
    assert Notification.objects.get(pk=ids[0]).email_status == EmailStatus.FAILED
    monkeypatch.undo()
    assert delivery.send_now(ids) == 0 and mail.outbox == []  # failed for good: not resent


def test_two_sends_of_the_same_notices_mail_once(cast):
    ids = [notice.pk for notice in _notify(cast)]
    assert delivery.send_now(ids) == 2
    assert delivery.send_now(ids) == 0
    assert len(mail.outbox) == 2


# --- Reminders ------------------------------------------------------------------------------------
@pytest.fixture
def due_reminders(cast):
    def produce(today):
        yield reminders.Reminder(
            key=f"tests.due:{cast['target'].pk}:{today.isoformat()}",
            kind="tests.digest",
            recipients=(cast["a"], cast["b"]),
            target=cast["target"],
            note="ครบกำหนดส่งรายงาน",
        )

    reminders.register("tests.due", produce)
    yield
    reminders._PRODUCERS.pop("tests.due", None)


def test_reminders_run_twice_the_same_day_send_nothing_new(cast, due_reminders):
    import datetime as dt

    day = dt.date(2026, 12, 7)
    first = reminders.run(today=day, only=["tests.due"])
    assert (first.sent, first.people, first.already) == (1, 2, 0)
    second = reminders.run(today=day, only=["tests.due"])
    assert (second.sent, second.already) == (0, 1)
    assert Notification.objects.count() == 2
    assert SentReminder.objects.get().recipients == 2
    third = reminders.run(today=day + dt.timedelta(days=1), only=["tests.due"])
    assert third.sent == 1 and Notification.objects.count() == 4


def test_send_reminders_command_reports_and_rejects_unknown_names(cast, due_reminders):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("send_reminders", "--date", "2026-12-07", "--only", "tests.due", stdout=out)
    assert "1 sent to 2 people" in out.getvalue()
    assert "Digests sent: 2" in out.getvalue()
    out = StringIO()
    call_command("send_reminders", "--date", "2026-12-07", "--only", "tests.due", stdout=out)
    assert "0 sent" in out.getvalue() and "1 sent before" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("send_reminders", "--only", "tests.nothing")


# --- Pages --------------------------------------------------------------------------------------
def test_bell_shows_the_unread_count_with_one_query(client, cast):
    _notify(cast, kind="tests.off")
    client.force_login(cast["a"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("core:home"))
    # The bell's count (the home page's knowledge box reads its own notices too).
    bell = [
        q["sql"]
        for q in queries
        if "notifications_notification" in q["sql"] and "COUNT(" in q["sql"].upper()
    ]
    assert len(bell) == 1
    assert 'data-unread="1"' in page.content.decode()


def test_page_lists_opens_and_marks_read_without_naming_closed_records(client, cast):
    notices = _notify(cast, kind="tests.off")
    client.force_login(cast["a"])
    page = client.get(reverse("notifications:list")).content.decode()
    assert f"{cast['actor']} แจ้งเรื่อง “หน้าของ ธนา”" in page
    CLOSED.add(cast["a"].pk)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "หน้าของ ธนา" not in page
    response = client.get(reverse("notifications:open", args=[notices[0].pk]))
    assert response.status_code == 302 and response.url == reverse("notifications:list")
    CLOSED.clear()
    other = _notify(cast, kind="tests.off", people=("a",))[0]
    response = client.get(reverse("notifications:open", args=[other.pk]))
    assert response.url == cast["target"].get_absolute_url()
    assert not Notification.objects.filter(recipient=cast["a"], read_at__isnull=True).exists()


def test_someone_elses_notice_is_a_404_and_mark_all_read_is_mine_only(client, cast):
    notices = _notify(cast, kind="tests.off")
    mine = next(n for n in notices if n.recipient == cast["a"])
    theirs = next(n for n in notices if n.recipient == cast["b"])
    client.force_login(cast["a"])
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_read")).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert client.get(reverse("notifications:mark_read")).status_code == 405


def test_preferences_page_saves_choices_and_language(client, cast):
    client.force_login(cast["a"])
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "ทดสอบ digest" in page
    data = {f"kind:{kind.code}": kind.default for kind in kinds.kinds()}
    data["kind:tests.digest"] = Delivery.IMMEDIATE
    data["language"] = "en"
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    cast["a"].refresh_from_db()
    assert cast["a"].language == "en"
    assert services.deliveries_for([cast["a"]], kinds.get("tests.digest")) == {
        cast["a"].pk: Delivery.IMMEDIATE
    }
    data["kind:tests.digest"] = "hourly"
    response = client.post(reverse("notifications:preferences"), data)
    assert "ยังไม่ได้บันทึก" in response.content.decode()
    assert response.status_code == 200 and "hourly" not in str(
        services.deliveries_for([cast["a"]], kinds.get("tests.digest"))
    )


def test_switching_the_page_language_sets_the_email_language(client, cast):
    client.force_login(cast["a"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cast["a"].refresh_from_db()
    assert cast["a"].language == "en"


def test_a_note_the_sentence_already_quotes_is_not_shown_twice(client, cast):
    quoting = Kind(
        code="tests.quoting",
        group="การทดสอบ",
        label="ทดสอบ",
        sentence="%(actor)s รายงาน “%(title)s”: %(note)s",
        default=Delivery.IMMEDIATE,
        may_open=_may_open,
    )
    kinds.register(quoting)
    try:
        notice = _notify(cast, kind="tests.quoting", people=("a",), note="ร้อยละ 60")[0]
        assert not notice.note_apart
        client.force_login(cast["a"])
        page = client.get(reverse("notifications:list")).content.decode()
        assert page.count("ร้อยละ 60") == 1
        delivery.send_now([notice.pk])
        assert mail.outbox[0].body.count("ร้อยละ 60") == 1
        plain = _notify(cast, kind="tests.off", people=("a",), note="ขอบคุณ")[0]
        assert plain.note_apart
    finally:
        kinds._KINDS.pop("tests.quoting", None)


def test_a_queue_that_cannot_take_the_email_job_never_fails_the_change(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from apps.notifications import tasks

    def unreachable(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks, "send_now", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        notices = _notify(cast, people=("a",))  # no exception after the commit
    assert mail.outbox == []
    assert Notification.objects.get(pk=notices[0].pk).email_status == EmailStatus.WAITING
    assert delivery.send_waiting() == 0  # too soon: the job may still be on its way
    later = timezone.now() + dt.timedelta(minutes=3)
    assert delivery.send_waiting(now=later) == 1
    assert [message.to for message in mail.outbox] == [["a@example.go.th"]]
    assert delivery.send_waiting(now=later) == 0
