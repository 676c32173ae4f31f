"""Meetings move to their own app (``apps.meetings``): their models leave the plans app's state
here, and ``meetings.0001_initial`` takes them over on the same tables, then
``meetings.0002`` renames the tables. No data is touched here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_lock_version_for_concurrent_edits"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="agendaitem",
                    name="activity",
                ),
                migrations.RemoveField(
                    model_name="agendaitem",
                    name="meeting",
                ),
                migrations.RemoveField(
                    model_name="attendance",
                    name="meeting",
                ),
                migrations.RemoveField(
                    model_name="attendance",
                    name="person",
                ),
                migrations.RemoveField(
                    model_name="meeting",
                    name="called_by",
                ),
                migrations.RemoveField(
                    model_name="meeting",
                    name="team",
                ),
                migrations.RemoveField(
                    model_name="minutes",
                    name="adopted_at",
                ),
                migrations.RemoveField(
                    model_name="minutes",
                    name="meeting",
                ),
                migrations.RemoveField(
                    model_name="minutes",
                    name="adopted_by",
                ),
                migrations.RemoveField(
                    model_name="minutes",
                    name="chair",
                ),
                migrations.RemoveField(
                    model_name="minutes",
                    name="checker",
                ),
                migrations.RemoveField(
                    model_name="minutes",
                    name="recorder",
                ),
                migrations.DeleteModel(
                    name="ActionItem",
                ),
                migrations.DeleteModel(
                    name="AgendaItem",
                ),
                migrations.DeleteModel(
                    name="Attendance",
                ),
                migrations.DeleteModel(
                    name="Meeting",
                ),
                migrations.DeleteModel(
                    name="Minutes",
                ),
            ],
            database_operations=[],
        ),
    ]
