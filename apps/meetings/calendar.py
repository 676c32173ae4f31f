"""Meetings as iCalendar (RFC 5545 / iTIP RFC 5546), so Outlook, Thunderbird and phones put them
in the calendar.

The invitation and every change go as ``METHOD:REQUEST``, the cancellation as
``METHOD:CANCEL``; all carry the same ``UID`` (``meeting-<pk>@<host of KM_SITE_URL>``) and the
meeting's ``sequence``, which each change of date, time or place and the cancellation raise, so a
calendar replaces the entry it holds. Times are Bangkok's (``TZID=Asia/Bangkok`` with its
``VTIMEZONE``). A meeting with no planned end lasts ``DEFAULT_DURATION`` in the calendar. The
"add to calendar" download is ``METHOD:PUBLISH`` (no attendee list: it is a copy for one person).
Attendees carry ``RSVP=FALSE``: people answer in the portal, not by e-mail replies.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from apps.core.links import absolute_url

from .models import Answer, Meeting

BANGKOK = ZoneInfo("Asia/Bangkok")
DEFAULT_DURATION = dt.timedelta(hours=2)  # a meeting with no planned end, in the calendar
CONTENT_TYPE = "text/calendar"

PARTSTAT = {Answer.ATTEND: "ACCEPTED", Answer.DECLINE: "DECLINED"}


def uid(meeting: Meeting) -> str:
    host = urlsplit(settings.KM_SITE_URL).hostname or "km-portal"
    return f"meeting-{meeting.pk}@{host}"


def times(meeting: Meeting) -> tuple[dt.datetime, dt.datetime]:
    """Start and end in Bangkok time (the default duration when no end is planned)."""
    start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=BANGKOK)
    if meeting.end_time:
        end = dt.datetime.combine(meeting.date, meeting.end_time, tzinfo=BANGKOK)
    else:
        end = start + DEFAULT_DURATION
    return start, end


def _address(person) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(str(person))
    return address


def _description(meeting: Meeting, url: str, *, answer: bool) -> str:
    parts = [meeting.purpose.strip()] if meeting.purpose.strip() else []
    if meeting.host_name:
        parts.append(_("Held by: %(host)s") % {"host": meeting.host_name})
    if answer:
        parts.append(
            _("Please answer whether you will attend in the KM portal: %(url)s") % {"url": url}
        )
    else:
        parts.append(_("The meeting in the KM portal: %(url)s") % {"url": url})
    return "\n\n".join(parts)


def event(meeting: Meeting, *, method: str) -> Event:
    url = absolute_url(meeting.get_absolute_url())
    start, end = times(meeting)
    item = Event()
    item.add("uid", uid(meeting))
    item.add("sequence", meeting.sequence)
    item.add("dtstamp", timezone.now().astimezone(dt.UTC))
    item.add("dtstart", start)
    item.add("dtend", end)
    item.add("summary", str(meeting))
    item.add("location", meeting.place)
    item.add("description", _description(meeting, url, answer=method == "REQUEST"))
    item.add("url", url)
    if meeting.updated_at:
        item.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
    cancelled = method == "CANCEL" or meeting.is_cancelled
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("transp", "OPAQUE")
    if method == "PUBLISH":
        return item
    organiser = meeting.called_by
    if organiser is not None and organiser.email:
        item.add("organizer", _address(organiser))
    else:
        address = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
        address.params["CN"] = vText(settings.KM_ORGANISATION_NAME)
        item.add("organizer", address)
    for attendance in meeting.attendances.select_related("person").order_by("order", "pk"):
        person = attendance.person
        if not person.email or not person.is_active:
            continue
        address = _address(person)
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = PARTSTAT.get(attendance.answer, "NEEDS-ACTION")
        address.params["RSVP"] = "FALSE"
        item.add("attendee", address)
    return item


def calendar(meeting: Meeting, *, method: str) -> bytes:
    """The meeting as an iCalendar file: ``REQUEST`` (invitation, change), ``CANCEL``, or
    ``PUBLISH`` (a copy to add to one's calendar)."""
    cal = Calendar()
    cal.add("prodid", f"-//{settings.KM_ORGANISATION_NAME}//KM Portal//TH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(event(meeting, method=method))
    cal.add_missing_timezones()
    return cal.to_ical()


def filename(meeting: Meeting) -> str:
    return f"meeting-{meeting.fiscal_year}-{meeting.number}.ics"


def invitation_files(notice) -> list[tuple[str, bytes, str]]:
    """The ``attachments`` hook of the invitation, change and cancellation notices: the meeting
    as it is when the e-mail goes (a meeting cancelled since cancels)."""
    meeting = notice.target
    if not isinstance(meeting, Meeting):
        return []
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    return [
        (filename(meeting), calendar(meeting, method=method), f"{CONTENT_TYPE}; method={method}")
    ]
