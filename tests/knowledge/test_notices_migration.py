"""The upgrade that moved the knowledge sets' own notices into the portal's one notification
system (issue 14): every old notice becomes a notice about its set, with its kind, actor, note,
time and read mark; none of them is e-mailed. And the way back brings them back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("knowledge", "0002_lock_version_for_concurrent_edits"),
    ("notifications", "0001_initial"),
]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_state():
    """The models just before the move (every other app as it is now, but apps built since on
    a later knowledge or notifications migration, such as communities of practice)."""
    graph = MigrationExecutor(connection).loader.graph
    allowed = {step for target in BEFORE for step in graph.forwards_plan(target)}
    nodes = [
        node
        for node in latest()
        if node[0] not in {"knowledge", "notifications"}
        and not any(
            app in {"knowledge", "notifications"} and (app, name) not in allowed
            for app, name in graph.forwards_plan(node)
        )
    ]
    return MigrationExecutor(connection).loader.project_state([*nodes, *BEFORE]).apps


def test_old_notices_become_notifications_about_their_set_and_back():
    migrate(BEFORE)
    apps = old_state()
    user_model = apps.get_model("accounts", "User")
    set_model = apps.get_model("knowledge", "KnowledgeSet")
    old_model = apps.get_model("knowledge", "Notification")
    author = user_model.objects.create(username="suwit", first_name="สุวิทย์")
    head = user_model.objects.create(username="wilai", first_name="วิไล")
    knowledge_set = set_model.objects.create(title="การตรวจการสหกรณ์", body="", status="draft")
    read = dt.datetime(2026, 7, 11, 8, 0, tzinfo=dt.UTC)
    made = dt.datetime(2026, 7, 10, 8, 0, tzinfo=dt.UTC)
    events = ["submit", "request_changes", "reviewers", "review_comment", "publish", "oddity"]
    for n, event in enumerate(events):
        old_model.objects.create(
            recipient=author,
            knowledge_set=knowledge_set,
            actor=head,
            event=event,
            note=f"บันทึก {n}",
            created_at=made + dt.timedelta(minutes=n),
            read_at=read if n % 2 == 0 else None,
        )

    migrate(latest())

    from django.contrib.contenttypes.models import ContentType

    from apps.knowledge.models import KnowledgeSet as Current
    from apps.notifications.models import Notification

    assert "knowledge_notification" not in connection.introspection.table_names()
    ContentType.objects.clear_cache()
    moved = list(Notification.objects.order_by("created_at"))
    assert [notice.kind for notice in moved] == [
        "knowledge.submitted",
        "knowledge.returned",
        "knowledge.reviewers",
        "knowledge.review_comment",
        "knowledge.published",
        "knowledge.oddity",  # an event the table does not know keeps its name
    ]
    target = Current.objects.get(pk=knowledge_set.pk)
    assert all(notice.target == target for notice in moved)
    assert [notice.note for notice in moved] == [f"บันทึก {n}" for n in range(6)]
    assert [notice.read_at for notice in moved] == [read, None] * 3
    assert [notice.created_at for notice in moved] == [
        made + dt.timedelta(minutes=n) for n in range(6)
    ]
    assert {(notice.recipient_id, notice.actor_id) for notice in moved} == {(author.pk, head.pk)}
    # Nothing old is mailed: no notice waits for an e-mail.
    assert {notice.email_status for notice in moved} == {"skipped"}
    from apps.notifications import delivery

    assert delivery.send_digests() == 0
    # They read as notices about the set.
    assert "การตรวจการสหกรณ์" in moved[0].sentence()

    # And back: the old table with the rows.
    migrate(BEFORE)
    old_model = old_state().get_model("knowledge", "Notification")
    back = list(old_model.objects.order_by("created_at").values_list("event", "read_at", "note"))
    assert back == [
        (event, read if n % 2 == 0 else None, f"บันทึก {n}") for n, event in enumerate(events)
    ]
    migrate(latest())
