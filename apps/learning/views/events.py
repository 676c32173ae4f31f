"""Learning events: the list, an event's page, announcing, changing and calling it off,
registration and cancellation (POST-only), attendance, the evaluation, the certificate and the
organisers' AAR.

Every staff member sees every event; managing one takes ``learning.manage_event`` (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView, UpdateView

from apps.core.concurrency import StaleEditError, posted_version
from apps.core.permissions import (
    ObjectPermissionMixin,
    PagePermissionMixin,
    require,
    visible_or_404,
)
from apps.core.views.forms import ServiceFormMixin, ServiceFormView

from .. import selectors, services
from ..certificates import certificate_pdf
from ..forms import AttendanceForm, EvaluationForm, EventAARForm, EventForm
from ..models import LearningEvent, Registration, RegStatus

VIEW = "learning.view_event"
MANAGE = "learning.manage_event"


class EventListView(PagePermissionMixin, ListView):
    permission_required = VIEW
    template_name = "learning/event_list.html"
    context_object_name = "events"
    paginate_by = 20

    def get_queryset(self):
        events = LearningEvent.objects.visible_to(self.request.user).with_counts()
        if self.request.GET.get("when") == "past":
            return events.filter(date__lt=timezone.localdate()).order_by("-date", "-pk")
        return events.filter(date__gte=timezone.localdate()).order_by("date", "start_time", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(past=self.request.GET.get("when") == "past", **kwargs)


class EventDetailView(ObjectPermissionMixin, DetailView):
    view_permission = VIEW
    queryset = LearningEvent.objects.prefetch_related("organisers")
    template_name = "learning/event_detail.html"
    context_object_name = "event"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.event_page(self.object, self.request.user))
        return context


class EventCreateView(PagePermissionMixin, ServiceFormView):
    permission_required = "learning.add_event"
    form_class = EventForm
    template_name = "learning/form.html"
    extra_context = {"heading": gettext_lazy("New learning event"), "section": "events"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return services.event_create(
            by=self.request.user,
            fields=form.event_fields(),
            organisers=form.cleaned_data["organisers"],
            materials=form.cleaned_data["materials"],
            invitees=form.cleaned_data["invitees"],
        )

    def get_success_message(self) -> str:
        return _("The event “%(event)s” has been announced.") % {"event": self.saved}


class EventUpdateView(ObjectPermissionMixin, ServiceFormMixin, UpdateView):
    view_permission = VIEW
    permission_required = MANAGE
    queryset = LearningEvent.objects.prefetch_related("organisers")
    form_class = EventForm
    template_name = "learning/form.html"
    extra_context = {"heading": gettext_lazy("Edit the event"), "section": "events"}
    success_message = gettext_lazy("The changes have been saved.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return services.event_update(
            by=self.request.user,
            event=self.object,
            fields=form.event_fields(),
            organisers=form.cleaned_data["organisers"],
            materials=form.cleaned_data["materials"],
            expected_version=form.expected_version,
        )


class EventAARView(ObjectPermissionMixin, ServiceFormMixin, UpdateView):
    view_permission = VIEW
    permission_required = MANAGE
    queryset = LearningEvent.objects.prefetch_related("organisers")
    form_class = EventAARForm
    template_name = "learning/form.html"
    extra_context = {
        "heading": gettext_lazy("The organisers' after-action review"),
        "section": "events",
    }
    success_message = gettext_lazy("The after-action review has been saved.")

    def perform(self, form):
        return services.event_aar_save(
            by=self.request.user,
            event=self.object,
            fields=form.cleaned_data,
            expected_version=form.expected_version,
        )


def _back(event: LearningEvent):
    return redirect(event)


@require_POST
def event_register(request, pk):
    """Take a seat, or a place on the waiting list (POST-only)."""
    event = visible_or_404(LearningEvent, request.user, VIEW, pk=pk)
    require(request.user, "learning.register_event", event)
    try:
        registration = services.event_register(by=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(event)
    if registration.status == RegStatus.CONFIRMED:
        messages.success(request, _("You are registered: a seat is kept for you."))
    else:
        messages.info(
            request,
            _(
                "All seats are taken: you are on the waiting list and will be told if a seat "
                "becomes free."
            ),
        )
    return _back(event)


@require_POST
def event_cancel(request, pk):
    """Give up one's seat or place on the waiting list (POST-only)."""
    event = visible_or_404(LearningEvent, request.user, VIEW, pk=pk)
    require(request.user, "learning.register_event", event)
    try:
        services.registration_cancel(by=request.user, event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(event)
    messages.success(request, _("Your registration has been cancelled."))
    return _back(event)


@require_POST
def event_call_off(request, pk):
    """The organisers call the whole event off, saying why (POST-only)."""
    event = visible_or_404(LearningEvent, request.user, VIEW, pk=pk)
    require(request.user, MANAGE, event)
    try:
        services.event_cancel(
            by=request.user,
            event=event,
            reason=request.POST.get("reason", ""),
            expected_version=posted_version(request.POST),
        )
    except ValidationError as error:
        messages.error(request, " ".join([_("Nothing was saved."), *error.messages]))
    except StaleEditError as error:
        messages.warning(request, str(error))
    else:
        messages.success(
            request, _("The event has been cancelled and the people registered have been told.")
        )
    return _back(event)


class EventAttendanceView(ServiceFormView):
    """The organisers tick who came."""

    form_class = AttendanceForm
    template_name = "learning/event_attendance.html"
    success_message = gettext_lazy("Who attended the event has been saved.")

    @cached_property
    def event(self) -> LearningEvent:
        event = visible_or_404(LearningEvent, self.request.user, VIEW, pk=self.kwargs["pk"])
        require(self.request.user, MANAGE, event)
        return event

    def dispatch(self, request, *args, **kwargs):
        self.event  # noqa: B018 - 404 or 403 before anything else
        return super().dispatch(request, *args, **kwargs)

    def seated(self):
        return (
            Registration.objects.filter(event=self.event, status=RegStatus.CONFIRMED)
            .select_related("person")
            .order_by("person__first_name", "person__last_name", "pk")
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "seated": self.seated()}

    def get_initial(self):
        return {"present": [r.pk for r in self.seated() if r.attended]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event, started=self.event.has_started(timezone.localdate()), **kwargs
        )

    def perform(self, form):
        services.attendance_mark(
            by=self.request.user,
            event=self.event,
            attended=[registration.pk for registration in form.cleaned_data["present"]],
        )
        return self.event

    def get_success_url(self) -> str:
        return self.event.get_absolute_url()


class EvaluationView(ServiceFormView):
    """An attendee's evaluation of the event (one each)."""

    form_class = EvaluationForm
    template_name = "learning/form.html"
    success_message = gettext_lazy("Thank you: your evaluation has been recorded.")

    @cached_property
    def event(self) -> LearningEvent:
        return visible_or_404(LearningEvent, self.request.user, VIEW, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        self.event  # noqa: B018 - 404 before anything else
        return super().dispatch(request, *args, **kwargs)

    def cannot_evaluate(self) -> str:
        """Why the viewer cannot evaluate the event (empty when they can)."""
        attended = Registration.objects.filter(
            event=self.event, person=self.request.user, attended=True
        ).first()
        if attended is None:
            return _("Only people who attended the event can evaluate it.")
        if hasattr(attended, "evaluation"):
            return _("You have already evaluated this event.")
        return ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event,
            cannot_evaluate=self.cannot_evaluate(),
            heading=_("Evaluate “%(event)s”") % {"event": self.event},
            section="events",
            record=self.event,
            **kwargs,
        )

    def perform(self, form):
        services.evaluation_submit(
            by=self.request.user,
            event=self.event,
            ratings=form.ratings(),
            comments=form.cleaned_data["comments"],
        )
        return self.event

    def get_success_url(self) -> str:
        return self.event.get_absolute_url()


@require_GET
def certificate(request, pk):
    """The certificate of attendance of one registration, as PDF: for the attendee, and for the
    event's organisers and the KM roles. Someone else's certificate answers 404."""
    registration = get_object_or_404(Registration.objects.select_related("event", "person"), pk=pk)
    event = registration.event
    user = request.user
    if not user.has_perm(VIEW, event):
        raise Http404
    if registration.person_id != user.pk and not user.has_perm(MANAGE, event):
        raise Http404
    if not registration.attended:
        raise Http404
    organiser = event.organisers.order_by("pk").first()
    pdf = certificate_pdf(
        registration, signer=organiser.get_full_name() if organiser is not None else ""
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{registration.pk}.pdf"'
    return response
