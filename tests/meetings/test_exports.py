"""The minutes in PDF read back: Thai text extracted and compared with the meeting's own."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from apps.library.extraction.pdf import pdf_text
from tests.meetings.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    MinutesFactory,
)

pytestmark = pytest.mark.django_db


def squash(text: str) -> str:
    """The text without any whitespace: a table cell wraps where it must, and that is all a
    line break in the extracted text may differ by."""
    return "".join(text.split())


def test_the_minutes_in_pdf(client_as, people, km_team, tmp_path):
    meeting = MeetingFactory(team=km_team, date=dt.date(2025, 3, 13), number=3)
    AttendanceFactory(meeting=meeting, person=people["head"], status="present")
    item = AgendaItemFactory(meeting=meeting, title="พิจารณาร่างชุดความรู้การจัดตั้งสหกรณ์")
    item.resolution = "เห็นชอบให้เผยแพร่ในมุมความรู้"
    item.save()
    MinutesFactory(meeting=meeting, recorder=people["secretary"])
    response = client_as("member").get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    path: Path = tmp_path / "minutes.pdf"
    path.write_bytes(response.content)
    text = pdf_text(path)[0]
    for expected in (
        "พิจารณาร่างชุดความรู้การจัดตั้งสหกรณ์",
        "เห็นชอบให้เผยแพร่ในมุมความรู้",
        "วันพฤหัสบดีที่ 13 มีนาคม 2568",
        str(people["head"]),
        f"({people['secretary']})",
    ):
        assert squash(expected) in squash(text)


# --- Minutes: the title reads once, the signatures stay on their lines ----------------------------
def test_the_minutes_title_does_not_repeat_the_word_meeting(client_as, people, km_team, tmp_path):
    meeting = MeetingFactory(
        team=km_team, title="การประชุมคณะทำงานการจัดการความรู้", date=dt.date(2025, 3, 13)
    )
    MinutesFactory(meeting=meeting, recorder=people["secretary"], checker=people["head"])
    client = client_as("member")
    path: Path = tmp_path / "minutes.pdf"
    path.write_bytes(client.get(reverse("meetings:minutes_pdf", args=[meeting.pk])).content)
    text = pdf_text(path)[0]
    html = client.get(reverse("meetings:minutes_print", args=[meeting.pk])).content.decode()
    lines = [squash(line) for line in text.splitlines()]
    assert "รายงานการประชุมคณะทำงานการจัดการความรู้" in lines[0]
    assert "รายงานการประชุมคณะทำงานการจัดการความรู้" in html
    assert not [line for line in lines if "รายงานการประชุมการประชุม" in line]
    assert "รายงานการประชุมการประชุม" not in html


def test_the_minutes_signatures_keep_their_captions_whole(client_as, people, km_team, tmp_path):
    meeting = MeetingFactory(team=km_team, date=dt.date(2025, 3, 13))
    MinutesFactory(meeting=meeting, recorder=people["secretary"], checker=people["head"])
    path: Path = tmp_path / "minutes.pdf"
    response = client_as("member").get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    path.write_bytes(response.content)
    lines = [squash(line) for line in pdf_text(path)[0].splitlines()]
    # Each signature's caption is whole on one line (it used to wrap to the margin).
    for caption in ("ผู้จดรายงานการประชุม", "ผู้ตรวจรายงานการประชุม"):
        assert any(caption in line for line in lines), lines[-8:]
