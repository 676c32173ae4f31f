"""Reads of learning and development that span relations: the overview page, an event's page,
the person panel. Each is a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Avg, Count, Q
from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.models import User
from apps.library.models import Document
from apps.teams.predicates import is_staff_member

from .models import (
    Evaluation,
    LearningEvent,
    MentoringPair,
    PairStatus,
    Registration,
    RegStatus,
    Rotation,
)

UPCOMING = 10


HOME_EVENTS = 5


@dataclass(frozen=True)
class HomeEvent:
    """What the home page shows of a coming event (plain values, so the page may keep them)."""

    title: str
    url: str
    date: dt.date
    start_time: dt.time | None
    seats: int | None
    confirmed_count: int

    def get_absolute_url(self) -> str:
        return self.url

    def __str__(self) -> str:
        return self.title


def home_events(request) -> list[HomeEvent]:
    """The home page's coming learning events (not called off), soonest first."""
    events = (
        LearningEvent.objects.visible_to(request.user)
        .going_ahead()
        .filter(date__gte=timezone.localdate())
        .with_counts()
        .order_by("date", "start_time", "pk")[:HOME_EVENTS]
    )
    return [
        HomeEvent(
            event.title,
            event.get_absolute_url(),
            event.date,
            event.start_time,
            event.seats,
            event.confirmed_count,
        )
        for event in events
    ]


def home_events_depend_on(request) -> tuple:
    """What ``home_events`` depends on besides the day: whether the person sees events at all,
    and the events and registrations as they are now (two index lookups each: any event or
    registration added, changed or removed changes them)."""
    parts = [is_staff_member(request.user)]
    with connection.cursor() as cursor:
        for model in (LearningEvent, Registration):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"SELECT COUNT(*), MAX(id), MAX(updated_at) FROM {table}"  # noqa: S608
            )
            parts.append(tuple(str(value) for value in cursor.fetchone()))
    return tuple(parts)


def overview(user: User) -> dict:
    """The overview page: upcoming events, the viewer's registrations, pairs and rotations."""
    today = timezone.localdate()
    upcoming = list(
        LearningEvent.objects.visible_to(user)
        .filter(date__gte=today)
        .with_counts()
        .order_by("date", "start_time", "pk")[:UPCOMING]
    )
    mine = {
        registration.event_id: registration
        for registration in Registration.objects.filter(
            person=user, event__in=[event.pk for event in upcoming]
        ).exclude(status=RegStatus.CANCELLED)
    }
    for event in upcoming:
        event.my_registration = mine.get(event.pk)
    pairs = list(
        MentoringPair.objects.filter(Q(mentor=user) | Q(mentee=user))
        .select_related("mentor", "mentee")
        .annotate(
            skill_count=Count("skills", distinct=True),
            signed_count=Count(
                "skills", filter=Q(skills__signed_off_at__isnull=False), distinct=True
            ),
        )
        .order_by("status", "-starts_on", "-pk")[:20]
    )
    rotations = list(Rotation.objects.filter(person=user).order_by("-starts_on", "-pk")[:10])
    return {"upcoming": upcoming, "pairs": pairs, "rotations": rotations}


def event_page(event: LearningEvent, user: User) -> dict:
    """An event's page: the viewer's registration, the seat counts, the materials the viewer may
    open, and for its managers the registrations and the evaluation summary."""
    registrations = list(
        event.registrations.exclude(status=RegStatus.CANCELLED)
        .select_related("person")
        .order_by("queued_at", "pk")
    )
    mine = Registration.objects.filter(event=event, person=user).first()
    confirmed = [r for r in registrations if r.status == RegStatus.CONFIRMED]
    waiting = [r for r in registrations if r.status == RegStatus.WAITING]
    evaluated = mine is not None and Evaluation.objects.filter(registration=mine).exists()
    summary = Evaluation.objects.filter(registration__event=event).aggregate(
        count=Count("pk"),
        content=Avg("content"),
        speakers=Avg("speakers"),
        usefulness=Avg("usefulness"),
        organisation=Avg("organisation"),
    )
    comments = list(
        Evaluation.objects.filter(registration__event=event)
        .exclude(comments="")
        .order_by("pk")
        .values_list("comments", flat=True)[:50]
    )
    position = None
    if mine is not None and mine.status == RegStatus.WAITING:
        position = next((index for index, r in enumerate(waiting, 1) if r.pk == mine.pk), None)
    return {
        "registrations": registrations,
        "confirmed": confirmed,
        "waiting": waiting,
        "free_seats": max(event.seats - len(confirmed), 0),
        "attended_count": sum(1 for r in confirmed if r.attended),
        "mine": mine if mine is not None and mine.status != RegStatus.CANCELLED else None,
        "waiting_position": position,
        "evaluated": evaluated,
        "summary": summary,
        "comments": comments,
        "materials": list(
            Document.objects.visible_to(user).filter(learning_events=event).order_by("title")
        ),
        "organisers": list(event.organisers.order_by("first_name", "last_name", "pk")),
        "today": timezone.localdate(),
    }


def person_mentoring(request: HttpRequest, person: User) -> dict | None:
    """The panel on a person's page: the mentoring they give (pairs the viewer may open)."""
    given = list(
        MentoringPair.objects.visible_to(request.user)
        .filter(mentor=person)
        .select_related("mentor", "mentee")
        .order_by("status", "-starts_on", "-pk")[:20]
    )
    if not given:
        return None
    return {"given": given, "active": sum(1 for p in given if p.status == PairStatus.ACTIVE)}
