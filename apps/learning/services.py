"""Writes of learning and development: mentoring pairs, sessions and skills; job rotations and
their AAR; learning events, registration with a waiting list, attendance and evaluations.

Every function is keyword-only on plain data, checks the caller's permission and the record's
state itself (views check first, only to choose the 403 page), and runs in one transaction.

The seats of an event are counted with the event's row locked (``select_for_update``: a row lock
on PostgreSQL; on SQLite every write transaction starts ``IMMEDIATE`` and so runs one at a
time), so two people registering for the last seat at once get one seat and one place on the
waiting list, and a cancellation promotes exactly one waiting person.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.concurrency import bump_version, lock_for_edit
from apps.core.permissions import require
from apps.core.races import refused_if_taken
from apps.core.writes import checked_fields
from apps.library.models import Document
from apps.notifications.services import notify

from . import notices
from .models import (
    AARFields,
    Evaluation,
    LearningEvent,
    MentoringPair,
    MentoringSession,
    PairStatus,
    Registration,
    RegStatus,
    Rotation,
    SkillItem,
)

PAIR_FIELDS = frozenset({"mentor", "mentee", "topic", "job", "starts_on", "ends_on", "goals"})
PAIR_EDIT_FIELDS = PAIR_FIELDS | {"status"}
ROTATION_FIELDS = frozenset(
    {"person", "kind", "from_unit", "from_job", "to_unit", "to_job", "starts_on", "ends_on"}
)
REVIEW_FIELDS = frozenset({"learned", *AARFields.AAR})
EVENT_FIELDS = frozenset(
    {
        "title",
        "kind",
        "km_step",
        "description",
        "date",
        "start_time",
        "end_time",
        "place",
        "seats",
        "registration_closes",
    }
)
EVENT_AAR_FIELDS = frozenset(AARFields.AAR)
MAX_SKILLS = 30  # skills added at once, and on one checklist
MAX_MATERIALS = 30
MAX_INVITEES = 100
MAX_CANCEL_REASON = 1000


def _refuse_if_cancelled(event: LearningEvent) -> None:
    if event.is_cancelled:
        raise ValidationError(_("The event has been cancelled."))


def _clean_skills(skills: Iterable[str]) -> list[str]:
    names = list(dict.fromkeys(" ".join(skill.split())[:255] for skill in skills))
    return [name for name in names if name]


# --- Mentoring -----------------------------------------------------------------------------------
@transaction.atomic
def pair_create(
    *, by: User, fields: Mapping[str, Any], skills: Iterable[str] = ()
) -> MentoringPair:
    """Make a mentoring pair (the KM roles do) with the mentee's first checklist of skills; the
    mentor and the mentee are told."""
    require(by, "learning.add_pair")
    pair = MentoringPair(**checked_fields(fields, PAIR_FIELDS), created_by=by)
    pair.full_clean()
    pair.save()
    _add_skills(pair, _clean_skills(skills))
    notify(
        kind=notices.PAIR_CREATED.code, recipients=[pair.mentor, pair.mentee], target=pair, actor=by
    )
    return pair


@transaction.atomic
def pair_update(
    *,
    by: User,
    pair: MentoringPair,
    fields: Mapping[str, Any],
    expected_version: int | None = None,
) -> MentoringPair:
    """Change a pair's topic, period, goals or status (the mentor or the KM roles); refused with
    ``StaleEditError`` when someone saved it after the version the page showed."""
    require(by, "learning.change_pair", pair)
    lock_for_edit(pair, expected_version=expected_version)
    changes = checked_fields(fields, PAIR_EDIT_FIELDS)
    for name, value in changes.items():
        setattr(pair, name, value)
    pair.full_clean()
    pair.save(update_fields=[*changes, "updated_at"])
    return pair


@transaction.atomic
def session_log(*, by: User, pair: MentoringPair, held_on, learned: str) -> MentoringSession:
    """Record a session of the pair and what was learned in it (the mentor or the mentee)."""
    require(by, "learning.log_session", pair)
    if pair.status != PairStatus.ACTIVE:
        raise ValidationError(_("This mentoring pair has ended: no more sessions can be logged."))
    if held_on < pair.starts_on:
        raise ValidationError({"held_on": _("The session cannot be before the pair started.")})
    session = MentoringSession(pair=pair, held_on=held_on, learned=learned, logged_by=by)
    session.full_clean()
    session.save()
    bump_version(pair)
    return session


def _add_skills(pair: MentoringPair, skills: list[str]) -> list[SkillItem]:
    existing = list(pair.skills.values_list("skill", flat=True))
    new = [skill for skill in skills if skill not in existing]
    if len(existing) + len(new) > MAX_SKILLS:
        raise ValidationError(
            {"skills": _("A checklist holds at most %(limit)d skills.") % {"limit": MAX_SKILLS}}
        )
    start = len(existing)
    items = [
        SkillItem(pair=pair, skill=skill, order=start + index) for index, skill in enumerate(new)
    ]
    for item in items:
        item.full_clean()
        item.save()
    return items


@transaction.atomic
def skills_add(*, by: User, pair: MentoringPair, skills: Iterable[str]) -> list[SkillItem]:
    """Add skills of the job to the mentee's checklist (the mentor or the KM roles); a skill
    already on it is skipped."""
    require(by, "learning.change_pair", pair)
    locked = MentoringPair.objects.select_for_update().get(pk=pair.pk)
    names = _clean_skills(skills)
    if not names:
        raise ValidationError({"skills": _("Write at least one skill, one per line.")})
    items = _add_skills(locked, names)
    bump_version(locked)
    return items


@transaction.atomic
def skill_sign_off(*, by: User, skill: SkillItem) -> SkillItem:
    """The mentor confirms the mentee has learned the skill (recorded in the audit trail)."""
    require(by, "learning.sign_off_skill", skill.pair)
    locked = SkillItem.objects.select_for_update().get(pk=skill.pk)
    if locked.signed_off_at is not None:
        raise ValidationError(_("This skill has already been signed off."))
    locked.signed_off_by = by
    locked.signed_off_at = timezone.now()
    locked.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
    bump_version(skill.pair)
    return locked


# --- Job rotation and secondment -----------------------------------------------------------------
@transaction.atomic
def rotation_create(*, by: User, fields: Mapping[str, Any]) -> Rotation:
    """Record a job rotation or secondment (the KM roles)."""
    require(by, "learning.add_rotation")
    rotation = Rotation(**checked_fields(fields, ROTATION_FIELDS), created_by=by)
    rotation.full_clean()
    rotation.save()
    return rotation


@transaction.atomic
def rotation_update(
    *, by: User, rotation: Rotation, fields: Mapping[str, Any], expected_version: int | None = None
) -> Rotation:
    """Change who, from where to where and when (the KM roles)."""
    require(by, "learning.change_rotation", rotation)
    lock_for_edit(rotation, expected_version=expected_version)
    changes = checked_fields(fields, ROTATION_FIELDS)
    for name, value in changes.items():
        setattr(rotation, name, value)
    rotation.full_clean()
    rotation.save(update_fields=[*changes, "updated_at"])
    return rotation


@transaction.atomic
def rotation_review(
    *, by: User, rotation: Rotation, fields: Mapping[str, Any], expected_version: int | None = None
) -> Rotation:
    """Write what was learned and the after-action review (the person rotated or the KM roles)."""
    require(by, "learning.review_rotation", rotation)
    lock_for_edit(rotation, expected_version=expected_version)
    changes = checked_fields(fields, REVIEW_FIELDS)
    for name, value in changes.items():
        setattr(rotation, name, value)
    rotation.full_clean()
    rotation.save(update_fields=[*changes, "updated_at"])
    return rotation


# --- Learning events -----------------------------------------------------------------------------
def _check_lists(organisers: list, materials: list, by: User) -> None:
    if len(materials) > MAX_MATERIALS:
        raise ValidationError(
            {"materials": _("Link at most %(limit)d documents.") % {"limit": MAX_MATERIALS}}
        )
    visible = set(
        Document.objects.visible_to(by)
        .filter(pk__in=[doc.pk for doc in materials])
        .values_list("pk", flat=True)
    )
    if any(doc.pk not in visible for doc in materials):
        raise ValidationError({"materials": _("Choose documents you may open yourself.")})


def _promote(event: LearningEvent, *, by: User | None) -> list[Registration]:
    """Give free seats to the first people on the waiting list (event row locked), and tell them."""
    confirmed = event.registrations.filter(status=RegStatus.CONFIRMED).count()
    free = event.seats - confirmed
    if free <= 0:
        return []
    promoted = list(
        event.registrations.filter(status=RegStatus.WAITING)
        .select_related("person")
        .order_by("queued_at", "pk")[:free]
    )
    for registration in promoted:
        registration.status = RegStatus.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
    if promoted:
        notify(
            kind=notices.SEAT_FREE.code,
            recipients=[registration.person for registration in promoted],
            target=event,
            actor=by,
            note=notices.when_and_where(event),
        )
    return promoted


@transaction.atomic
def event_create(
    *,
    by: User,
    fields: Mapping[str, Any],
    organisers: Iterable[User] = (),
    materials: Iterable[Document] = (),
    invitees: Iterable[User] = (),
) -> LearningEvent:
    """Announce a learning event (the KM roles); its creator is an organiser. Invitees are told
    at once and register themselves."""
    require(by, "learning.add_event")
    organisers, materials, invitees = list(organisers), list(materials), list(invitees)
    _check_lists(organisers, materials, by)
    if len(invitees) > MAX_INVITEES:
        raise ValidationError(
            {"invitees": _("Invite at most %(limit)d people at a time.") % {"limit": MAX_INVITEES}}
        )
    event = LearningEvent(**checked_fields(fields, EVENT_FIELDS), created_by=by)
    event.full_clean()
    event.save()
    event.organisers.set({*organisers, by})
    event.materials.set(materials)
    if invitees:
        notify(
            kind=notices.INVITED.code,
            recipients=invitees,
            target=event,
            actor=by,
            note=notices.when_and_where(event),
        )
    return event


@transaction.atomic
def event_update(
    *,
    by: User,
    event: LearningEvent,
    fields: Mapping[str, Any],
    organisers: Iterable[User] | None = None,
    materials: Iterable[Document] | None = None,
    expected_version: int | None = None,
) -> LearningEvent:
    """Change an event (its organisers or the KM roles). More seats go to the waiting list at
    once; fewer seats than people already seated is refused."""
    require(by, "learning.manage_event", event)
    _refuse_if_cancelled(lock_for_edit(event, expected_version=expected_version))
    changes = checked_fields(fields, EVENT_FIELDS)
    for name, value in changes.items():
        setattr(event, name, value)
    seated = event.registrations.filter(status=RegStatus.CONFIRMED).count()
    if event.seats is not None and event.seats < seated:
        raise ValidationError(
            {
                "seats": _(
                    "%(count)d people already have a seat: the event needs at least that many."
                )
                % {"count": seated}
            }
        )
    event.full_clean()
    event.save(update_fields=[*changes, "updated_at"])
    if organisers is not None or materials is not None:
        organisers = list(organisers if organisers is not None else event.organisers.all())
        materials = list(materials if materials is not None else event.materials.all())
        _check_lists(organisers, materials, by)
        event.organisers.set(organisers)
        event.materials.set(materials)
    _promote(event, by=by)
    return event


@transaction.atomic
def event_register(*, by: User, event: LearningEvent) -> Registration:
    """Register ``by`` for the event: a seat while there are free ones, else a place at the end
    of the waiting list. Refused after registration closes, or when already registered."""
    require(by, "learning.register_event", event)
    locked = LearningEvent.objects.select_for_update().get(pk=event.pk)
    _refuse_if_cancelled(locked)
    if not locked.registration_open(timezone.localdate()):
        raise ValidationError(_("Registration for this event has closed."))
    registration = Registration.objects.filter(event=locked, person=by).first()
    if registration is not None and registration.status != RegStatus.CANCELLED:
        raise ValidationError(_("You are already registered for this event."))
    seated = locked.registrations.filter(status=RegStatus.CONFIRMED).count()
    status = RegStatus.CONFIRMED if seated < locked.seats else RegStatus.WAITING
    now = timezone.now()
    if registration is None:
        registration = Registration(event=locked, person=by, status=status, queued_at=now)
        with refused_if_taken(
            lambda: Registration.objects.filter(event=locked, person=by).exists(),
            lambda: ValidationError(_("You are already registered for this event.")),
        ):
            registration.save()
    else:
        registration.status, registration.queued_at = status, now
        registration.save(update_fields=["status", "queued_at", "updated_at"])
    return registration


@transaction.atomic
def registration_cancel(*, by: User, event: LearningEvent) -> Registration:
    """``by`` gives up their seat or place in the waiting list; a freed seat goes to the first
    person waiting, who is told at once. Refused once the event has started."""
    require(by, "learning.register_event", event)
    locked = LearningEvent.objects.select_for_update().get(pk=event.pk)
    _refuse_if_cancelled(locked)
    registration = (
        Registration.objects.filter(event=locked, person=by)
        .exclude(status=RegStatus.CANCELLED)
        .first()
    )
    if registration is None:
        raise ValidationError(_("You are not registered for this event."))
    if locked.has_started(timezone.localdate()):
        raise ValidationError(
            _("The event has started: the registration can no longer be cancelled.")
        )
    registration.status = RegStatus.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    _promote(locked, by=by)
    return registration


@transaction.atomic
def event_cancel(
    *, by: User, event: LearningEvent, reason: str, expected_version: int | None = None
) -> LearningEvent:
    """Call the event off (its organisers or the KM roles) until its day is over, saying why:
    everyone with a seat or on the waiting list hears of it at once, with the reason. The
    registrations stay as they were (who had registered); nobody can register any more, and the
    event no longer changes."""
    require(by, "learning.manage_event", event)
    current = lock_for_edit(event, expected_version=expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the event is cancelled: the people registered will read it.")}
        )
    if len(reason) > MAX_CANCEL_REASON:
        raise ValidationError(
            {"reason": _("Say it in at most %(limit)d characters.") % {"limit": MAX_CANCEL_REASON}}
        )
    if current.is_cancelled:
        raise ValidationError(_("The event has already been cancelled."))
    if current.date < timezone.localdate():
        raise ValidationError(_("The event has already taken place: it cannot be cancelled."))
    event.cancelled_at, event.cancel_reason = timezone.now(), reason
    event.save(update_fields=["cancelled_at", "cancel_reason", "updated_at"])
    registered = [
        registration.person
        for registration in event.registrations.exclude(status=RegStatus.CANCELLED)
        .select_related("person")
        .order_by("queued_at", "pk")
    ]
    if registered:
        notify(
            kind=notices.CANCELLED.code,
            recipients=registered,
            target=event,
            actor=by,
            note=reason,
        )
    return event


@transaction.atomic
def attendance_mark(*, by: User, event: LearningEvent, attended: Iterable[int]) -> int:
    """Mark who came (the organisers or the KM roles), from the day of the event: ``attended``
    are the ids of registrations with a seat; the others with a seat are marked absent. Returns
    how many attended."""
    require(by, "learning.manage_event", event)
    locked = LearningEvent.objects.select_for_update().get(pk=event.pk)
    _refuse_if_cancelled(locked)
    if not locked.has_started(timezone.localdate()):
        raise ValidationError(_("Attendance can be marked from the day of the event."))
    wanted = set(attended)
    seated = Registration.objects.filter(event=locked, status=RegStatus.CONFIRMED)
    if wanted - set(seated.values_list("pk", flat=True)):
        raise ValidationError(_("Only people with a seat can be marked as present."))
    seated.filter(pk__in=wanted).update(attended=True, updated_at=timezone.now())
    seated.exclude(pk__in=wanted).update(attended=False, updated_at=timezone.now())
    bump_version(locked)
    return len(wanted)


@transaction.atomic
def evaluation_submit(
    *, by: User, event: LearningEvent, ratings: Mapping[str, int], comments: str = ""
) -> Evaluation:
    """An attendee's one evaluation of the event, after it has started."""
    require(by, "learning.view_event", event)
    registration = Registration.objects.filter(
        event=event, person=by, status=RegStatus.CONFIRMED, attended=True
    ).first()
    if registration is None:
        raise ValidationError(_("Only people who attended the event can evaluate it."))
    if not event.has_started(timezone.localdate()):
        raise ValidationError(_("The event can be evaluated once it has taken place."))
    if Evaluation.objects.filter(registration=registration).exists():
        raise ValidationError(_("You have already evaluated this event."))
    evaluation = Evaluation(
        registration=registration,
        comments=comments,
        **{name: ratings.get(name) for name in Evaluation.RATINGS},
    )
    evaluation.full_clean()
    with refused_if_taken(
        lambda: Evaluation.objects.filter(registration=registration).exists(),
        lambda: ValidationError(_("You have already evaluated this event.")),
    ):
        evaluation.save()
    return evaluation


@transaction.atomic
def event_aar_save(
    *,
    by: User,
    event: LearningEvent,
    fields: Mapping[str, Any],
    expected_version: int | None = None,
) -> LearningEvent:
    """The organisers' after-action review of the event (the organisers or the KM roles)."""
    require(by, "learning.manage_event", event)
    lock_for_edit(event, expected_version=expected_version)
    changes = checked_fields(fields, EVENT_AAR_FIELDS)
    for name, value in changes.items():
        setattr(event, name, value)
    event.save(update_fields=[*changes, "updated_at"])
    return event
