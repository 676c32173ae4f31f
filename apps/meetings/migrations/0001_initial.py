"""Meetings, formerly part of the plans app, become their own app.

The tables already exist (``plans_meeting`` and the others, made by the plans app's
migrations): this migration only takes the models over in Django's state, on those tables
(``plans.0004`` let them go), and moves their content types from ``plans`` to ``meetings``, so
the audit trail, permissions given to people and anything else pointing at a content type keep
pointing at the same rows. ``0002`` then renames the tables to ``meetings_*``.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("meeting", "attendance", "agendaitem", "minutes", "actionitem")


def _move_content_types(apps, schema_editor, old: str, new: str) -> None:
    """Relabel the content types (and so their permissions and audit entries) of the moved
    models. A database migrated from scratch has none yet: post_migrate makes them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if types.filter(app_label=new, model=model).exists():
            # Already there (a database that had both): leave both rather than lose either.
            continue
        types.filter(app_label=old, model=model).update(app_label=new)
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, "plans", "meetings")


def backwards(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, "meetings", "plans")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("plans", "0004_meetings_move_to_their_app"),
        ("teams", "0002_lock_version_for_concurrent_edits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Meeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('lock_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='edit version')),
                        ('fiscal_year', models.PositiveSmallIntegerField(editable=False, verbose_name='fiscal year (B.E.)')),
                        ('number', models.PositiveSmallIntegerField(help_text='Numbered per team and fiscal year: ครั้งที่ 1/2568.', verbose_name='meeting no.')),
                        ('title', models.CharField(max_length=300, verbose_name='name of the meeting')),
                        ('date', models.DateField(verbose_name='date')),
                        ('start_time', models.TimeField(verbose_name='start time')),
                        ('end_time', models.TimeField(blank=True, null=True, verbose_name='planned end')),
                        ('place', models.CharField(max_length=300, verbose_name='place')),
                        ('purpose', models.TextField(blank=True, verbose_name='purpose')),
                        ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('held', 'Held'), ('cancelled', 'Cancelled')], default='scheduled', max_length=20, verbose_name='status')),
                        ('called_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='called by')),
                        ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='teams.team', verbose_name='team')),
                    ],
                    options={
                        'db_table': 'plans_meeting',
                        'verbose_name': 'meeting',
                        'verbose_name_plural': 'meetings',
                        'ordering': ['-date', '-start_time', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Attendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('lock_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='edit version')),
                        ('meeting_role', models.CharField(blank=True, help_text='e.g. ประธาน, กรรมการ, กรรมการและเลขานุการ', max_length=100, verbose_name='role in the meeting')),
                        ('status', models.CharField(choices=[('invited', 'Invited'), ('present', 'Present'), ('absent', 'Absent')], default='invited', max_length=20, verbose_name='attendance')),
                        ('reason', models.CharField(blank=True, help_text='e.g. ติดราชการ, ลาป่วย', max_length=200, verbose_name='reason for absence')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='display order')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='km_meeting_invitations', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='meetings.meeting', verbose_name='meeting')),
                    ],
                    options={
                        'db_table': 'plans_attendance',
                        'verbose_name': 'attendance',
                        'verbose_name_plural': 'attendance',
                        'ordering': ['meeting', 'order', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='AgendaItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('lock_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='edit version')),
                        ('section', models.PositiveSmallIntegerField(choices=[(1, 'Matters the chair reports to the meeting'), (2, 'Adoption of the minutes of the previous meeting'), (3, 'Matters arising from the previous meeting'), (4, 'Matters for consideration'), (5, 'Other matters')], default=4, verbose_name='agenda section')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='display order')),
                        ('title', models.CharField(max_length=300, verbose_name='subject')),
                        ('detail', models.TextField(blank=True, verbose_name='details of the item')),
                        ('km_step', models.CharField(blank=True, choices=[('identify', 'Knowledge identification'), ('create', 'Knowledge creation and acquisition'), ('organize', 'Knowledge organization'), ('codify', 'Knowledge codification and refinement'), ('access', 'Knowledge access'), ('share', 'Knowledge sharing and exchange'), ('learn', 'Learning')], max_length=20, verbose_name='KM step')),
                        ('discussion', models.TextField(blank=True, verbose_name='discussion')),
                        ('resolution', models.TextField(blank=True, verbose_name='resolution')),
                        ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='agenda_items', to='plans.activity', verbose_name='plan activity')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agenda_items', to='meetings.meeting', verbose_name='meeting')),
                    ],
                    options={
                        'db_table': 'plans_agendaitem',
                        'verbose_name': 'agenda item',
                        'verbose_name_plural': 'agenda items',
                        'ordering': ['meeting', 'section', 'order', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ActionItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('lock_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='edit version')),
                        ('description', models.TextField(verbose_name='what is to be done')),
                        ('due_date', models.DateField(verbose_name='due date')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('done', 'Done')], default='open', max_length=10, verbose_name='status')),
                        ('done_on', models.DateField(blank=True, null=True, verbose_name='done on')),
                        ('done_note', models.CharField(blank=True, max_length=500, verbose_name='outcome')),
                        ('activity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='action_items', to='plans.activity', verbose_name='plan activity')),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='km_action_items', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                        ('agenda_item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='action_items', to='meetings.agendaitem', verbose_name='agenda item')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='action_items', to='meetings.meeting', verbose_name='meeting')),
                    ],
                    options={
                        'db_table': 'plans_actionitem',
                        'verbose_name': 'action item',
                        'verbose_name_plural': 'action items',
                        'ordering': ['status', 'due_date', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Minutes',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('lock_version', models.PositiveIntegerField(default=1, editable=False, verbose_name='edit version')),
                        ('opened_at', models.TimeField(verbose_name='meeting opened at')),
                        ('closed_at', models.TimeField(blank=True, null=True, verbose_name='meeting closed at')),
                        ('guests', models.TextField(blank=True, help_text='One person per line, with their position.', verbose_name='others attending')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('adopted', 'Adopted')], default='draft', max_length=20, verbose_name='status')),
                        ('adoption_note', models.CharField(blank=True, help_text="e.g. adopted with the amendments recorded in that meeting's minutes.", max_length=300, verbose_name='adoption note')),
                        ('adopted_at', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='adopted_minutes', to='meetings.meeting', verbose_name='adopted at the meeting')),
                        ('adopted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='adoption recorded by')),
                        ('chair', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='chair')),
                        ('checker', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='minutes checked by')),
                        ('meeting', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='minutes', to='meetings.meeting', verbose_name='meeting')),
                        ('recorder', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='minutes taken by')),
                    ],
                    options={
                        'db_table': 'plans_minutes',
                        'verbose_name': 'minutes',
                        'verbose_name_plural': 'minutes',
                    },
                ),
                migrations.AddConstraint(
                    model_name='meeting',
                    constraint=models.UniqueConstraint(fields=('team', 'fiscal_year', 'number'), name='meeting_number_unique_per_year'),
                ),
                migrations.AddConstraint(
                    model_name='meeting',
                    constraint=models.CheckConstraint(condition=models.Q(('end_time__isnull', True), ('end_time__gt', models.F('start_time')), _connector='OR'), name='meeting_ends_after_it_starts'),
                ),
                migrations.AddConstraint(
                    model_name='attendance',
                    constraint=models.UniqueConstraint(fields=('meeting', 'person'), name='one_invitation_per_person'),
                ),
                migrations.AddConstraint(
                    model_name='actionitem',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'done'), _negated=True), ('done_on__isnull', False), _connector='OR'), name='done_action_items_have_a_date'),
                ),
                migrations.AddConstraint(
                    model_name='minutes',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'adopted'), _negated=True), ('adopted_at__isnull', False), _connector='OR'), name='adopted_minutes_name_the_meeting'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
