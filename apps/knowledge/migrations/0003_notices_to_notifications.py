"""Issue 14: the knowledge sets' own notices move into the portal's one notification system.

Each ``knowledge.Notification`` row becomes a ``notifications.Notification`` about its set, with
its kind, actor, note, time and read mark kept. Nothing old is e-mailed: every copied notice is
marked "not sent". The reverse copies the knowledge notices back (for a step back in a restore).
"""

from django.db import migrations

# The old event → the kind registered in apps/knowledge/notices.py (a copy: a migration must not
# import the app's code, which may change after it).
KINDS = {
    "submit": "knowledge.submitted",
    "withdraw": "knowledge.withdrawn",
    "start_review": "knowledge.review_started",
    "request_changes": "knowledge.returned",
    "approve": "knowledge.approved",
    "publish": "knowledge.published",
    "revise": "knowledge.revised",
    "restore": "knowledge.restored",
    "archive": "knowledge.archived",
    "reinstate": "knowledge.reinstated",
    "reviewers": "knowledge.reviewers",
    "comment": "knowledge.commented",
    "question": "knowledge.question",
    "review_comment": "knowledge.review_comment",
}
EVENTS = {kind: event for event, kind in KINDS.items()}
BATCH = 1000


def _set_type(apps, using):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.using(using).get_or_create(
        app_label="knowledge", model="knowledgeset"
    )[0]


def forwards(apps, schema_editor):
    using = schema_editor.connection.alias
    Old = apps.get_model("knowledge", "Notification")
    New = apps.get_model("notifications", "Notification")
    old = Old.objects.using(using).order_by("pk")
    if not old.exists():
        return
    set_type = _set_type(apps, using)
    batch = []
    for row in old.iterator(chunk_size=BATCH):
        batch.append(
            New(
                recipient_id=row.recipient_id,
                kind=KINDS.get(row.event, f"knowledge.{row.event}"[:60]),
                actor_id=row.actor_id,
                target_type=set_type,
                target_id=row.knowledge_set_id,
                note=row.note,
                created_at=row.created_at,
                read_at=row.read_at,
                delivery="digest",
                email_status="skipped",  # nothing old is mailed
            )
        )
        if len(batch) >= BATCH:
            New.objects.using(using).bulk_create(batch)
            batch = []
    New.objects.using(using).bulk_create(batch)


def backwards(apps, schema_editor):
    using = schema_editor.connection.alias
    Old = apps.get_model("knowledge", "Notification")
    New = apps.get_model("notifications", "Notification")
    KnowledgeSet = apps.get_model("knowledge", "KnowledgeSet")
    ContentType = apps.get_model("contenttypes", "ContentType")
    set_type = (
        ContentType.objects.using(using).filter(app_label="knowledge", model="knowledgeset").first()
    )
    if set_type is None:
        return
    rows = New.objects.using(using).filter(target_type=set_type, kind__startswith="knowledge.")
    existing = set(KnowledgeSet.objects.using(using).values_list("pk", flat=True))
    batch = []
    for row in rows.order_by("pk").iterator(chunk_size=BATCH):
        if row.target_id not in existing:
            continue
        batch.append(
            Old(
                recipient_id=row.recipient_id,
                knowledge_set_id=row.target_id,
                actor_id=row.actor_id,
                event=EVENTS.get(row.kind, row.kind.removeprefix("knowledge."))[:30],
                note=row.note,
                created_at=row.created_at,
                read_at=row.read_at,
            )
        )
        if len(batch) >= BATCH:
            Old.objects.using(using).bulk_create(batch)
            batch = []
    Old.objects.using(using).bulk_create(batch)
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("knowledge", "0002_lock_version_for_concurrent_edits"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
