import pytest
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_thai(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "เข้าสู่ระบบ" in html
    assert "ลืมรหัสผ่าน" in html


def test_sign_in_and_out(client, user):
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert AccessLog.objects.filter(username=user.username).exists()
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_shows_a_thai_error(client, user):
    response = sign_in(client, user.username, "wrong")
    assert response.status_code == 200
    assert "ชื่อผู้ใช้" in response.content.decode()
    assert AccessFailureLog.objects.filter(username=user.username).count() == 1


def test_repeated_failures_lock_the_account_for_a_while(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, user.username, "wrong").status_code == 200
    locked = sign_in(client, user.username, "wrong")
    assert locked.status_code == 429
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in locked.content.decode()
    # Even the right password is refused while the lock lasts ...
    assert sign_in(client, user.username, PASSWORD).status_code == 429
    # ... but a colleague at the same address can still sign in.
    colleague = UserFactory(username="wilai")
    assert sign_in(client, colleague.username, PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count(client, user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, user.username, "wrong")
    assert sign_in(client, user.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert sign_in(client, user.username, "wrong").status_code == 200


def test_password_change(user_client, user):
    response = user_client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "ใหม่-2568-ยาวพอ",
            "new_password2": "ใหม่-2568-ยาวพอ",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("ใหม่-2568-ยาวพอ")


def test_password_reset_sends_a_thai_email(client, user, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "รหัสผ่าน" in message.subject
    assert "/accounts/reset/" in message.body
    assert user.username in message.body


def test_password_reset_does_not_reveal_unknown_addresses(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.go.th"})
    assert response.status_code == 302
    assert mailoutbox == []
