"""Error pages that Django would answer in English (or with an empty page): Thai first."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_limit_gets_the_thai_400_page(user_client):
    response = user_client.post(reverse("accounts:profile_edit"), {"title": "ก" * 2000})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Bad Request (400)" not in html
    assert '<html lang="th">' in html
    assert "คำขอไม่ถูกต้อง" in html
    assert "vendor/bootstrap/bootstrap.min.css" in html


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_the_400_page_follows_the_chosen_language(user_client):
    user_client.cookies["django_language"] = "en"
    response = user_client.post(reverse("accounts:profile_edit"), {"title": "x" * 2000})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "The request could not be understood" in html


def test_a_get_on_a_post_only_address_gets_a_thai_405_page(user_client):
    response = user_client.get(reverse("knowledge:notifications_read"))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert "เปิดหน้านี้โดยตรงไม่ได้" in response.content.decode()


def test_the_500_page_follows_the_chosen_language(rf, settings):
    from django.utils import translation

    from apps.core.views import server_error

    with translation.override("en"):
        html = server_error(rf.get("/")).content.decode()
    assert '<html lang="en">' in html
    assert "Something went wrong on our side" in html
