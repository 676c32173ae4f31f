"""E-mail: one message per notice for those who chose "at once", one digest a day for the rest.

Each send first claims its notices with one UPDATE (a claim mark on rows still waiting), so two
workers never mail the same notice; a notice is checked again just before it goes (the person may
have lost access since, or left), and is marked sent, not sent (and why), or failed.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from apps.core.links import absolute_url
from apps.core.thaidates import format_date_long

from . import kinds
from .kinds import Delivery
from .models import EmailStatus, Notification

logger = logging.getLogger(__name__)

MAX_DIGEST_ITEMS = 100  # the newest; the rest wait on the notifications page


class SendFailedError(Exception):
    """Some e-mails could not be handed to the mail server; they wait for the next try."""


@dataclass
class Item:
    notice: Notification
    sentence: str
    url: str


def _claim(waiting: QuerySet[Notification]) -> list[Notification]:
    claim = uuid.uuid4().hex
    Notification.objects.filter(
        pk__in=waiting.filter(email_status=EmailStatus.WAITING, email_claim="").values("pk")[:1000]
    ).update(email_claim=claim)
    return list(
        Notification.objects.filter(email_claim=claim, email_status=EmailStatus.WAITING)
        .select_related("recipient", "actor", "target_type")
        .order_by("created_at", "pk")
    )


def _finish(notices: Iterable[Notification], status: str) -> None:
    ids = [notice.pk for notice in notices]
    if ids:
        Notification.objects.filter(pk__in=ids).update(
            email_status=status, emailed_at=timezone.now() if status == EmailStatus.SENT else None
        )


def _release(notices: Iterable[Notification], *, give_up: bool) -> None:
    ids = [notice.pk for notice in notices]
    if ids:
        Notification.objects.filter(pk__in=ids).update(
            email_claim="", email_status=EmailStatus.FAILED if give_up else EmailStatus.WAITING
        )


def language_of(person) -> str:
    return person.language or settings.LANGUAGE_CODE


def _item(notice: Notification) -> Item | None:
    """The notice as its reader will see it, or None if they may not open its record now."""
    kind = notice.kind_info
    target = notice.target
    if kind is None or target is None or not notice.recipient.email:
        return None
    if not kinds.may_open(kind, notice.recipient, target):
        return None
    return Item(notice, notice.sentence(), absolute_url(kinds.url_of(kind, target)))


def _context(person, **extra) -> dict:
    return {
        "person": person,
        "organisation": settings.KM_ORGANISATION_NAME,
        "site_url": settings.KM_SITE_URL,
        "notifications_url": absolute_url(reverse("notifications:list")),
        "preferences_url": absolute_url(reverse("notifications:preferences")),
        **extra,
    }


def _message(person, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject=subject[:180],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def _in_language(item: Item) -> Item:
    """The item's sentence written again in the active language (the reader's): ``_item``
    runs in the worker's language."""
    return Item(item.notice, item.notice.sentence(), item.url)


def notice_message(item: Item) -> EmailMultiAlternatives:
    """The e-mail for one notice, in its reader's language."""
    person = item.notice.recipient
    with translation.override(language_of(person)):
        item = _in_language(item)
        context = _context(person, item=item, note=item.notice.note)
        subject = f"[{settings.KM_ORGANISATION_NAME}] {item.sentence}"
        message = _message(person, subject, "notice", context)
        kind = item.notice.kind_info
        if kind and kind.attachments:
            for name, content, mimetype in kind.attachments(item.notice):
                message.attach(name, content, mimetype)
    return message


def digest_message(person, items: list[Item], *, more: int = 0) -> EmailMultiAlternatives:
    with translation.override(language_of(person)):
        groups: dict[str, list[Item]] = defaultdict(list)
        for item in map(_in_language, items):
            kind = item.notice.kind_info
            groups[str(kind.group) if kind else ""].append(item)
        context = _context(
            person,
            groups=sorted(groups.items()),
            count=len(items),
            more=more,
            today=format_date_long(timezone.localdate()),
        )
        subject = translation.gettext("[%(organisation)s] Your daily summary: %(count)d items") % {
            "organisation": settings.KM_ORGANISATION_NAME,
            "count": len(items),
        }
        return _message(person, subject, "digest", context)


def send_now(notice_ids: list[int], *, last_try: bool = True) -> int:
    """Send the "at once" e-mails of these notices; returns how many went."""
    claimed = _claim(
        Notification.objects.filter(pk__in=notice_ids[:1000], delivery=Delivery.IMMEDIATE)
    )
    sent, failed = 0, []
    for notice in claimed:
        item = _item(notice)
        if item is None:
            _finish([notice], EmailStatus.SKIPPED)
            continue
        try:
            notice_message(item).send()
        except Exception:
            logger.exception("E-mail for notice %s could not be sent", notice.pk)
            failed.append(notice)
            continue
        _finish([notice], EmailStatus.SENT)
        sent += 1
    if failed:
        _release(failed, give_up=last_try)
        if not last_try:
            raise SendFailedError(f"{len(failed)} e-mails wait for the next try")
    return sent


def send_digests(*, before=None, last_try: bool = True) -> int:
    """One digest e-mail per person holding digest notices older than ``before`` (now)."""
    before = before or timezone.now()
    waiting = Notification.objects.filter(
        delivery=Delivery.DIGEST, email_status=EmailStatus.WAITING, created_at__lte=before
    )
    people = list(waiting.values_list("recipient_id", flat=True).distinct().order_by())
    sent, failures = 0, 0
    for person_id in people:
        claimed = _claim(waiting.filter(recipient_id=person_id))
        if not claimed:
            continue  # another worker took them
        items = [item for item in map(_item, claimed) if item is not None]
        shown = {item.notice.pk for item in items}
        _finish([notice for notice in claimed if notice.pk not in shown], EmailStatus.SKIPPED)
        if not items:
            continue
        items.reverse()  # newest first
        more = max(0, len(items) - MAX_DIGEST_ITEMS)
        try:
            digest_message(claimed[0].recipient, items[:MAX_DIGEST_ITEMS], more=more).send()
        except Exception:
            logger.exception("Digest for person %s could not be sent", person_id)
            _release([item.notice for item in items], give_up=False)  # tomorrow's digest
            failures += 1
            continue
        _finish([item.notice for item in items], EmailStatus.SENT)
        sent += 1
    if failures and not last_try:
        raise SendFailedError(f"{failures} digests wait for the next try")
    return sent


WAITING_GRACE = dt.timedelta(minutes=2)  # the job after the commit normally sends them by then


def send_waiting(*, now=None) -> int:
    """Send the "at once" e-mails still waiting, unclaimed, a while after their change."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            delivery=Delivery.IMMEDIATE,
            email_status=EmailStatus.WAITING,
            email_claim="",
            created_at__lt=now - WAITING_GRACE,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )
    return send_now(ids, last_try=False) if ids else 0
