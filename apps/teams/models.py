"""The KM organisation: teams, who holds which role for which term, and the orders behind it."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import files
from apps.core.links import record_url
from apps.core.models import TimeStampedModel, VersionedModel


class TeamKind(models.TextChoices):
    KM_TEAM = "km_team", _("KM team")
    WORKING_GROUP = "working_group", _("Working group")
    KM_GROUP = "km_group", _("KM group")


class Role(models.TextChoices):
    """Roles in order of rank: pages list members in this order."""

    CKO = "cko", _("Chief Knowledge Officer (CKO)")
    HEAD = "head", _("Head")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")

    @classmethod
    def rank(cls, value: str) -> int:
        return cls.values.index(value)


class Team(VersionedModel, TimeStampedModel):
    name = models.CharField(_("name"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)
    description = models.TextField(_("description"), blank=True)
    topic = models.CharField(
        _("knowledge topic"),
        max_length=255,
        blank=True,
        help_text=_("For a KM group: the knowledge topic it works on."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subteams",
    )
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return record_url("teams:detail", self.pk)


def order_scan_upload_to(instance: "AppointmentOrder", filename: str) -> str:
    return files.generated_name("orders", filename)


class AppointmentOrder(VersionedModel, TimeStampedModel):
    """An appointment order (คำสั่งแต่งตั้ง), e.g. คำสั่งสำนักงานสหกรณ์จังหวัดชุมพร ที่ 5/2551."""

    number = models.PositiveIntegerField(_("number"))
    year = models.PositiveSmallIntegerField(_("year (B.E.)"))
    issued_on = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=500)
    issuing_office = models.CharField(_("issuing office"), max_length=255)
    scan = models.FileField(_("signed scan"), upload_to=order_scan_upload_to, blank=True)
    scan_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    scan_content_type = models.CharField(max_length=100, blank=True, editable=False)
    teams = models.ManyToManyField(
        Team, verbose_name=_("teams"), related_name="orders", blank=True,
        help_text=_("The teams this order establishes or changes."),
    )  # fmt: skip

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("appointment order")
        verbose_name_plural = _("appointment orders")
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_office", "number", "year"], name="order_number_unique_per_office"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2400, year__lte=2700), name="order_year_is_buddhist_era"
            ),
        ]

    def __str__(self) -> str:
        return _("Order %(number)s/%(year)s") % {"number": self.number, "year": self.year}

    def get_absolute_url(self) -> str:
        return record_url("teams:order_detail", self.pk)

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.year}"


class MembershipQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> "MembershipQuerySet":
        """Memberships whose term covers ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )

    def past(self, on: date | None = None) -> "MembershipQuerySet":
        on = on or timezone.localdate()
        return self.filter(end_date__lt=on)

    def overlapping(
        self, *, person, team, role: str, start: date, end: date | None, exclude=None
    ) -> "MembershipQuerySet":
        """Terms of ``person`` in ``role`` of ``team`` that overlap ``start``–``end`` (an open
        end runs on for ever), other than the membership ``exclude``."""
        terms = (
            self.filter(person=person, team=team, role=role)
            .exclude(pk=exclude)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        )
        return terms.filter(start_date__lte=end) if end else terms


class Membership(VersionedModel, TimeStampedModel):
    """A person's role in a team for one term. Ended terms stay as history."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField(_("start of term"))
    end_date = models.DateField(_("end of term"), null=True, blank=True)
    order = models.ForeignKey(
        AppointmentOrder,
        verbose_name=_("appointment order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["team", "start_date"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.team}"

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


class RoleDuty(VersionedModel):
    """One duty of a role in a team (seed 003 gives the defaults; each team may edit its own)."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="duties"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    text = models.CharField(_("duty"), max_length=500)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["team", "role", "order", "pk"]
        verbose_name = _("duty")
        verbose_name_plural = _("duties")

    def __str__(self) -> str:
        return self.text
