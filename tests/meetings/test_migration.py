"""The upgrade that moved meetings out of the plans app keeps every record and every pointer to
them: the rows (now in ``meetings_*`` tables), their content types (so the audit trail and any
permission given to a person follow), and the search index's uids (the kind ``km_meeting`` did
not change). And the way back restores the old state."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("meetings", None), ("plans", "0003_lock_version_for_concurrent_edits")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_state():
    """The models as they were just before the move (every other app as it is now, but apps
    built on the meetings app since, such as communities of practice, which did not exist)."""
    graph = MigrationExecutor(connection).loader.graph
    nodes = [
        node
        for node in latest()
        if node[0] not in {"plans", "meetings"}
        and not any(app == "meetings" for app, _name in graph.forwards_plan(node))
    ]
    nodes.append(BEFORE[1])
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def seed_old(apps) -> dict:
    """Meetings as the plans app kept them, with an audit entry, a permission given to a
    person and a queued index update pointing at them."""
    User = apps.get_model("accounts", "User")
    Team = apps.get_model("teams", "Team")
    Plan = apps.get_model("plans", "Plan")
    Activity = apps.get_model("plans", "Activity")
    Meeting = apps.get_model("plans", "Meeting")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    IndexTask = apps.get_model("search", "IndexTask")

    secretary = User.objects.create(username="pranee", first_name="ปราณี")
    team = Team.objects.create(name="ทีมงาน KM", kind="km_team")
    plan = Plan.objects.create(fiscal_year=2568, title="แผน KM 2568")
    activity = Activity.objects.create(
        plan=plan,
        title="ชุมชนนักปฏิบัติ",
        km_step="share",
        start_date=dt.date(2024, 10, 1),
        end_date=dt.date(2025, 9, 30),
        indicator="จำนวนครั้ง",
        target="4 ครั้ง",
    )
    held = Meeting.objects.create(
        team=team,
        fiscal_year=2568,
        number=1,
        title="การประชุมคณะทำงาน KM",
        date=dt.date(2025, 1, 15),
        start_time=dt.time(9, 30),
        place="ห้องประชุม",
        status="held",
        called_by=secretary,
    )
    later = Meeting.objects.create(
        team=team,
        fiscal_year=2568,
        number=2,
        title="การประชุมคณะทำงาน KM",
        date=dt.date(2025, 2, 15),
        start_time=dt.time(9, 30),
        place="ห้องประชุม",
    )
    apps.get_model("plans", "Attendance").objects.create(
        meeting=held, person=secretary, status="present", meeting_role="เลขานุการ"
    )
    item = apps.get_model("plans", "AgendaItem").objects.create(
        meeting=held, section=4, title="แนวทาง CoP", km_step="share", activity=activity
    )
    apps.get_model("plans", "Minutes").objects.create(
        meeting=held,
        opened_at=dt.time(9, 30),
        recorder=secretary,
        status="adopted",
        adopted_at=later,
    )
    apps.get_model("plans", "ActionItem").objects.create(
        meeting=held,
        agenda_item=item,
        activity=activity,
        description="จัดประชุม CoP ครั้งแรก",
        owner=secretary,
        due_date=dt.date(2025, 3, 1),
    )
    meeting_type, _ = ContentType.objects.get_or_create(app_label="plans", model="meeting")
    permission, _ = Permission.objects.get_or_create(
        content_type=meeting_type, codename="change_meeting", defaults={"name": "Can change"}
    )
    secretary.user_permissions.add(permission)
    LogEntry.objects.create(
        content_type=meeting_type,
        object_pk=str(held.pk),
        object_id=held.pk,
        object_repr="การประชุมคณะทำงาน KM",
        action=1,
        changes={"title": ["", "การประชุมคณะทำงาน KM"]},
    )
    IndexTask.objects.create(uid=f"km_meeting:{held.pk}")
    return {
        "held": held.pk,
        "later": later.pk,
        "type": meeting_type.pk,
        "user": secretary.pk,
        "permission": permission.pk,
    }


def as_before_the_move(apps) -> None:
    """A database of the old release has no ``meetings`` content types; the test database may
    (the flush between transactional tests remakes them for today's models, and earlier tests
    may leave old ones), and with both present the upgrade rightly keeps both apart: start from
    the moved models' content types as the seed below makes them, as in a real old database."""
    types = apps.get_model("contenttypes", "ContentType").objects
    moved = ["meeting", "attendance", "agendaitem", "minutes", "actionitem"]
    types.filter(app_label="meetings").delete()
    # and no leftovers of earlier tests in this process: the seed makes the old ones afresh
    types.filter(app_label="plans", model__in=moved).delete()


