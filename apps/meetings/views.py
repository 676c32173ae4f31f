"""Meetings: the list, a meeting's page, scheduling, agenda, attendance, minutes, action items,
adoption of minutes, and the minutes laid out as Thai government minutes for printing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.core.concurrency import (
    StaleEditError,
    formset_versions,
    posted_version,
    show_formset_conflict,
)
from apps.core.links import safe_next
from apps.plans.views.common import download, invalid, require, require_to_edit, service_error

from . import exports, selectors, services
from .forms import (
    ActionDoneForm,
    ActionItemForm,
    AdoptForm,
    AgendaFormSet,
    AttendanceFormSet,
    InviteForm,
    ItemMinutesFormSet,
    MeetingForm,
    MinutesForm,
    activity_choices,
    meeting_activities,
)
from .models import ActionItem, Meeting, Minutes


def _meeting(pk) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("team"), pk=pk)


def _formset_conflict(request, formset, conflict: StaleEditError) -> None:
    """Show a refused row's changes on its own form (or say so, if the row is gone)."""
    if show_formset_conflict(formset, conflict):
        messages.error(
            request,
            _(
                "Nothing was saved: someone else changed a row of this page while you were "
                "editing it. The row is marked below, with what they changed."
            ),
        )
    else:
        messages.error(request, str(conflict))


@require_safe
def meeting_list(request):
    require(request, "meetings.browse_meetings")
    meetings = selectors.meetings_list(request.user)
    page = Paginator(meetings, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/meeting_list.html",
        {"page_obj": page, "meetings": page.object_list, "is_paginated": page.has_other_pages()},
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request):
    require(request, "meetings.add_meeting")
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                meeting = services.meeting_schedule(form=form, by=request.user)
            except ValidationError as error:
                service_error(request, error, form)
            else:
                messages.success(
                    request,
                    _(
                        "Meeting no. %(reference)s has been scheduled. The people invited see it "
                        "on their home page."
                    )
                    % {"reference": meeting.reference},
                )
                return redirect(meeting)
        else:
            invalid(request)
    return render(request, "meetings/meeting_form.html", {"form": form})


@require_safe
def meeting_detail(request, pk):
    meeting = _meeting(pk)
    require(request, "meetings.view_meeting", meeting)
    context = {"meeting": meeting, **selectors.meeting_page(meeting, request.user)}
    if context["minutes"] and not context["minutes"].is_adopted:
        context["adopt_form"] = AdoptForm(meeting=meeting)
    return render(request, "meetings/meeting_detail.html", context)


@require_http_methods(["GET", "POST"])
def meeting_update(request, pk):
    meeting = _meeting(pk)
    require_to_edit(request, "meetings.change_meeting", meeting, role="meetings.add_meeting")
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.meeting_update(
                    form=form, by=request.user, expected_version=form.expected_version
                )
            except ValidationError as error:
                service_error(request, error, form)
            except StaleEditError as conflict:
                form.show_conflict(conflict)
            else:
                messages.success(request, _("The meeting has been saved."))
                return redirect(meeting)
        else:
            invalid(request)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@require_POST
def meeting_cancel(request, pk):
    meeting = _meeting(pk)
    require(request, "meetings.change_meeting", meeting)
    try:
        services.meeting_cancel(
            meeting=meeting, by=request.user, expected_version=posted_version(request.POST)
        )
    except ValidationError as error:
        service_error(request, error)
    except StaleEditError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("The meeting has been cancelled."))
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
def agenda_edit(request, pk):
    meeting = _meeting(pk)
    require_to_edit(request, "meetings.change_meeting", meeting, role="meetings.add_meeting")
    activities = meeting_activities(meeting)
    formset = AgendaFormSet(
        request.POST or None,
        instance=meeting,
        form_kwargs={"activities": activities, "activity_choices": activity_choices(activities)},
        prefix="items",
    )
    if request.method == "POST":
        if formset.is_valid():
            try:
                services.agenda_save(
                    meeting=meeting,
                    formset=formset,
                    by=request.user,
                    expected_versions=formset_versions(formset),
                )
            except ValidationError as error:
                service_error(request, error)
            except StaleEditError as conflict:
                _formset_conflict(request, formset, conflict)
            else:
                messages.success(request, _("The agenda has been saved."))
                return redirect(meeting)
        else:
            invalid(request)
    return render(request, "meetings/agenda_form.html", {"formset": formset, "meeting": meeting})


@require_http_methods(["GET", "POST"])
def attendance_edit(request, pk):
    meeting = _meeting(pk)
    require_to_edit(request, "meetings.change_meeting", meeting, role="meetings.add_meeting")
    data = request.POST or None
    formset = AttendanceFormSet(
        data,
        instance=meeting,
        prefix="people",
        queryset=meeting.attendances.select_related("person"),
    )
    invite = InviteForm(data, meeting=meeting)
    if request.method == "POST":
        if formset.is_valid() and invite.is_valid():
            try:
                services.attendance_save(
                    meeting=meeting,
                    formset=formset,
                    invite=invite.cleaned_data["invite"],
                    by=request.user,
                    expected_versions=formset_versions(formset),
                )
            except ValidationError as error:
                service_error(request, error)
            except StaleEditError as conflict:
                _formset_conflict(request, formset, conflict)
            else:
                messages.success(request, _("The attendance has been saved."))
                return redirect(meeting)
        else:
            invalid(request)
    context = {"formset": formset, "invite_form": invite, "meeting": meeting}
    return render(request, "meetings/attendance_form.html", context)


