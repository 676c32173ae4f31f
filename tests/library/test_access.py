"""Who may open what: the predicate and the query filter must agree, for every role."""

import pytest

from apps.accounts.models import User
from apps.library.access import can_open_document
from apps.library.models import AccessLevel, Document
from apps.teams.models import Team
from tests.conftest import ROLES
from tests.library.factories import DocumentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(people):
    group = Team.objects.get(name="กลุ่ม KM ที่ 1")
    other = Team.objects.create(name="กลุ่ม KM ที่ 7", kind="km_group")
    return {
        "all": DocumentFactory(title="ทุกคน", access=AccessLevel.ALL_STAFF),
        "km": DocumentFactory(title="ทีม KM", access=AccessLevel.KM_TEAM),
        "group": DocumentFactory(title="กลุ่ม 1", access=AccessLevel.TEAM, access_team=group),
        "other": DocumentFactory(title="กลุ่ม 7", access=AccessLevel.TEAM, access_team=other),
        "own": DocumentFactory(
            title="ของฉัน", access=AccessLevel.TEAM, access_team=other, uploaded_by=people["staff"]
        ),
    }


EXPECTED = {
    # role: the documents it may open
    "anonymous": set(),
    "staff": {"all", "own"},
    "member": {"all", "km", "group"},
    "secretary": {"all", "km"},
    "head": {"all", "km"},
    "cko": {"all", "km"},
    "admin": {"all", "km", "group", "other", "own"},
}


@pytest.mark.parametrize("role", ROLES)
def test_predicate_and_filter_agree(people, shelf, role):
    from django.contrib.auth.models import AnonymousUser

    user = people[role] or AnonymousUser()
    if people[role]:
        user = User.objects.get(pk=user.pk)
    by_predicate = {key for key, doc in shelf.items() if can_open_document(user, doc)}
    by_filter = {
        key
        for key, doc in shelf.items()
        if Document.objects.visible_to(user).filter(pk=doc.pk).exists()
    }
    assert by_predicate == by_filter == EXPECTED[role]
