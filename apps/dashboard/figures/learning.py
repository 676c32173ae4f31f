"""Learning and development: mentoring pairs active, and the attendance of the year's learning
events (seats, registered, attended, evaluations). Two aggregate queries and one list."""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from apps.core.thaidates import format_date_short
from apps.learning.models import LearningEvent, MentoringPair, PairStatus, Registration, RegStatus

from ..scope import Scope
from ..tables import Table, day, num, text
from .base import TOP


def _events(scope: Scope):
    events = (
        LearningEvent.objects.visible_to(scope.viewer)
        .going_ahead()
        .filter(scope.days_in_year("date"))
    )
    if scope.step:
        events = events.filter(km_step=scope.step)
    return events


def learning_summary(scope: Scope) -> Table:
    """Pairs active today and started in the year; events held in the year and their people."""
    pairs = MentoringPair.objects.visible_to(scope.viewer).aggregate(
        active=Count("pk", filter=Q(status=PairStatus.ACTIVE)),
        started=Count("pk", filter=scope.days_in_year("starts_on")),
    )
    events = _events(scope)
    people = Registration.objects.filter(event__in=events).aggregate(
        seated=Count("pk", filter=Q(status=RegStatus.CONFIRMED)),
        attended=Count("pk", filter=Q(attended=True)),
    )
    held = events.filter(date__lte=scope.today).count()
    rate = round(100 * people["attended"] / people["seated"]) if people["seated"] else 0
    rows = [
        [text(_("Mentoring pairs active")), num(pairs["active"])],
        [text(_("Mentoring pairs started in the year")), num(pairs["started"])],
        [text(_("Learning events held")), num(held)],
        [text(_("Seats taken")), num(people["seated"])],
        [text(_("Attended")), num(people["attended"])],
        [text(_("Attendance (% of seats taken)")), num(rate)],
    ]
    return Table(
        "learning_summary",
        _("Mentoring and learning events"),
        [_("Figure"), _("Number")],
        rows,
        note=_("Events of the fiscal year (of the chosen step); pairs the viewer may open."),
    )


def event_attendance(scope: Scope) -> Table:
    """The year's events, latest first: seats, seated, attended and the average evaluation."""
    events = list(
        _events(scope)
        .annotate(
            seated=Count("registrations", filter=Q(registrations__status=RegStatus.CONFIRMED)),
            came=Count("registrations", filter=Q(registrations__attended=True)),
            rating=Avg("registrations__evaluation__usefulness"),
        )
        .order_by("-date", "-pk")[:TOP]
    )
    rows = [
        [
            text(event.title, event.get_absolute_url()),
            day(format_date_short(event.date)),
            num(event.seats),
            num(event.seated),
            num(event.came),
            text(f"{event.rating:.1f}" if event.rating is not None else "—"),
        ]
        for event in events
    ]
    return Table(
        "event_attendance",
        _("Learning event attendance"),
        [
            _("Event"),
            _("Date"),
            _("Seats"),
            _("Seats taken"),
            _("Attended"),
            _("Usefulness (out of 5)"),
        ],
        rows,
        empty=_("No learning events in this year."),
        limited=len(events) == TOP,
    )


def personal_learning(user, today) -> dict:
    """The personal dashboard's part: the viewer's active mentoring and coming registrations."""
    pairs = list(
        MentoringPair.objects.filter(Q(mentor=user) | Q(mentee=user), status=PairStatus.ACTIVE)
        .select_related("mentor", "mentee")
        .order_by("-starts_on", "-pk")[:10]
    )
    registrations = list(
        Registration.objects.filter(person=user, event__date__gte=today)
        .exclude(status=RegStatus.CANCELLED)
        .select_related("event")
        .order_by("event__date", "event__start_time", "pk")[:10]
    )
    return {"my_pairs": pairs, "my_registrations": registrations}
