"""An archive made by an older release restores, migrated forward (the README's promise).

``fixtures/kmportal-0.1.0-plans-meetings.tar.gz`` was made by the release before meetings moved
from the plans app into their own (``plans.Meeting`` in ``plans_meeting``, now
``meetings.Meeting`` in ``meetings_meeting``; see ``fixtures/README.md``). The restore loads its
rows into the models of the archive's migration state, then the newer migrations move them.
"""

import json
from pathlib import Path

import pytest

from .instance import (
    Instance,
    assert_same_contents,
    fresh_postgres_database,
    postgres_available,
    read_archive,
)

OLD_ARCHIVE = Path(__file__).parent / "fixtures" / "kmportal-0.1.0-plans-meetings.tar.gz"
MOVED = ("meeting", "attendance", "agendaitem", "minutes", "actionitem")
MOVED_LABELS = {"Meeting", "Attendance", "AgendaItem", "Minutes", "ActionItem"}

needs_postgres = pytest.mark.skipif(not postgres_available(), reason="no PostgreSQL server")


def restore(target: Instance, path, *extra: str) -> str:
    result = target.manage("restore", str(path), *extra)
    assert "check_index: clean" in result.stdout, result.stdout
    return result.stdout


def moved_on(value):
    """An old row's value as the portal writes it now: the moved models' content types and
    permissions (natural keys) name the meetings app."""
    if isinstance(value, list):
        if len(value) in (2, 3) and value[-2:-1] == ["plans"] and value[-1] in MOVED:
            return [*value[:-2], "meetings", value[-1]]
        return [moved_on(item) for item in value]
    if isinstance(value, dict):
        return {key: moved_on(item) for key, item in value.items()}
    return value


def new_label(label: str) -> str:
    if label == "knowledge.Notification":
        return "notifications.Notification"  # issue 14: one notification system
    app, model = label.split(".")
    return f"meetings.{model}" if app == "plans" and model in MOVED_LABELS else label


# The knowledge sets' own notices (``knowledge.Notification``) became notices of the portal's one
# notification system about their set (issue 14; ``knowledge/migrations/0003``).
NOTICE_KINDS = {
    "submit": "knowledge.submitted",
    "start_review": "knowledge.review_started",
    "request_changes": "knowledge.returned",
    "approve": "knowledge.approved",
    "publish": "knowledge.published",
    "revise": "knowledge.revised",
    "archive": "knowledge.archived",
    "reviewers": "knowledge.reviewers",
    "comment": "knowledge.commented",
    "question": "knowledge.question",
    "review_comment": "knowledge.review_comment",
}


def old_notice(fields: dict) -> tuple:
    return (
        fields["recipient"],
        fields["actor"],
        NOTICE_KINDS[fields["event"]],
        fields["knowledge_set"],
        fields["note"],
        fields["created_at"],
        fields["read_at"],
    )


def moved_notice(fields: dict) -> tuple:
    assert fields["target_type"] == ["knowledge", "knowledgeset"]
    assert fields["email_status"] == "skipped"  # nothing old is mailed
    return (
        fields["recipient"],
        fields["actor"],
        fields["kind"],
        fields["target_id"],
        fields["note"],
        fields["created_at"],
        fields["read_at"],
    )


# What the restored instance holds of the moved models, as JSON.
AFTER_THE_MOVE = """
import json
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from apps.accounts.models import User
from apps.meetings.models import ActionItem, AgendaItem, Attendance, Meeting, Minutes

tables = set(connection.introspection.table_names())
audited = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Meeting))
admin = User.objects.get(username="admin")
group = Group.objects.get(name="เลขานุการการประชุม")
print(json.dumps({
    "counts": [m.objects.count() for m in (Meeting, Attendance, AgendaItem, Minutes, ActionItem)],
    "tables": sorted(t for t in tables if t.endswith(("_meeting", "_minutes"))),
    "old_types": ContentType.objects.filter(
        app_label="plans",
        model__in=["meeting", "attendance", "agendaitem", "minutes", "actionitem"],
    ).count(),
    "audited": audited.count(),
    "audited_exist": all(Meeting.objects.filter(pk=e.object_pk).exists() for e in audited),
    "group": sorted(set(group.permissions.values_list("content_type__app_label", flat=True))),
    "perms": [
        admin.has_perm("meetings.change_actionitem"), admin.has_perm("meetings.view_minutes")
    ],
    "minutes_meetings": sorted(Minutes.objects.values_list("meeting__title", flat=True)),
    "open_actions_owned": ActionItem.objects.filter(owner__isnull=False).count(),
}))
"""


