"""The tag links read by tag with their documents, from the index alone (issue 20).

Django's through table for ``Document.tags`` has an index on ``tag_id`` alone and a unique one
on ``(document_id, tag_id)``: counting the documents that share a document's tags read every
link's row from the table for its document. This index holds both columns in the order those
reads need (a common tag has a thousand links at department scale). The through table is made
by Django, so the index is plain SQL, the same on SQLite and PostgreSQL."""

from django.db import migrations

INDEX = "library_doctags_tag_document"


class Migration(migrations.Migration):
    dependencies = [("library", "0005_ocr")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON library_document_tags (tag_id, document_id)",
            reverse_sql=f"DROP INDEX {INDEX}",
        )
    ]
