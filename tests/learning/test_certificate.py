"""The certificate of attendance: a PDF in Thai whose text reads back with the attendee's Thai
name and the event's title, rendered to PNG for a look (``test-artifacts/``)."""

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.urls import reverse

from apps.learning.certificates import certificate_pdf
from apps.library.extraction.pdf import pdf_text as read_pdf
from tests.factories import UserFactory

from .factories import make_event, register

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
ZWSP = "\u200b"


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The text as the portal's own PDF reader finds it (pdfminer.six, Thai normalised)."""
    path = tmp_path / "certificate.pdf"
    path.write_bytes(data)
    text = read_pdf(path)[0]
    return " ".join(text.replace(ZWSP, "").split())


def test_the_certificate_names_the_attendee_and_the_event_in_thai(people, tmp_path):
    person = UserFactory(username="kannika", title="นางสาว", first_name="กรรณิกา", last_name="แก้วมณี")
    event = make_event(by=people["secretary"], title="มหกรรมการจัดการความรู้ (KM Day) ประจำปี 2569")
    registration = register(event, person, attended=True)
    data = certificate_pdf(registration, signer="นางวิไล ศรีสุข")
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    assert "นางสาวกรรณิกา แก้วมณี" in text
    assert "มหกรรมการจัดการความรู้ (KM Day) ประจำปี 2569" in text
    assert "เกียรติบัตร" in text
    document = pdfium.PdfDocument(data)
    assert len(document) == 1  # one page, nothing spills over
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image = document[0].render(scale=1.5).to_pil()
    image.save(ARTIFACTS / "learning-certificate.png")
    assert image.width > image.height  # landscape


def test_the_attendee_downloads_it_and_nobody_else_but_the_organisers(client_as, people, tmp_path):
    event = make_event(by=people["secretary"])
    mine = register(event, people["staff"], attended=True)
    absent = register(event, people["member"])
    client = client_as("staff")
    response = client.get(reverse("learning:certificate", args=[mine.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert people["staff"].first_name in pdf_text(response.content, tmp_path)
    client = client_as("member")
    assert client.get(reverse("learning:certificate", args=[mine.pk])).status_code == 404
    assert client.get(reverse("learning:certificate", args=[absent.pk])).status_code == 404
    client = client_as("secretary")
    assert client.get(reverse("learning:certificate", args=[mine.pk])).status_code == 200
    assert client.get(reverse("learning:certificate", args=[absent.pk])).status_code == 404