@pytest.fixture(scope="module")
def on_sqlite(tmp_path_factory):
    """The old archive restored into an empty SQLite instance, and that instance's backup."""
    target = Instance(tmp_path_factory.mktemp("old-on-sqlite"))
    output = restore(target, OLD_ARCHIVE)
    again = tmp_path_factory.mktemp("old-out") / "again.tar.gz"
    target.manage("backup", "--output", str(again))
    return target, output, again


def test_the_fixture_is_an_archive_of_the_release_before_the_move():
    old = read_archive(OLD_ARCHIVE).manifest
    assert "meetings" not in old["migrations"]
    assert "0004_meetings_move_to_their_app" not in old["migrations"]["plans"]
    for model in MOVED_LABELS:
        assert old["counts"][f"plans.{model}"] > 0, model
    assert OLD_ARCHIVE.stat().st_size < 1024 * 1024


def test_every_row_comes_back_under_the_meetings_app(on_sqlite):
    _target, output, again = on_sqlite
    old, new = read_archive(OLD_ARCHIVE), read_archive(again)
    assert "Restored 949 rows in 46 tables and 15 files." in output
    for label, count in old.manifest["counts"].items():
        assert new.manifest["counts"][new_label(label)] == count, label
    assert not [label for label in new.rows if label.startswith("plans.") and "Meeting" in label]
    for label, lines in old.rows.items():
        if label == "knowledge.Notification":
            moved = new.rows["notifications.Notification"]
            assert sorted(moved_notice(json.loads(row)["fields"]) for row in moved) == sorted(
                old_notice(json.loads(row)["fields"]) for row in lines
            )
            continue
        restored = {row["pk"]: row for row in map(json.loads, new.rows[new_label(label)])}
        assert len(restored) == len(lines), label
        for row in map(json.loads, lines):
            row = moved_on(row)
            fields = restored[row["pk"]]["fields"]
            # Every value came back; fields added since (a meeting's host) have their defaults.
            assert {name: fields.get(name) for name in row["fields"]} == row["fields"], (
                f"{label} {row['pk']}"
            )
    assert old.files == new.files


def test_content_types_permissions_and_audit_follow_the_move(on_sqlite):
    target, _output, _again = on_sqlite
    report = target.python(AFTER_THE_MOVE)
    found = json.loads(report.strip().splitlines()[-1])
    assert found["counts"] == [3, 18, 10, 2, 6]
    assert found["tables"] == ["meetings_meeting", "meetings_minutes"]
    assert found["old_types"] == 0
    assert found["audited"] == 5 and found["audited_exist"]
    assert found["group"] == ["meetings"]
    assert found["perms"] == [True, True]
    assert len(found["minutes_meetings"]) == 2
    assert found["open_actions_owned"] == 6


def test_doctor_is_content_after_the_restore(on_sqlite):
    target, _output, _again = on_sqlite
    out = target.manage("doctor", check=False).stdout
    assert "[FAIL]" not in out, out
    # The only warnings: this fresh instance has no scheduled backup of its own yet, and no
    # background worker has been started on it yet.
    warnings = [line for line in out.splitlines() if line.startswith("[WARN]")]
    expected = ("[WARN] Backups:", "[WARN] Background worker:")
    assert all(line.startswith(expected) for line in warnings), out
    assert "Database changes (migrations): all applied" in out


def test_force_restores_the_old_archive_over_a_current_instance(on_sqlite, tmp_path):
    """Over a portal already at the newest state: the moved tables are taken back to the
    archive's state, emptied, loaded and moved forward again."""
    target, _output, again = on_sqlite
    restore(target, OLD_ARCHIVE, "--force")
    target.manage("backup", "--output", str(tmp_path / "forced.tar.gz"))
    assert_same_contents(again, tmp_path / "forced.tar.gz")


@needs_postgres
def test_old_sqlite_archive_into_postgres(on_sqlite, tmp_path):
    _target, _output, again = on_sqlite
    target = Instance(tmp_path / "pg", fresh_postgres_database("kmportal_ops_older_release"))
    restore(target, OLD_ARCHIVE)
    target.manage("backup", "--output", str(tmp_path / "pg.tar.gz"))
    assert_same_contents(again, tmp_path / "pg.tar.gz")
    # The sequences follow the restored ids in the renamed tables.
    target.python(
        "from apps.meetings.models import Meeting\n"
        "m = Meeting.objects.order_by('pk').first()\n"
        "m.pk = None\n"
        "m.number = 99\n"
        "m.save()\n"
        "assert m.pk > 3, m.pk\n"
    )