def test_upgrading_moves_meetings_with_their_data_and_back():
    migrate(BEFORE)
    apps = old_state()
    as_before_the_move(apps)
    before = seed_old(apps)
    tables = set(connection.introspection.table_names())
    assert "plans_meeting" in tables and "meetings_meeting" not in tables

    migrate(latest())

    from auditlog.models import LogEntry
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from apps.accounts.models import User
    from apps.meetings.models import ActionItem, AgendaItem, Attendance, Meeting, Minutes
    from apps.search.indexing import documents_for

    tables = set(connection.introspection.table_names())
    moved = {"meeting", "attendance", "agendaitem", "minutes", "actionitem"}
    assert {f"meetings_{name}" for name in moved} <= tables
    assert not {f"plans_{name}" for name in moved} & tables

    held = Meeting.objects.get(pk=before["held"])
    assert (held.reference, held.status, held.team.name) == ("1/2568", "held", "ทีมงาน KM")
    assert held.called_by_id == before["user"]
    assert held.minutes.adopted_at_id == before["later"] and held.minutes.is_adopted
    assert [a.meeting_role for a in held.attendances.all()] == ["เลขานุการ"]
    item = AgendaItem.objects.get(meeting=held)
    assert item.activity.title == "ชุมชนนักปฏิบัติ"
    action = ActionItem.objects.get()
    assert (action.agenda_item, action.activity) == (item, item.activity)
    assert Attendance.objects.count() == 1 and Minutes.objects.count() == 1

    # The same content type row, relabelled: the audit entry and the permission follow it.
    ContentType.objects.clear_cache()
    meeting_type = ContentType.objects.get_for_model(Meeting)
    assert meeting_type.pk == before["type"]
    assert not ContentType.objects.filter(app_label="plans", model="meeting").exists()
    entry = LogEntry.objects.get(content_type=meeting_type)
    assert entry.object_id == held.pk
    person = User.objects.get(pk=before["user"])
    assert person.has_perm("meetings.change_meeting")
    assert Permission.objects.get(pk=before["permission"]).content_type == meeting_type

    # A queued index update made before the upgrade still finds its meeting.
    docs, gone = documents_for([f"km_meeting:{held.pk}"])
    assert [doc["title"] for doc in docs] == [str(held)] and gone == []

    # New meetings take the next numbers of the renamed tables.
    later = Meeting.objects.get(pk=before["later"])
    copy = Meeting.objects.create(
        team=later.team,
        fiscal_year=2568,
        number=3,
        title="ครั้งที่ 3",
        date=dt.date(2025, 3, 15),
        start_time=dt.time(9, 30),
        place="ห้องประชุม",
    )
    assert copy.pk > later.pk

    # And back: the old tables and labels, with the rows.
    migrate(BEFORE)
    state = old_state()
    assert state.get_model("plans", "Meeting").objects.count() == 3
    assert state.get_model("plans", "ActionItem").objects.get().description == action.description
    old_types = state.get_model("contenttypes", "ContentType").objects
    assert old_types.get(pk=before["type"]).app_label == "plans"
    migrate(latest())
