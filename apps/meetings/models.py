"""Meetings of the KM team and its groups (or of another app's record, see ``hosts``), and their
minutes (รายงานการประชุม).

The secretary schedules a meeting (its invitations show on the invitees' home pages), sets the
agenda in the five standard sections, records who came, and writes the minutes: per agenda item
what was discussed and what the meeting resolved, plus action items with an owner and a due
date. The minutes are adopted at a later meeting, after which they no longer change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.choices import KMStep
from apps.core.links import record_url
from apps.core.models import TimeStampedModel, VersionedModel
from apps.plans.models import Activity
from apps.teams.predicates import is_staff_member

from . import hosts
from .rules import is_admin, reads_meetings

# The most rows a meeting's agenda and its attendance list may have (each is one form page).
MAX_AGENDA_ITEMS = 60
MAX_ATTENDANCE = 200

# What a meeting's title may start with that its minutes' heading already says.
MEETING_WORDS = ("การประชุม", "ประชุม", "meeting of the ", "meeting of ", "meeting ")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        """The same rule as ``meetings.view_meeting``: the KM teams and groups, the KM office and
        administrators see every meeting; anyone else the meetings they were invited to or
        were given an action item by."""
        if not is_staff_member(user):
            return self.none()
        kinds = hosts.kinds()
        if is_admin(user) or (reads_meetings(user) and not kinds):
            return self.all()
        party = Q(attendances__person_id=user.pk) | Q(action_items__owner_id=user.pk)
        if reads_meetings(user):
            party |= Q(host_kind="")
        for kind in kinds:
            party |= Q(host_kind=kind.key, host_id__in=kind.readable(user))
        return self.filter(pk__in=self.model.objects.filter(party).values("pk"))

    def held_by(self, meeting: Meeting) -> MeetingQuerySet:
        """The meetings of the same host as ``meeting`` (its team, or its other host)."""
        return self.filter(**meeting.host_lookup)

    def upcoming(self, today=None) -> MeetingQuerySet:
        today = today or timezone.localdate()
        return self.filter(date__gte=today, status=MeetingStatus.SCHEDULED)

    def started(self, now=None) -> MeetingQuerySet:
        """Meetings whose start (date and time, local) has come: only these can have minutes
        or adopt earlier ones."""
        now = timezone.localtime(now)
        return self.filter(Q(date__lt=now.date()) | Q(date=now.date(), start_time__lte=now.time()))

    def before(self, meeting: Meeting) -> MeetingQuerySet:
        """The meetings that started before ``meeting`` did."""
        return self.filter(
            Q(date__lt=meeting.date) | Q(date=meeting.date, start_time__lt=meeting.start_time)
        ).exclude(pk=meeting.pk)


class Meeting(VersionedModel, TimeStampedModel):
    # The host: a team (the KM team and its groups), or another app's record (``hosts``).
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="meetings",
        null=True,
        blank=True,
    )
    host_kind = models.CharField(
        _("held by (kind)"), max_length=30, blank=True, default="", editable=False
    )
    host_id = models.PositiveBigIntegerField(
        _("held by (record)"), null=True, blank=True, editable=False
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"), editable=False)
    number = models.PositiveSmallIntegerField(
        _("meeting no."), help_text=_("Numbered per team and fiscal year: ครั้งที่ 1/2568.")
    )
    title = models.CharField(_("name of the meeting"), max_length=300)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("planned end"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300)
    purpose = models.TextField(_("purpose"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The iCalendar SEQUENCE of its invitation: raised by every change of date, time or place
    # and by the cancellation, so calendars replace the entry they hold (same UID).
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "fiscal_year", "number"], name="meeting_number_unique_per_year"
            ),
            models.UniqueConstraint(
                fields=["host_kind", "host_id", "fiscal_year", "number"],
                condition=~Q(host_kind=""),
                name="meeting_number_unique_per_host_and_year",
            ),
            models.CheckConstraint(
                condition=(
                    Q(host_kind="", host_id__isnull=True, team__isnull=False)
                    | (~Q(host_kind="") & Q(host_id__isnull=False, team__isnull=True))
                ),
                name="meeting_has_one_host",
            ),
            models.CheckConstraint(
                condition=Q(end_time__isnull=True) | Q(end_time__gt=F("start_time")),
                name="meeting_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.reference_label}"

    def get_absolute_url(self) -> str:
        return record_url("meetings:detail", self.pk)

    @property
    def host_lookup(self) -> dict:
        """The filter of the meetings of the same host."""
        if self.host_kind:
            return {"host_kind": self.host_kind, "host_id": self.host_id}
        return {"host_kind": "", "team_id": self.team_id}

    @cached_property
    def host(self):
        """The team, or the record of another app, that holds the meeting."""
        if not self.host_kind:
            return self.team
        kind = hosts.get(self.host_kind)
        if kind is None:
            return None
        return kind.model._default_manager.filter(pk=self.host_id).first()

    @property
    def host_name(self) -> str:
        return str(self.host) if self.host is not None else ""

    @property
    def reference(self) -> str:
        return f"{self.number}/{self.fiscal_year}"

    @property
    def reference_label(self) -> str:
        return gettext("no. %(reference)s") % {"reference": self.reference}

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_upcoming(self) -> bool:
        return self.status == MeetingStatus.SCHEDULED and self.date >= timezone.localdate()

    def may_be_answered(self, now=None) -> bool:
        """Invitees answer (attend or not) while it is scheduled and has not begun."""
        return self.status == MeetingStatus.SCHEDULED and not self.has_started(now)

    @property
    def minutes_title(self) -> str:
        """The heading of its minutes, naming the meeting once: "รายงานการประชุมคณะทำงาน…" for
        a meeting titled "การประชุมคณะทำงาน…" (not "รายงานการประชุมการประชุม…")."""
        subject = self.title.strip()
        for word in MEETING_WORDS:
            if subject.lower().startswith(word) and subject[len(word) :].strip():
                subject = subject[len(word) :].strip()
                break
        return gettext("Minutes of the meeting of %(subject)s") % {"subject": subject}

    def has_started(self, now=None) -> bool:
        """Its date and start time (local) have come: minutes record what happened, so they can
        be written only from then on."""
        now = timezone.localtime(now)
        return (self.date, self.start_time) <= (now.date(), now.time())


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")


class Answer(models.TextChoices):
    """What an invitee answered before the meeting (``AttendanceStatus`` is what happened)."""

    NONE = "", _("No answer yet")
    ATTEND = "attend", _("Will attend")
    DECLINE = "decline", _("Cannot attend")


class Attendance(VersionedModel):
    """An invitation, the invitee's answer, and afterwards whether the person came (and if not,
    why)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="km_meeting_invitations",
    )
    meeting_role = models.CharField(
        _("role in the meeting"),
        max_length=100,
        blank=True,
        help_text=_("e.g. ประธาน, กรรมการ, กรรมการและเลขานุการ"),
    )
    status = models.CharField(
        _("attendance"),
        max_length=20,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.INVITED,
    )
    reason = models.CharField(
        _("reason for absence"), max_length=200, blank=True, help_text=_("e.g. ติดราชการ, ลาป่วย")
    )
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    # The invitee's own answer, given on the meeting's page (``services.invitation_answer``).
    answer = models.CharField(
        _("answer"), max_length=10, choices=Answer.choices, blank=True, default=Answer.NONE
    )
    answer_reason = models.CharField(_("why they cannot attend"), max_length=200, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_invitation_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.meeting}"

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url()


