import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_needs_sign_in(client):
    for url in ["/", reverse("accounts:profile"), reverse("core:audit"), "/people/nobody/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_home_is_the_thai_knowledge_corner(user_client):
    response = user_client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert "มุมความรู้" in html
    assert "การบ่งชี้ความรู้" in html  # the seven steps
    assert "ปีงบประมาณ" in html
    assert 'name="q"' in html  # the search box, waiting for the search app


def test_language_switch_is_remembered(user_client):
    response = user_client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, HTTP_REFERER="/"
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    html = user_client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Knowledge corner" in html
    user_client.post(reverse("set_language"), {"language": "th", "next": "/"})
    assert "มุมความรู้" in user_client.get("/").content.decode()


def test_language_can_be_chosen_before_signing_in(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "Sign in" in client.get(reverse("login")).content.decode()


def test_404_page_is_thai(user_client):
    response = user_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


def test_403_page_is_thai(user_client):
    response = user_client.get(reverse("core:audit"))
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์" in response.content.decode()


def test_500_page_is_thai_and_needs_nothing(rf):
    from apps.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "เกิดข้อผิดพลาดในระบบ" in response.content.decode()


@override_settings(DEBUG=False)
def test_an_unhandled_error_shows_the_thai_500_page(user_client, monkeypatch):
    from apps.core import portal as views_portal

    def explode(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views_portal, "home_sections", lambda: explode(None))
    user_client.raise_request_exception = False
    response = user_client.get("/")
    assert response.status_code == 500
    assert "เกิดข้อผิดพลาดในระบบ" in response.content.decode()


def test_csrf_failure_page_is_thai(client, user):
    client.force_login(user)
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("accounts:profile_edit"), {})
    assert response.status_code == 403
    assert "แบบฟอร์มหมดอายุ" in response.content.decode()


def test_audit_trail_is_for_administrators(admin_client, user):
    user.position = "หัวหน้ากลุ่ม"
    user.save()
    response = admin_client.get(reverse("core:audit"))
    assert response.status_code == 200
    html = response.content.decode()
    assert user.get_full_name() in html
    assert "หัวหน้ากลุ่ม" in html  # the update shows the new value of the changed field


def test_admin_site_is_thai(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "ผู้ดูแลระบบ KM Portal" in response.content.decode()
    changelist = admin_client.get(reverse("admin:accounts_user_changelist"))
    assert changelist.status_code == 200
    assert "บุคลากร" in changelist.content.decode()


def test_thai_even_when_the_browser_asks_for_english(user_client):
    response = user_client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "th"
    assert '<html lang="th">' in response.content.decode()
