"""The one write path for notices: apps call ``notify`` from their services, inside their
transaction; people mark notices read and choose their e-mail delivery here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User

from . import kinds
from .kinds import Delivery
from .models import EmailStatus, Notification, Preference

MAX_RECIPIENTS = 500  # one event never fans out wider than the whole office

_email_on: ContextVar[bool] = ContextVar("notifications_email_on", default=True)


@contextmanager
def no_email() -> Iterator[None]:
    """Record notices but e-mail nobody (demo data, imports)."""
    token = _email_on.set(False)
    try:
        yield
    finally:
        _email_on.reset(token)


def deliveries_for(people: Iterable[User], kind: kinds.Kind) -> dict[int, str]:
    """Each person's chosen delivery for ``kind`` (one query), the kind's default otherwise."""
    ids = [person.pk for person in people]
    chosen = dict(
        Preference.objects.filter(person_id__in=ids, kind=kind.code).values_list(
            "person_id", "delivery"
        )
    )
    return {pk: chosen.get(pk, kind.default) for pk in ids}


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    target: models.Model,
    actor: User | None = None,
    note: str = "",
) -> list[Notification]:
    """Tell ``recipients`` about ``target``: one notice each, never to the actor, never to
    someone inactive or who may not open the record. Call it inside the change's transaction:
    the notices commit with it, and e-mails go only after it commits."""
    info = kinds.get(kind)
    if info is None:
        raise ValueError(f"unknown notification kind {kind!r}: register it in a notices module")
    people = {
        person.pk: person
        for person in recipients
        if person is not None
        and person.is_active
        and (actor is None or person.pk != actor.pk)
        and kinds.may_open(info, person, target)
    }
    if not people:
        return []
    if len(people) > MAX_RECIPIENTS:
        raise ValidationError(
            _("One notice can go to at most %(limit)d people.") % {"limit": MAX_RECIPIENTS}
        )
    deliveries = deliveries_for(people.values(), info)
    content_type = ContentType.objects.get_for_model(target)
    now = timezone.now()
    email_on = _email_on.get()
    with transaction.atomic():
        notices = Notification.objects.bulk_create(
            Notification(
                recipient=people[pk],
                kind=kind,
                actor=actor,
                target_type=content_type,
                target_id=target.pk,
                note=note[:2000],
                created_at=now,
                delivery=deliveries[pk],
                email_status=(
                    EmailStatus.WAITING
                    if email_on and deliveries[pk] != Delivery.OFF and people[pk].email
                    else EmailStatus.SKIPPED
                ),
            )
            for pk in sorted(people)
        )
        now_ids = [
            notice.pk
            for notice in notices
            if notice.delivery == Delivery.IMMEDIATE and notice.email_status == EmailStatus.WAITING
        ]
        if now_ids:
            from apps.core.jobs import after_commit

            from . import tasks  # the job module imports this one

            # A queue that cannot take the job (Redis down) never fails the change: the
            # notices stay waiting and the ten-minute sweep (``schedule``) sends them.
            after_commit(tasks.send_now, now_ids)
    return notices


def mark_read(*, by: User, notice_ids: Iterable[int] | None = None, target: Any = None) -> int:
    """Mark ``by``'s own notices read: the given ones, those about ``target``, or all."""
    unread = Notification.objects.for_person(by).unread()
    if notice_ids is not None:
        ids = list(notice_ids)[:1000]
        unread = unread.filter(pk__in=ids)
    if target is not None:
        unread = unread.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        )
    with transaction.atomic():
        return unread.update(read_at=timezone.now())


def set_preferences(*, by: User, person: User, choices: Mapping[str, str]) -> None:
    """Set ``person``'s e-mail delivery per kind (only they may, or an administrator)."""
    from django.core.exceptions import PermissionDenied

    if by.pk != person.pk and not by.is_superuser:
        raise PermissionDenied
    unknown = [code for code in choices if kinds.get(code) is None]
    bad = [value for value in choices.values() if value not in Delivery.values]
    if unknown or bad:
        raise ValidationError(
            _("Unknown notification kind or delivery: %(values)s")
            % {"values": ", ".join(unknown + bad)[:200]}
        )
    with transaction.atomic():
        for code, delivery in choices.items():
            default = kinds.get(code).default
            if delivery == default:
                Preference.objects.filter(person=person, kind=code).delete()
            else:
                Preference.objects.update_or_create(
                    person=person, kind=code, defaults={"delivery": delivery}
                )


def set_language(*, by: User, person: User, language: str) -> None:
    """The language of ``person``'s e-mails ("" = the portal's)."""
    from django.conf import settings
    from django.core.exceptions import PermissionDenied

    if by.pk != person.pk and not by.is_superuser:
        raise PermissionDenied
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language: %(code)s") % {"code": language[:20]})
    with transaction.atomic():
        User.objects.filter(pk=person.pk).update(language=language)
    person.language = language
