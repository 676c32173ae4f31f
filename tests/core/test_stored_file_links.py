"""Stored files open through their permission-checked views: no page, the admin's included,
links to MEDIA_URL (nothing is served there, so such a link is dead)."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.accounts.images import image_upload
from tests.factories import AppointmentOrderFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_pages_link_stored_files_through_their_views(admin_client):
    order = AppointmentOrderFactory(scan_filename="คำสั่ง.pdf")
    order.scan.save("scan.pdf", ContentFile(b"%PDF-1.4 demo"), save=True)
    person = UserFactory(username="photographed")
    person.photo.save("p.jpg", image_upload(), save=True)
    pages = {
        reverse("admin:teams_appointmentorder_change", args=[order.pk]): reverse(
            "teams:order_scan", args=[order.pk]
        ),
        reverse("admin:accounts_user_change", args=[person.pk]): reverse(
            "accounts:photo", args=[person.username]
        ),
    }
    for page, target in pages.items():
        html = admin_client.get(page).content.decode()
        assert settings.MEDIA_URL not in html, page
        assert f'href="{target}"' in html, page
        assert admin_client.get(target).status_code == 200
