"""``profile_update`` on its own: one's own profile, or anyone's for an administrator."""

import pytest
from django.core.exceptions import PermissionDenied

from apps.accounts import services
from tests.accounts.images import image_upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_person_changes_their_own_profile_and_photo():
    person = UserFactory(position="")
    services.profile_update(
        by=person, person=person, fields={"position": "นักวิชาการ"}, photo=image_upload()
    )
    person.refresh_from_db()
    assert person.position == "นักวิชาการ"
    assert person.photo.name.endswith(".jpg")


def test_no_one_else_changes_it_but_an_administrator():
    person, colleague = UserFactory(phone=""), UserFactory()
    with pytest.raises(PermissionDenied):
        services.profile_update(by=colleague, person=person, fields={"phone": "1"})
    admin = UserFactory(is_superuser=True, is_staff=True)
    services.profile_update(by=admin, person=person, fields={"phone": "0 7751 1234"})
    person.refresh_from_db()
    assert person.phone == "0 7751 1234"