class AgendaSection(models.IntegerChoices):
    """The five standard sections (ระเบียบวาระ) of a Thai government meeting."""

    CHAIR = 1, _("Matters the chair reports to the meeting")
    PREVIOUS_MINUTES = 2, _("Adoption of the minutes of the previous meeting")
    ARISING = 3, _("Matters arising from the previous meeting")
    CONSIDERATION = 4, _("Matters for consideration")
    OTHER = 5, _("Other matters")


class AgendaItem(VersionedModel):
    """One item of the agenda; the minutes add what was discussed and resolved."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    section = models.PositiveSmallIntegerField(
        _("agenda section"), choices=AgendaSection.choices, default=AgendaSection.CONSIDERATION
    )
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    title = models.CharField(_("subject"), max_length=300)
    detail = models.TextField(_("details of the item"), blank=True)
    km_step = models.CharField(_("KM step"), max_length=20, choices=KMStep.choices, blank=True)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("plan activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    discussion = models.TextField(_("discussion"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["meeting", "section", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#item-{self.pk}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class Minutes(VersionedModel, TimeStampedModel):
    """The minutes of a meeting (รายงานการประชุม): who opened and closed it, who wrote and checked
    the record, and whether a later meeting has adopted it."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes"
    )
    opened_at = models.TimeField(_("meeting opened at"))
    closed_at = models.TimeField(_("meeting closed at"), null=True, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    guests = models.TextField(
        _("others attending"), blank=True, help_text=_("One person per line, with their position.")
    )
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minutes taken by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minutes checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    adopted_at = models.ForeignKey(
        Meeting,
        verbose_name=_("adopted at the meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adopted_minutes",
    )
    adoption_note = models.CharField(
        _("adoption note"),
        max_length=300,
        blank=True,
        help_text=_("e.g. adopted with the amendments recorded in that meeting's minutes."),
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adoption recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(adopted_at__isnull=False),
                name="adopted_minutes_name_the_meeting",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Minutes of %(meeting)s") % {"meeting": self.meeting}

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url()

    @property
    def is_adopted(self) -> bool:
        return self.status == MinutesStatus.ADOPTED


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ActionItemQuerySet(models.QuerySet):
    def open(self) -> ActionItemQuerySet:
        return self.filter(status=ActionStatus.OPEN)

    def late(self, today=None) -> ActionItemQuerySet:
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)


class ActionItem(VersionedModel, TimeStampedModel):
    """Something the meeting asked someone to do by a date, maybe for a plan activity."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="action_items"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    description = models.TextField(_("what is to be done"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="km_action_items",
    )
    due_date = models.DateField(_("due date"))
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("plan activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.CharField(_("outcome"), max_length=500, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False),
                name="done_action_items_have_a_date",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return f"{self.meeting.get_absolute_url()}#action-{self.pk}"

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE

    def is_late(self, today=None) -> bool:
        today = today or timezone.localdate()
        return not self.is_done and self.due_date < today

    @property
    def late(self) -> bool:
        return self.is_late()
