"""A meeting's minutes laid out as Thai government minutes (รายงานการประชุม), as a PDF."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.thaidates import format_date_long
from apps.knowledge.content import render
from apps.plans.pdf import ThaiPDF
from apps.plans.templatetags.plans_tags import meeting_day, thai_time

from .models import Meeting


def minutes_plain(text: str) -> str:
    """A minutes text (Markdown, or plain text typed before the editor) without its marks, one
    line per paragraph or line break, for the PDF."""
    if not text:
        return ""
    lines = render(text, breaks=True).text.splitlines()
    return "\n".join(line.strip() for line in lines if line.strip())


def minutes_pdf(meeting: Meeting, page: dict) -> bytes:
    """A meeting's minutes laid out as Thai government minutes (รายงานการประชุม)."""
    minutes = page["minutes"]
    pdf = ThaiPDF(footer_text=str(meeting))
    pdf.set_margins(25, 20, 20)
    pdf.add_page()
    title = meeting.minutes_title
    pdf.paragraph(title, size=15, bold=True, align="C", gap=0)
    reference = _("No. %(reference)s") % {"reference": meeting.reference}
    pdf.paragraph(reference, size=14, bold=True, align="C", gap=0)
    when = _("On %(day)s at %(time)s") % {
        "day": meeting_day(meeting.date),
        "time": thai_time(meeting.start_time),
    }
    pdf.paragraph(when, size=13, align="C", gap=0)
    pdf.paragraph(_("At %(place)s") % {"place": meeting.place}, size=13, align="C", gap=2)
    pdf.line(pdf.l_margin + 50, pdf.get_y(), pdf.w - pdf.r_margin - 50, pdf.get_y())
    pdf.ln(3)

    def people_list(title: str, rows: list[str]) -> None:
        pdf.paragraph(title, size=13, bold=True, gap=0)
        if not rows:
            pdf.paragraph("-", size=13, indent=8, gap=1)
        for index, text in enumerate(rows, 1):
            pdf.paragraph(f"{index}. {text}", size=13, indent=8, gap=0)
        pdf.ln(1.5)

    people_list(
        _("Present"),
        [f"{a.person}  {a.meeting_role or a.person.position}" for a in page["present"]],
    )
    people_list(
        _("Absent"),
        [
            f"{a.person}  {a.meeting_role or a.person.position}"
            + (f"  ({a.reason})" if a.reason else "")
            for a in page["absent"]
        ],
    )
    guests = [line.strip() for line in (minutes.guests if minutes else "").splitlines()]
    if any(guests):
        people_list(_("Also attending"), [line for line in guests if line])
    if minutes:
        pdf.paragraph(
            _("The meeting opened at %(time)s") % {"time": thai_time(minutes.opened_at)},
            size=13,
            bold=True,
        )
    for section in page["sections"]:
        pdf.paragraph(
            _("Agenda item %(number)s  %(label)s")
            % {"number": section["number"], "label": section["label"]},
            size=13,
            bold=True,
            gap=0.5,
        )
        if not section["items"]:
            pdf.paragraph(_("None."), size=13, indent=8)
        for index, item in enumerate(section["items"], 1):
            pdf.paragraph(f"{section['number']}.{index} {item.title}", size=13, indent=8, gap=0)
            for text in (item.detail, minutes_plain(item.discussion)):
                if text:
                    pdf.paragraph(text, size=13, indent=14, gap=0)
            if item.resolution:
                pdf.paragraph(_("Resolution"), size=13, bold=True, indent=14, gap=0)
                pdf.paragraph(minutes_plain(item.resolution), size=13, indent=20, gap=0)
            for action in item.actions:
                pdf.paragraph(
                    _("Action: %(what)s — %(owner)s, by %(date)s")
                    % {
                        "what": action.description,
                        "owner": action.owner,
                        "date": format_date_long(action.due_date),
                    },
                    size=12,
                    indent=20,
                    gap=0,
                )
            pdf.ln(1.5)
    if minutes and minutes.closed_at:
        pdf.paragraph(
            _("The meeting closed at %(time)s") % {"time": thai_time(minutes.closed_at)},
            size=13,
            bold=True,
            gap=6,
        )
    if minutes:
        for person, role in (
            (minutes.recorder, _("Minutes taken by")),
            (minutes.checker, _("Minutes checked by")),
        ):
            if person is not None:
                pdf.signature(str(person), role)
    return pdf.output_bytes()
