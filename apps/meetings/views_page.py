"""The secretary's one meeting page: the agenda (added, dragged into order, taken off), the
attendance ticked from the invitation answers, the chair, the minutes item by item and the
action items under the item they come from.

Every step is a small POST that calls one service. Sent by the page's script (header
``X-KM-Fragment: 1``) it answers with the part of the page that changed, which the script puts
in place; sent by a plain form (no script) it redirects back to the page at that part. A meeting
the person may not open answers 404, a step they may not take 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.concurrency import StaleEditError, posted_version
from apps.core.forms import active_people, person_label
from apps.core.permissions import visible_or_404
from apps.core.thaidates import format_date_input

from . import rules, selectors, services, services_page
from .forms_page import (
    ActionAddForm,
    AgendaAddForm,
    ItemMinutesForm,
    MarkForm,
    MinutesHeaderForm,
    MoveForm,
)
from .models import AgendaItem, Attendance, Meeting, Minutes

VIEW = "meetings.view_meeting"
CHANGE = "meetings.change_meeting"
FRAGMENT_HEADER = "X-KM-Fragment"

# What a step answers the script with (the page but its heading; the script keeps what was typed
# elsewhere), and where a step sent without script returns to: (template, anchor).
BODY = "meetings/includes/record_body.html"
AGENDA = (BODY, "record-agenda")
ATTENDANCE = (BODY, "record-attendance")
HEADER = (BODY, "record-header")


def _meeting(request, pk) -> Meeting:
    """The meeting (404 unless the person may open it), if they keep its record (403)."""
    meeting = visible_or_404(Meeting.objects.select_related("team"), request.user, VIEW, pk=pk)
    if not rules.keeps_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def _row(request, model, pk):
    row = get_object_or_404(model.objects.select_related("meeting"), pk=pk)
    meeting = _meeting(request, row.meeting_id)
    row.meeting = meeting
    return row, meeting


def page_context(meeting: Meeting, user) -> dict[str, Any]:
    """What the page (and each of its parts) shows."""
    context = {"meeting": meeting, **selectors.meeting_page(meeting, user)}
    minutes = context["minutes"]
    context["chair"] = selectors.chair_of(meeting, context["attendances"])
    context["add_form"] = AgendaAddForm(auto_id="add_%s")
    # The choices of every item's action-item form, read once.
    context["people"] = [(p.pk, person_label(p)) for p in active_people()]
    context["due_default"] = format_date_input(meeting.date + dt.timedelta(days=30))
    context["header_form"] = (
        MinutesHeaderForm(instance=minutes, meeting=meeting) if minutes else None
    )
    context["can_change"] = user.has_perm(CHANGE, meeting)
    return context


@require_GET
def record_page(request, pk):
    meeting = _meeting(request, pk)
    if not request.user.has_perm(CHANGE, meeting):
        messages.info(request, _("This meeting's record can no longer change."))
        return redirect(meeting)
    html = render_to_string(
        "meetings/meeting_record.html", page_context(meeting, request.user), request=request
    )
    return HttpResponse(html)


def _answer(
    request, meeting: Meeting, part, step, success: str, *, form=None, shown_as: str = ""
) -> HttpResponse:
    """Run ``step`` (a service call) unless ``form`` is invalid; answer with ``part`` of the
    page (for the script) or a redirect to it."""
    status = 200
    if form is not None and not form.is_valid():
        status = 400
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join([_("Nothing was saved."), *errors]))
    else:
        try:
            step()
        except ValidationError as error:
            status = 409
            messages.error(request, " ".join([_("Nothing was saved."), *error.messages]))
        except StaleEditError as error:
            status = 409
            messages.warning(request, str(error))
        else:
            if success:
                messages.success(request, success)
    template, anchor = part
    if request.headers.get(FRAGMENT_HEADER) != "1":
        return redirect(f"{reverse('meetings:record', args=[meeting.pk])}#{anchor}")
    meeting.refresh_from_db()
    context = page_context(meeting, request.user)
    if shown_as and status != 200:
        context[shown_as] = form  # the refused form again, with what was typed and why
    html = render_to_string(template, context, request=request)
    return HttpResponse(html, status=status)


# --- Agenda --------------------------------------------------------------------------------------
@require_POST
def agenda_add(request, pk):
    meeting = _meeting(request, pk)
    form = AgendaAddForm(request.POST)
    return _answer(
        request,
        meeting,
        AGENDA,
        lambda: services_page.agenda_add(
            meeting=meeting,
            by=request.user,
            title=form.cleaned_data["title"],
            section=form.cleaned_data["section"],
        ),
        _("The item has been added to the agenda."),
        form=form,
    )


@require_POST
def agenda_move(request, pk):
    item, meeting = _row(request, AgendaItem, pk)
    form = MoveForm(request.POST)

    def step():
        section, index = form.place(item)
        services_page.agenda_move(
            item=item,
            by=request.user,
            section=section,
            index=index,
            expected_version=posted_version(request.POST),
        )

    return _answer(request, meeting, AGENDA, step, "", form=form)


@require_POST
def agenda_remove(request, pk):
    item, meeting = _row(request, AgendaItem, pk)
    return _answer(
        request,
        meeting,
        AGENDA,
        lambda: services_page.agenda_remove(
            item=item, by=request.user, expected_version=posted_version(request.POST)
        ),
        _("The item has been taken off the agenda."),
    )


@require_POST
def item_minutes(request, pk):
    item, meeting = _row(request, AgendaItem, pk)
    form = ItemMinutesForm(request.POST)
    return _answer(
        request,
        meeting,
        AGENDA,
        lambda: services_page.item_minutes_save(
            item=item,
            by=request.user,
            discussion=form.cleaned_data["discussion"],
            resolution=form.cleaned_data["resolution"],
            expected_version=posted_version(request.POST),
        ),
        _("The minutes of “%(item)s” have been saved.") % {"item": item.title},
        form=form,
    )


@require_POST
def item_action(request, pk):
    """An action item added under the agenda item (the decision) it comes from."""
    item, meeting = _row(request, AgendaItem, pk)
    form = ActionAddForm(request.POST, meeting=meeting)
    return _answer(
        request,
        meeting,
        AGENDA,
        lambda: services.action_save(
            meeting=meeting,
            by=request.user,
            description=form.cleaned_data["description"],
            owner=form.cleaned_data["owner"],
            due_date=form.cleaned_data["due_date"],
            agenda_item=item,
        ),
        _("The action item has been added."),
        form=form,
    )


# --- Attendance and the minutes' header ----------------------------------------------------------
@require_POST
def attendance_mark(request, pk):
    attendance, meeting = _row(request, Attendance, pk)
    form = MarkForm(request.POST)
    return _answer(
        request,
        meeting,
        ATTENDANCE,
        lambda: services_page.attendance_mark(
            attendance=attendance,
            by=request.user,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            expected_version=posted_version(request.POST),
        ),
        "",
        form=form,
    )


@require_POST
def attendance_chair(request, pk):
    attendance, meeting = _row(request, Attendance, pk)
    return _answer(
        request,
        meeting,
        ATTENDANCE,
        lambda: services_page.chair_set(
            attendance=attendance, by=request.user, expected_version=posted_version(request.POST)
        ),
        _("%(person)s chairs the meeting; the minutes name them as the chair.")
        % {"person": attendance.person},
    )


@require_POST
def attendance_from_answers(request, pk):
    meeting = _meeting(request, pk)
    return _answer(
        request,
        meeting,
        ATTENDANCE,
        lambda: services_page.attendance_from_answers(meeting=meeting, by=request.user),
        _("The attendance has been ticked from the invitation answers."),
    )


@require_POST
def minutes_header(request, pk):
    """The minutes' times, who took and checked them, and the guests (the chair comes from the
    attendance)."""
    meeting = _meeting(request, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    form = MinutesHeaderForm(request.POST, instance=minutes, meeting=meeting)

    def step():
        details = form.details()
        services.minutes_save(
            meeting=meeting,
            by=request.user,
            details=details,
            shown=minutes,
            expected_version=form.expected_version if minutes else 0,
        )

    return _answer(
        request,
        meeting,
        HEADER,
        step,
        _("The minutes have been saved."),
        form=form,
        shown_as="header_form",
    )
