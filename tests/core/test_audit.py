"""The audit page shows every shape of change django-auditlog stores, on every page."""

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from apps.core import selectors
from tests.board.factories import QuestionFactory
from tests.experts.factories import ExpertFactory, ExpertiseAreaFactory
from tests.factories import UserFactory
from tests.knowledge.factories import KnowledgeSetFactory
from tests.learning.factories import make_event
from tests.library.factories import DocumentFactory, TagFactory
from tests.plans.factories import ActivityFactory, KnowledgeNeedFactory


def _m2m_changes():
    """One real change to every many-to-many field the audit log follows: (instance, field,
    the related objects added). Keyed by (model, field) so a new registration must be added."""
    people = [UserFactory(first_name="ผู้ร่วม", last_name=f"คนที่ {n}") for n in range(2)]
    knowledge_set = KnowledgeSetFactory()
    expert = ExpertFactory()
    need = KnowledgeNeedFactory()
    activity = ActivityFactory()
    question = QuestionFactory()
    event = make_event()
    asset = _asset()
    return {
        ("question", "tags"): (question, [TagFactory(name="ถาม-ตอบ")]),
        ("learningevent", "organisers"): (event, people),
        ("learningevent", "materials"): (event, [DocumentFactory()]),
        ("knowledgeasset", "who_to_ask"): (asset, people),
        ("knowledgeset", "authors"): (knowledge_set, people),
        ("knowledgeset", "reviewers"): (knowledge_set, people[:1]),
        ("knowledgeset", "holders"): (knowledge_set, people),
        ("knowledgeset", "tags"): (knowledge_set, [TagFactory(name="สหกรณ์")]),
        ("knowledgeset", "documents"): (knowledge_set, [DocumentFactory()]),
        ("expert", "expertise"): (expert, [ExpertiseAreaFactory()]),
        ("knowledgeneed", "holders"): (need, people),
        ("activity", "owners"): (activity, people[1:]),
    }


def _asset():
    """A knowledge asset of a community started by the KM team's secretary."""
    from apps.teams.models import Role, TeamKind
    from tests.community.factories import make_asset, make_community
    from tests.factories import MembershipFactory, TeamFactory

    secretary = UserFactory()
    MembershipFactory(
        team=TeamFactory(kind=TeamKind.KM_TEAM), person=secretary, role=Role.SECRETARY
    )
    community = make_community(by=secretary, facilitators=[secretary])
    return make_asset(community, by=secretary)


def _registered_m2m_fields():
    return {
        (model._meta.model_name, field)
        for model, options in auditlog._registry.items()
        for field in options["m2m_fields"]
    }


@pytest.mark.django_db
def test_every_registered_many_to_many_change_is_shown(admin_client):
    changes = _m2m_changes()
    assert set(changes) == _registered_m2m_fields()
    for (_model, field), (instance, objects) in changes.items():
        getattr(instance, field).add(*objects)
        getattr(instance, field).remove(objects[0])
        getattr(instance, field).clear()

    entries = [
        entry
        for entry in selectors.audit_entries()
        if any(isinstance(v, dict) and v.get("type") == "m2m" for v in entry.changes_dict.values())
    ]
    # add, remove and clear (clear logs only when something was left) for each field
    assert len(entries) >= 2 * len(changes)
    for entry in entries:
        rows, _more = selectors.audit_change_rows(entry)
        assert rows
        for row in rows:
            assert row.kind in {"added", "removed"}
            assert row.after  # the related objects, by name

    response = admin_client.get(reverse("core:audit"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ผู้ร่วม คนที่ 0" in html
    assert "สหกรณ์" in html


@pytest.mark.django_db
def test_every_page_of_the_audit_log_renders(admin_client):
    for (_model, field), (instance, objects) in _m2m_changes().items():
        getattr(instance, field).add(*objects)
    for n in range(60):
        UserFactory(position=f"ตำแหน่ง {n}").save()
    paginator_pages = -(-LogEntry.objects.count() // 50)
    assert paginator_pages >= 2
    for page in range(1, paginator_pages + 1):
        response = admin_client.get(reverse("core:audit"), {"page": page})
        assert response.status_code == 200, page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [
        {"position": ["", "หัวหน้ากลุ่ม"]},  # a plain field: before and after
        {"groups": {"type": "m2m", "operation": "add", "objects": ["ก", "ข"]}},
        {"groups": {"type": "m2m", "operation": "delete", "objects": []}},
        {"a_field_since_removed": ["1", "2"]},
        {"position": ["only one value"]},  # an odd, hand-written entry
        {"position": [None, 5]},  # AUDITLOG_STORE_JSON_CHANGES keeps JSON types
        {"position": {"something": "else"}},
        {"position": "just text"},
        {},
        None,
    ],
)
def test_any_stored_shape_gives_rows_and_renders(admin_client, changes):
    user = UserFactory()
    entry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(user),
        object_pk=str(user.pk),
        object_id=user.pk,
        object_repr=str(user),
        action=LogEntry.Action.UPDATE,
        changes=changes,
    )
    rows, more = selectors.audit_change_rows(entry)
    assert more == 0
    assert len(rows) == len(changes or {})
    assert admin_client.get(reverse("core:audit")).status_code == 200


@pytest.mark.django_db
def test_an_entry_of_a_model_that_no_longer_exists_renders(admin_client):
    gone = ContentType.objects.create(app_label="retired", model="thing")
    LogEntry.objects.create(
        content_type=gone,
        object_pk="1",
        object_repr="ของเก่า",
        action=LogEntry.Action.UPDATE,
        changes={
            "name": ["เดิม", "ใหม่"],
            "owners": {"type": "m2m", "operation": "add", "objects": ["ก"]},
        },
    )
    response = admin_client.get(reverse("core:audit"))
    assert response.status_code == 200
    assert "ของเก่า" in response.content.decode()