@require_http_methods(["GET", "POST"])
def minutes_edit(request, pk):
    meeting = _meeting(pk)
    require_to_edit(request, "meetings.change_meeting", meeting, role="meetings.add_meeting")
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None and not meeting.has_started():
        messages.info(request, _("Minutes can be written once the meeting has begun."))
        return redirect(meeting)
    data = request.POST or None
    # Whoever writes the minutes first is, by default, the one who took them.
    initial = None if minutes else {"recorder": request.user.pk}
    form = MinutesForm(data, instance=minutes, meeting=meeting, initial=initial)
    items = ItemMinutesFormSet(data, instance=meeting, prefix="items")
    if request.method == "POST":
        if form.is_valid() and items.is_valid():
            try:
                services.minutes_save(
                    meeting=meeting,
                    form=form,
                    items=items,
                    by=request.user,
                    expected_version=form.expected_version,
                    expected_item_versions=formset_versions(items),
                )
            except ValidationError as error:
                service_error(request, error, form)
            except StaleEditError as conflict:
                if isinstance(conflict.current, Minutes) or conflict.current is None:
                    form.show_conflict(conflict)
                else:
                    _formset_conflict(request, items, conflict)
            else:
                messages.success(request, _("The minutes have been saved."))
                return redirect(meeting)
        else:
            invalid(request)
    context = {"form": form, "items": items, "meeting": meeting, "minutes": minutes}
    return render(request, "meetings/minutes_form.html", context)


@require_POST
def minutes_adopt(request, pk):
    meeting = _meeting(pk)
    require(request, "meetings.adopt_minutes", meeting)
    form = AdoptForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, _("Choose the later meeting that adopted these minutes."))
        return redirect(meeting)
    try:
        services.minutes_adopt(
            minutes=meeting.minutes,
            at_meeting=form.cleaned_data["at_meeting"],
            by=request.user,
            note=form.cleaned_data["note"],
            expected_version=posted_version(request.POST),
        )
    except ValidationError as error:
        service_error(request, error)
    except StaleEditError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("The minutes have been adopted and are now final."))
    return redirect(safe_next(request, meeting.get_absolute_url()))


@require_safe
def minutes_print(request, pk):
    """The minutes laid out as Thai government minutes (รายงานการประชุม), for printing."""
    meeting = _meeting(pk)
    require(request, "meetings.view_meeting", meeting)
    context = {"meeting": meeting, **selectors.meeting_page(meeting, request.user)}
    return render(request, "meetings/minutes_print.html", context)


@require_safe
def minutes_pdf(request, pk):
    meeting = _meeting(pk)
    require(request, "meetings.view_meeting", meeting)
    page = selectors.meeting_page(meeting, request.user)
    return download(
        exports.minutes_pdf(meeting, page),
        f"km-minutes-{meeting.fiscal_year}-{meeting.number}.pdf",
        "application/pdf",
    )


# --- Action items --------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def action_edit(request, pk=None, meeting_pk=None):
    action = None
    if pk is not None:
        action = get_object_or_404(ActionItem.objects.select_related("meeting"), pk=pk)
        meeting = action.meeting
    else:
        meeting = _meeting(meeting_pk)
    require_to_edit(request, "meetings.change_meeting", meeting, role="meetings.add_meeting")
    form = ActionItemForm(request.POST or None, instance=action, meeting=meeting)
    if request.method == "POST":
        if form.is_valid():
            try:
                action = services.action_save(
                    meeting=meeting,
                    form=form,
                    by=request.user,
                    expected_version=form.expected_version,
                )
            except ValidationError as error:
                service_error(request, error, form)
            except StaleEditError as conflict:
                form.show_conflict(conflict)
            else:
                messages.success(request, _("The action item has been saved."))
                return redirect(action)
        else:
            invalid(request)
    context = {"form": form, "meeting": meeting, "action": action}
    return render(request, "meetings/action_form.html", context)


@require_POST
def action_done(request, pk):
    action = get_object_or_404(ActionItem.objects.select_related("meeting"), pk=pk)
    require(request, "meetings.update_action", action)
    form = ActionDoneForm(request.POST)
    if form.is_valid():
        try:
            services.action_complete(
                action=action,
                by=request.user,
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
                expected_version=posted_version(request.POST),
            )
        except ValidationError as error:
            service_error(request, error)
        except StaleEditError as error:
            messages.warning(request, str(error))
        else:
            messages.success(request, _("The action item is marked done."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(safe_next(request, action.get_absolute_url()))


@require_POST
def action_reopen(request, pk):
    action = get_object_or_404(ActionItem.objects.select_related("meeting"), pk=pk)
    require(request, "meetings.update_action", action)
    try:
        services.action_reopen(
            action=action, by=request.user, expected_version=posted_version(request.POST)
        )
    except StaleEditError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, _("The action item is open again."))
    return redirect(safe_next(request, action.get_absolute_url()))
