"""Issue 14: the knowledge sets' own notice table goes (its rows moved in 0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0003_notices_to_notifications"),
    ]

    operations = [migrations.DeleteModel(name="Notification")]
