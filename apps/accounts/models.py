import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel, VersionedModel


class Unit(VersionedModel, TimeStampedModel):
    """A unit of the office (กลุ่มงาน/ฝ่าย), e.g. กลุ่มตรวจการสหกรณ์."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


ATTACHED_TITLES = frozenset({"นาย", "นาง", "นางสาว"})


def photo_upload_to(instance: "User", filename: str) -> str:
    # Generated names: a person's photo URL reveals nothing and never collides.
    suffix = PurePosixPath(filename).suffix.lower() or ".jpg"
    return f"photos/{uuid.uuid4().hex}{suffix}"


class User(VersionedModel, AbstractUser):
    """A person who signs in. Thai names are title + given name + family name."""

    title = models.CharField(
        _("title"), max_length=50, blank=True, help_text=_("e.g. นาย, นาง, นางสาว, or a rank")
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    photo = models.ImageField(_("photo"), upload_to=photo_upload_to, blank=True)
    # The language of the e-mails the portal sends them (the portal's own, Thai, when empty);
    # set when they switch the page language.
    language = models.CharField(
        _("language"), max_length=10, blank=True, default="", choices=settings.LANGUAGES
    )

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        # นาย/นาง/นางสาว are written against the given name (นายสมชาย ใจดี); ranks and
        # academic titles stand apart (ว่าที่ร้อยตรี สมชาย ใจดี).
        separator = "" if self.title in ATTACHED_TITLES else " "
        given = f"{self.title}{separator}{self.first_name}".strip()
        return " ".join(part for part in (given, self.last_name) if part)

    def get_absolute_url(self) -> str:
        return reverse("accounts:person", kwargs={"username": self.username})
