"""Meetings with their agenda, minutes and action items in search.

Meetings and minutes are the KM team's working record: KM members see them all, and anyone else
only the meetings they were invited to (``owner``). The kind stays ``km_meeting`` (as when
meetings were part of the plans app), so an index built before the move keeps its documents.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.searchables import Searchable, ordered, register

from .models import ActionItem, AgendaItem, Attendance, Meeting, Minutes


def meeting_fields(meeting: Meeting) -> dict:
    parts = [meeting.purpose, meeting.place, meeting.host_name]
    for item in ordered(meeting.agenda_items.all(), lambda item: (item.section, item.order)):
        parts += [item.title, item.detail, item.discussion, item.resolution]
    parts += [action.description for action in ordered(meeting.action_items.all())]
    return {
        "title": str(meeting),
        "body": "\n".join(part for part in parts if part),
        "code": meeting.reference,
        "team": [meeting.team_id] if meeting.team_id else [],
        "date": meeting.date,
        "year": meeting.fiscal_year,
        "access": "km",
        "owner": sorted({attendance.person_id for attendance in meeting.attendances.all()}),
    }


register(
    Searchable(
        kind="km_meeting",
        model=Meeting,
        label=_("Meetings and minutes"),
        icon="calendar-event",
        fields=meeting_fields,
        visible=lambda user: Meeting.objects.visible_to(user),
        may_open=lambda user, meeting: user.has_perm("meetings.view_meeting", meeting),
        queryset=lambda: Meeting.objects.select_related("team").prefetch_related(
            "agenda_items", "action_items", "attendances"
        ),
        snippet=lambda meeting: "\n".join(
            [
                meeting.purpose,
                *(
                    item.resolution
                    for item in ordered(meeting.agenda_items.all(), lambda i: (i.section, i.order))
                ),
            ]
        ),
        results=lambda: Meeting.objects.prefetch_related("agenda_items"),
        depends={
            AgendaItem: lambda row: [row.meeting_id],
            ActionItem: lambda row: [row.meeting_id],
            Attendance: lambda row: [row.meeting_id],
            Minutes: lambda row: [row.meeting_id],
        },
    )
)
