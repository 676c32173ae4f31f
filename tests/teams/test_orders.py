import io
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.teams.models import AppointmentOrder
from tests.accounts.images import png_bomb
from tests.factories import AppointmentOrderFactory

pytestmark = pytest.mark.django_db


def pdf_upload(name="คำสั่งที่ 5-2551.pdf") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(buffer, format="PDF")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def order_data(km_team, **changes):
    data = {
        "number": 5,
        "year": 2551,
        "issued_on": "12/03/2551",
        "subject": "แต่งตั้งคณะทำงานกระบวนการจัดการความรู้",
        "issuing_office": "สำนักงานสหกรณ์จังหวัดชุมพร",
        "teams": [km_team.pk],
    }
    return {**data, **changes}


def stored_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


def test_secretary_records_an_order_with_its_scan(client_as, km_team):
    client = client_as("secretary")
    response = client.post(
        reverse("teams:order_create"), {**order_data(km_team), "scan": pdf_upload()}
    )
    assert response.status_code == 302
    order = AppointmentOrder.objects.get()
    assert str(order) == "คำสั่งที่ 5/2551"
    assert order.issued_on.isoformat() == "2008-03-12"
    assert order.scan_filename == "คำสั่งที่ 5-2551.pdf"
    assert order.scan_content_type == "application/pdf"
    assert order.scan.name.startswith("orders/") and "คำสั่ง" not in order.scan.name
    assert list(order.teams.all()) == [km_team]

    download = client_as("staff").get(reverse("teams:order_scan", args=[order.pk]))
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"filename*=utf-8''{quote('คำสั่งที่ 5-2551.pdf')}" in disposition
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    "scan",
    [
        lambda: SimpleUploadedFile("scan.pdf", b"MZ\x90 not a pdf at all", "application/pdf"),
        lambda: SimpleUploadedFile(
            "scan.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "application/pdf"
        ),
        lambda: SimpleUploadedFile("scan.html", b"<html><script>alert(1)</script>", "text/html"),
        png_bomb,
    ],
    ids=["not-a-pdf", "truncated-pdf", "html", "image-bomb"],
)
def test_a_bad_scan_is_refused_and_nothing_is_saved(client_as, km_team, scan):
    before = stored_files()
    response = client_as("secretary").post(
        reverse("teams:order_create"), {**order_data(km_team), "scan": scan()}
    )
    assert response.status_code == 200
    assert "scan" in response.context["form"].errors
    assert not AppointmentOrder.objects.exists()
    assert stored_files() == before


def test_an_image_scan_is_accepted(client_as, km_team):
    buffer = io.BytesIO()
    Image.new("L", (800, 1100), 255).save(buffer, format="PNG")
    upload = SimpleUploadedFile("scan.png", buffer.getvalue(), "image/png")
    response = client_as("head").post(
        reverse("teams:order_create"), {**order_data(km_team), "scan": upload}
    )
    assert response.status_code == 302
    assert AppointmentOrder.objects.get().scan_content_type == "image/png"


def test_year_must_be_buddhist_era(client_as, km_team):
    response = client_as("secretary").post(
        reverse("teams:order_create"), order_data(km_team, year=2008)
    )
    assert response.status_code == 200
    assert "year" in response.context["form"].errors


def test_an_order_number_is_unique_per_office_and_year(client_as, km_team):
    AppointmentOrderFactory(number=5, year=2551, issuing_office="สำนักงานสหกรณ์จังหวัดชุมพร")
    response = client_as("secretary").post(reverse("teams:order_create"), order_data(km_team))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert AppointmentOrder.objects.count() == 1


def test_replacing_a_scan_removes_the_old_file(
    client_as, km_team, django_capture_on_commit_callbacks
):
    client = client_as("secretary")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("teams:order_create"), {**order_data(km_team), "scan": pdf_upload()})
    order = AppointmentOrder.objects.get()
    first = Path(order.scan.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("teams:order_update", args=[order.pk]),
            {**order_data(km_team), "scan": pdf_upload("ฉบับแก้ไข.pdf")},
        )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.scan_filename == "ฉบับแก้ไข.pdf"
    assert Path(order.scan.path).exists() and not first.exists()


def test_order_page_lists_its_appointments(client_as, people, km_team):
    order = AppointmentOrderFactory()
    km_team.memberships.update(order=order)
    response = client_as("staff").get(order.get_absolute_url())
    assert response.status_code == 200
    assert {m.person for m in response.context["memberships"]} == {
        people["secretary"],
        people["head"],
        people["cko"],
    }


def test_the_edit_form_links_the_scan_through_its_checked_view(client_as, km_team):
    """Uploads are never served from MEDIA_URL: the form's "Currently:" link must open the scan
    through the permission-checked view, or it is a dead link."""
    client = client_as("secretary")
    client.post(reverse("teams:order_create"), {**order_data(km_team), "scan": pdf_upload()})
    order = AppointmentOrder.objects.get()
    html = client.get(reverse("teams:order_update", args=[order.pk])).content.decode()
    assert settings.MEDIA_URL not in html
    assert f'href="{reverse("teams:order_scan", args=[order.pk])}"' in html
    assert "คำสั่งที่ 5-2551.pdf" in html  # named as it was uploaded


def test_a_scan_whose_order_links_fail_to_save_is_not_left_on_disk(client_as, km_team, monkeypatch):
    """GIVEN the database refuses the order's team links after its scan was written WHEN the
    form is sent THEN nothing is saved and the scan is not left behind."""
    from django.db import OperationalError

    def refused(self, *args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(AppointmentOrder.teams.related_manager_cls, "set", refused)
    client = client_as("secretary")
    client.raise_request_exception = False
    before = stored_files()
    response = client.post(
        reverse("teams:order_create"), {**order_data(km_team), "scan": pdf_upload()}
    )
    assert response.status_code == 500
    assert not AppointmentOrder.objects.exists()
    assert stored_files() == before
