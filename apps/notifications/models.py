"""Notices people get, their delivery choices, and the reminders already sent."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import kinds
from .kinds import Delivery


class EmailStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent")  # no address, e-mail off, or the record is closed to them
    FAILED = "failed", _("Failed")


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def for_person(self, person) -> NotificationQuerySet:
        return self.filter(recipient=person)


def unread_count(person_id: int) -> int:
    """``Notification.objects.for_person(person).unread().count()``, in one plain statement:
    the bell asks on every signed-in page, and the ORM cost eight times the count to build it
    (issue 20). The tests compare the two."""
    connection = connections[router.db_for_read(Notification)]
    quote = connection.ops.quote_name
    meta = Notification._meta
    table = quote(meta.db_table)
    recipient, read_at = (quote(meta.get_field(name).column) for name in ("recipient", "read_at"))
    # Names from the model's meta, quoted; the value is a parameter.
    sql = f"SELECT COUNT(*) FROM {table} WHERE {recipient} = %s AND {read_at} IS NULL"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id])
        return cursor.fetchone()[0]


class Notification(models.Model):
    """One event told to one person: in the bell until read, and by e-mail as they chose."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("about (type)"), on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(_("about (record)"))
    target = GenericForeignKey("target_type", "target_id")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    delivery = models.CharField(
        _("e-mail"), max_length=20, choices=Delivery.choices, default=Delivery.DIGEST
    )
    email_status = models.CharField(
        _("e-mail status"),
        max_length=20,
        choices=EmailStatus.choices,
        default=EmailStatus.WAITING,
    )
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # The send that claimed this notice (one worker claims, the others see it taken).
    email_claim = models.CharField(max_length=40, blank=True, default="", editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_recipient_unread"),
            models.Index(fields=["email_status", "delivery"], name="notice_email_waiting"),
            models.Index(fields=["target_type", "target_id"], name="notice_target"),
        ]

    def __str__(self) -> str:
        return self.sentence()

    def get_absolute_url(self) -> str:
        kind = self.kind_info
        target = self.target
        if kind is None or target is None:
            return ""
        return kinds.url_of(kind, target)

    @property
    def note_apart(self) -> bool:
        """Whether the note is shown under the sentence (not when the sentence quotes it)."""
        kind = self.kind_info
        return bool(self.note) and not (kind and "%(note)s" in str(kind.sentence))

    @property
    def kind_info(self) -> kinds.Kind | None:
        return kinds.get(self.kind)

    def sentence(self) -> str:
        """The notice as one sentence, in the active language, with the record's title now."""
        from django.utils.translation import gettext  # (not aliased: makemessages finds it)

        kind = self.kind_info
        target = self.target
        values = {
            "actor": str(self.actor) if self.actor_id else gettext("Someone"),
            "title": kinds.title_of(kind, target) if kind and target is not None else "",
            "note": self.note,
        }
        if kind is None:
            return gettext("%(actor)s changed “%(title)s”.") % values
        return str(kind.sentence) % values


class Preference(models.Model):
    """A person's e-mail delivery for one kind of notice (the kind's default otherwise)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=60)
    delivery = models.CharField(_("e-mail"), max_length=20, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.kind} · {self.get_delivery_display()}"


class SentReminder(models.Model):
    """A reminder already sent: its key is unique, so no run (nor a second worker) sends it
    twice."""

    key = models.CharField(_("reminder"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=60)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the daily schedule sent it."),
    )
    recipients = models.PositiveIntegerField(_("people reminded"), default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self) -> str:
        return self.key
