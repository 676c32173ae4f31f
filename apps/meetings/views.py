"""Meetings: the list, a meeting's page, scheduling, agenda, attendance, minutes, action items,
adoption of minutes, and the minutes laid out as Thai government minutes for printing.

A meeting the person may not open answers 404 (as if it did not exist); an action on a meeting
they may open but not change answers 403 (``apps.core.permissions``). Edit pages are
``ServiceFormView``s: the form checks what was typed, one service decides and saves.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from apps.core.concurrency import (
    StaleEditError,
    formset_versions,
    posted_version,
    sent_from_edit_page,
    show_formset_conflict,
)
from apps.core.links import safe_next
from apps.core.permissions import (
    ObjectPermissionMixin,
    require,
    require_visible,
    visible_or_404,
)
from apps.core.views.forms import ServiceFormView, show_service_error

from . import calendar, exports, rules, selectors, services, services_answers
from .forms import (
    ActionDoneForm,
    ActionItemForm,
    AdoptForm,
    AgendaFormSet,
    AnswerForm,
    AttendanceFormSet,
    InviteForm,
    ItemMinutesFormSet,
    MeetingForm,
    MinutesForm,
    activity_choices,
    agenda_rows,
    attendance_rows,
    item_minutes,
    meeting_activities,
)
from .models import ActionItem, Meeting, Minutes

VIEW = "meetings.view_meeting"
CHANGE = "meetings.change_meeting"


def _meeting_for(user, pk) -> Meeting:
    """The meeting, if ``user`` may open it (404 otherwise)."""
    return visible_or_404(Meeting.objects.select_related("team"), user, VIEW, pk=pk)


def _action_for(user, pk) -> ActionItem:
    """The action item, if ``user`` may open its meeting (404 otherwise; its owner always may)."""
    action = get_object_or_404(ActionItem.objects.select_related("meeting"), pk=pk)
    require_visible(user, VIEW, action.meeting)
    return action


def _require_to_edit(request, meeting: Meeting) -> None:
    """403 unless the person may change the meeting; but the form of an edit page, sent by a
    keeper about a meeting whose state no longer allows it (adopted or cancelled since the page
    was opened), goes on to the service, which refuses it with the reason while the form is
    shown again with everything typed."""
    if request.user.has_perm(CHANGE, meeting):
        return
    if (
        request.method == "POST"
        and sent_from_edit_page(request.POST)
        and request.user.has_perm("meetings.add_meeting")
    ):
        return
    raise PermissionDenied


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


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Reading -------------------------------------------------------------------------------------
class MeetingListView(ListView):
    template_name = "meetings/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 20
    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        require(request.user, "meetings.browse_meetings")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.meetings_list(self.request.user)


class MeetingDetailView(ObjectPermissionMixin, DetailView):
    """A meeting with its agenda, attendance, minutes and action items."""

    queryset = Meeting.objects.select_related("team")
    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"
    view_permission = VIEW
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(selectors.meeting_page(self.object, self.request.user))
        if context["minutes"] and not context["minutes"].is_adopted:
            context["adopt_form"] = AdoptForm(meeting=self.object)
        return context


class MinutesPrintView(ObjectPermissionMixin, DetailView):
    """The minutes laid out as Thai government minutes (รายงานการประชุม), for printing."""

    queryset = Meeting.objects.select_related("team")
    template_name = "meetings/minutes_print.html"
    context_object_name = "meeting"
    view_permission = VIEW
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(selectors.meeting_page(self.object, self.request.user))
        return context


class MinutesPdfView(ObjectPermissionMixin, DetailView):
    queryset = Meeting.objects.select_related("team")
    view_permission = VIEW
    http_method_names = ["get", "head"]

    def render_to_response(self, context, **response_kwargs) -> HttpResponse:
        meeting = self.object
        page = selectors.meeting_page(meeting, self.request.user)
        return _download(
            exports.minutes_pdf(meeting, page),
            f"km-minutes-{meeting.fiscal_year}-{meeting.number}.pdf",
            "application/pdf",
        )


class MeetingCalendarView(ObjectPermissionMixin, DetailView):
    """ "Add to calendar": the meeting as an iCalendar file, for anyone who may open it."""

    queryset = Meeting.objects.select_related("team")
    view_permission = VIEW
    http_method_names = ["get", "head"]

    def render_to_response(self, context, **response_kwargs) -> HttpResponse:
        meeting = self.object
        return _download(
            calendar.calendar(meeting, method="PUBLISH"),
            calendar.filename(meeting),
            f"{calendar.CONTENT_TYPE}; charset=utf-8",
        )


# --- Scheduling ----------------------------------------------------------------------------------
class MeetingCreateView(ServiceFormView):
    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"

    def dispatch(self, request, *args, **kwargs):
        require(request.user, "meetings.add_meeting")
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form) -> Meeting:
        return services.meeting_schedule(
            by=self.request.user,
            details=form.details(),
            invitees=form.cleaned_data["invitees"],
        )

    def get_success_message(self) -> str:
        return _(
            "Meeting no. %(reference)s has been scheduled. The people invited see it on their "
            "home page."
        ) % {"reference": self.saved.reference}


class MeetingEditMixin:
    """An edit page of a meeting: 404 unless the person may open it, 403 unless they may change
    it (see ``_require_to_edit``); the meeting is ``self.meeting``."""

    def dispatch(self, request, *args, **kwargs):
        self.meeting = _meeting_for(request.user, kwargs["pk"])
        _require_to_edit(request, self.meeting)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def get_success_url(self) -> str:
        return self.meeting.get_absolute_url()


class MeetingUpdateView(MeetingEditMixin, ServiceFormView):
    form_class = MeetingForm
    template_name = "meetings/meeting_form.html"
    success_message = _("The meeting has been saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.meeting}

    def perform(self, form) -> Meeting:
        return services.meeting_update(
            meeting=self.meeting,
            by=self.request.user,
            details=form.details(),
            invitees=form.cleaned_data["invitees"],
            expected_version=form.expected_version,
        )


class FormsetServiceView(MeetingEditMixin, ServiceFormView):
    """An edit page whose form is a formset (``formset`` in the template): a row someone else
    changed meanwhile is marked on its own form; a refusal shows above the rows."""

    prefix_name = "items"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = {"instance": self.meeting, "prefix": self.prefix_name}
        if self.request.method == "POST":
            kwargs["data"] = self.request.POST
        return kwargs

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["formset"] = context["form"]
        return context

    def show_conflict(self, form, conflict: StaleEditError) -> None:
        _formset_conflict(self.request, form, conflict)

    def show_refusal(self, form, error: ValidationError) -> None:
        show_service_error(self.request, error)


class AgendaView(FormsetServiceView):
    form_class = AgendaFormSet
    template_name = "meetings/agenda_form.html"
    success_message = _("The agenda has been saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        activities = meeting_activities(self.meeting)
        form_kwargs = {"activities": activities, "activity_choices": activity_choices(activities)}
        return {**super().get_form_kwargs(), "form_kwargs": form_kwargs}

    def perform(self, form) -> list:
        return services.agenda_save(
            meeting=self.meeting,
            by=self.request.user,
            rows=agenda_rows(form),
            expected_versions=formset_versions(form),
        )


class AttendanceView(FormsetServiceView):
    """Who came and who did not; more people to invite (a second form on the page)."""

    form_class = AttendanceFormSet
    template_name = "meetings/attendance_form.html"
    success_message = _("The attendance has been saved.")
    prefix_name = "people"

    @cached_property
    def invite_form(self) -> InviteForm:
        data = self.request.POST if self.request.method == "POST" else None
        return InviteForm(data, meeting=self.meeting)

    def get_form_kwargs(self) -> dict[str, Any]:
        queryset = self.meeting.attendances.select_related("person")
        return {**super().get_form_kwargs(), "queryset": queryset}

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(invite_form=self.invite_form, **kwargs)
        context["answers"] = selectors.answer_counts([f.instance for f in context["formset"]])
        return context

    def post(self, request, *args, **kwargs) -> HttpResponse:
        formset = self.get_form()
        if formset.is_valid() and self.invite_form.is_valid():
            return self.form_valid(formset)
        return self.form_invalid(formset)

    def perform(self, form) -> None:
        services.attendance_save(
            meeting=self.meeting,
            by=self.request.user,
            rows=attendance_rows(form),
            invite=self.invite_form.cleaned_data["invite"],
            expected_versions=formset_versions(form),
        )


class MinutesView(MeetingEditMixin, ServiceFormView):
    """The minutes' header (a form) and what each agenda item discussed and resolved (a
    formset, ``items``)."""

    form_class = MinutesForm
    template_name = "meetings/minutes_form.html"
    success_message = _("The minutes have been saved.")

    def get(self, request, *args, **kwargs) -> HttpResponse:
        if self.minutes is None and not self.meeting.has_started():
            messages.info(request, _("Minutes can be written once the meeting has begun."))
            return redirect(self.meeting)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs) -> HttpResponse:
        if self.minutes is None and not self.meeting.has_started():
            messages.info(request, _("Minutes can be written once the meeting has begun."))
            return redirect(self.meeting)
        form = self.get_form()
        if form.is_valid() and self.items.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    @cached_property
    def minutes(self) -> Minutes | None:
        return Minutes.objects.filter(meeting=self.meeting).first()

    @cached_property
    def items(self):
        data = self.request.POST if self.request.method == "POST" else None
        return ItemMinutesFormSet(data, instance=self.meeting, prefix="items")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=self.minutes, meeting=self.meeting)
        if self.minutes is None:
            # Whoever writes the minutes first is, by default, the one who took them.
            kwargs["initial"] = {"recorder": self.request.user.pk}
        return kwargs

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        return super().get_context_data(items=self.items, minutes=self.minutes, **kwargs)

    def show_conflict(self, form, conflict: StaleEditError) -> None:
        if isinstance(conflict.current, Minutes) or conflict.current is None:
            form.show_conflict(conflict)
        else:  # a row of the agenda changed meanwhile
            _formset_conflict(self.request, self.items, conflict)

    def perform(self, form) -> Minutes:
        return services.minutes_save(
            meeting=self.meeting,
            by=self.request.user,
            details=form.details(),
            items=item_minutes(self.items),
            shown=self.minutes,
            expected_version=form.expected_version,
            expected_item_versions=formset_versions(self.items),
        )


# --- Action items --------------------------------------------------------------------------------
class ActionEditView(ServiceFormView):
    """Add an action item to a meeting (``meeting_pk``) or change one (``pk``)."""

    form_class = ActionItemForm
    template_name = "meetings/action_form.html"
    success_message = _("The action item has been saved.")

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            self.action = _action_for(request.user, kwargs["pk"])
            self.meeting = self.action.meeting
        else:
            self.action = None
            self.meeting = _meeting_for(request.user, kwargs["meeting_pk"])
        _require_to_edit(request, self.meeting)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.action, "meeting": self.meeting}

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        return super().get_context_data(meeting=self.meeting, action=self.action, **kwargs)

    def perform(self, form) -> ActionItem:
        data = form.cleaned_data
        return services.action_save(
            meeting=self.meeting,
            by=self.request.user,
            action=self.action,
            description=data["description"],
            owner=data["owner"],
            due_date=data["due_date"],
            agenda_item=data.get("agenda_item"),
            activity=data.get("activity"),
            expected_version=form.expected_version,
        )


# --- Steps (POST only) ---------------------------------------------------------------------------
def _done(request, message: str, step, target: str) -> HttpResponse:
    """Run one step; its refusal (a rule, or a change made meanwhile) is the message."""
    try:
        step()
    except ValidationError as error:
        show_service_error(request, error)
    except StaleEditError as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, message)
    return redirect(target)


@require_POST
def meeting_cancel(request, pk):
    meeting = _meeting_for(request.user, pk)
    require(request.user, CHANGE, meeting)
    return _done(
        request,
        _("The meeting has been cancelled."),
        lambda: services.meeting_cancel(
            meeting=meeting, by=request.user, expected_version=posted_version(request.POST)
        ),
        meeting.get_absolute_url(),
    )


@require_POST
def invitation_answer(request, pk):
    """The invitee answers: attend, or cannot attend (and why). Only the person invited (403
    for anyone else); a meeting that has begun or was cancelled is refused with the reason."""
    meeting = _meeting_for(request.user, pk)
    if not rules.is_invitee(request.user, meeting):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(meeting)
    attend = form.attend()
    return _done(
        request,
        _("Thank you: you will attend.") if attend else _("Thank you: you cannot attend."),
        lambda: services_answers.invitation_answer(
            meeting=meeting, by=request.user, attend=attend, reason=form.cleaned_data["reason"]
        ),
        f"{meeting.get_absolute_url()}#my-answer",
    )


@require_POST
def minutes_adopt(request, pk):
    meeting = _meeting_for(request.user, pk)
    require(request.user, "meetings.adopt_minutes", meeting)
    form = AdoptForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, _("Choose the later meeting that adopted these minutes."))
        return redirect(meeting)
    return _done(
        request,
        _("The minutes have been adopted and are now final."),
        lambda: services.minutes_adopt(
            minutes=meeting.minutes,
            at_meeting=form.cleaned_data["at_meeting"],
            by=request.user,
            note=form.cleaned_data["note"],
            expected_version=posted_version(request.POST),
        ),
        safe_next(request, meeting.get_absolute_url()),
    )


@require_POST
def action_done(request, pk):
    action = _action_for(request.user, pk)
    require(request.user, "meetings.update_action", action)
    target = safe_next(request, action.get_absolute_url())
    form = ActionDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(target)
    return _done(
        request,
        _("The action item is marked done."),
        lambda: services.action_complete(
            action=action,
            by=request.user,
            done_on=form.cleaned_data["done_on"],
            note=form.cleaned_data["note"],
            expected_version=posted_version(request.POST),
        ),
        target,
    )


@require_POST
def action_reopen(request, pk):
    action = _action_for(request.user, pk)
    require(request.user, "meetings.update_action", action)
    return _done(
        request,
        _("The action item is open again."),
        lambda: services.action_reopen(
            action=action, by=request.user, expected_version=posted_version(request.POST)
        ),
        safe_next(request, action.get_absolute_url()),
    )
