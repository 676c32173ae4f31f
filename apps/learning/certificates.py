"""Certificates of attendance (เกียรติบัตร) as PDF in Thai, on the portal's one PDF stack
(``apps.plans.pdf.ThaiPDF``: Sarabun with HarfBuzz shaping, line breaks between Thai words)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from apps.core.thaidates import format_date_long
from apps.plans.pdf import FONT, ThaiPDF

from .models import Registration


class CertificatePDF(ThaiPDF):
    """A certificate carries no page footer: it would run over the frame."""

    def footer(self) -> None:
        pass


def certificate_pdf(registration: Registration, *, signer: str = "") -> bytes:
    """One A4 landscape page: the office, the attendee's name, the event, its date and place,
    and the organiser's signature line."""
    event = registration.event
    person = registration.person
    pdf = CertificatePDF(orientation="L")
    pdf.set_margins(25, 20, 25)
    pdf.add_page()
    # A double frame, as printed certificates have.
    pdf.set_draw_color(30, 80, 140)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, pdf.w - 28, pdf.h - 28)
    pdf.set_draw_color(0)
    pdf.set_y(32)
    pdf.paragraph(settings.KM_ORGANISATION_NAME, size=18, bold=True, align="C", gap=2)
    pdf.paragraph(_("Certificate of attendance"), size=30, bold=True, align="C", gap=4)
    pdf.paragraph(_("This certificate is given to"), size=16, align="C", gap=2)
    name = person.get_full_name()  # the title joined to the name, as Thai writes it
    pdf.set_text_color(30, 80, 140)
    pdf.paragraph(name or person.username, size=26, bold=True, align="C", gap=2)
    pdf.set_text_color(0)
    if person.position:
        pdf.paragraph(person.position, size=15, align="C", gap=3)
    pdf.paragraph(
        _("for attending the %(kind)s") % {"kind": event.get_kind_display()},
        size=16,
        align="C",
        gap=1,
    )
    pdf.paragraph(f"“{event.title}”", size=20, bold=True, align="C", gap=2)
    pdf.paragraph(
        _("on %(date)s at %(place)s")
        % {"date": format_date_long(event.date), "place": event.place},
        size=16,
        align="C",
        gap=8,
    )
    pdf.paragraph(
        _("Given on %(date)s") % {"date": format_date_long(event.date)},
        size=15,
        align="C",
        gap=10,
    )
    pdf.set_font(FONT, size=15)
    pdf.signature(signer or "......................................", _("Organiser"), size=15)
    pdf.set_title(_("Certificate of attendance"))
    return pdf.output_bytes()
