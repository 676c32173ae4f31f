"""The meetings' tables take the app's name: ``plans_meeting`` becomes ``meetings_meeting`` and
so on (a rename: rows, keys and constraints stay as they are)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="meeting", table=None),
        migrations.AlterModelTable(name="attendance", table=None),
        migrations.AlterModelTable(name="agendaitem", table=None),
        migrations.AlterModelTable(name="minutes", table=None),
        migrations.AlterModelTable(name="actionitem", table=None),
    ]
