import pytest
from django.utils import translation

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _thai_by_default():
    """Tests run in the portal's default language unless they switch."""
    with translation.override("th"):
        yield


@pytest.fixture
def user(db):
    return UserFactory(username="somchai", first_name="สมชาย", last_name="ใจดี")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client
