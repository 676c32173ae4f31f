"""Communities of practice (ชุมชนนักปฏิบัติ, CoP): staff who share a domain of the office's work
meet regularly, tell how they do it, and write down what works.

A community has a domain (หัวข้อความรู้) and a KM step, members in the Thai KM roles (คุณอำนวย the
facilitator, คุณลิขิต the note-taker, คุณกิจ the practitioners; the office's CKO is its คุณเอื้อ,
read from the KM team, never stored here), sessions (meetings of ``apps.meetings`` held by the
community, with their BAR, AAR and storytelling notes here) and knowledge assets (ขุมความรู้:
short "what works" notes) that can be promoted to a knowledge-set draft.

An *open* community is read and joined by every staff member; a *members-only* one is read by
its members and the KM office (secretary, head, CKO) only, and its facilitators add members.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.choices import KMStep
from apps.core.links import record_url
from apps.core.models import TimeStampedModel, VersionedModel
from apps.teams.predicates import is_staff_member

from .rules import keeps_all_communities

# The most people one request adds to a roster.
MAX_MEMBERS_AT_ONCE = 100


class Access(models.TextChoices):
    OPEN = "open", _("Open to all staff")
    MEMBERS = "members", _("Members only")


class CommunityStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class MemberRole(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator (คุณอำนวย)")
    NOTE_TAKER = "note_taker", _("Note-taker (คุณลิขิต)")
    PRACTITIONER = "practitioner", _("Practitioner (คุณกิจ)")

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value) if value in cls.values else len(cls.values)


# The roles that keep a community's sessions (schedule, attendance, notes).
KEEPING_ROLES = (MemberRole.FACILITATOR, MemberRole.NOTE_TAKER)


class CommunityQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommunityQuerySet:
        """The same rule as ``community.view_community``: open communities for every staff
        member, members-only ones for their members; the KM office and administrators see all."""
        if not is_staff_member(user):
            return self.none()
        if keeps_all_communities(user):
            return self.all()
        mine = Member.objects.filter(person_id=user.pk).values("community_id")
        return self.filter(Q(access=Access.OPEN) | Q(pk__in=mine))

    def active(self) -> CommunityQuerySet:
        return self.filter(status=CommunityStatus.ACTIVE)


class Community(VersionedModel, TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    domain = models.CharField(
        _("knowledge domain"),
        max_length=300,
        help_text=_("The part of the office's work the community shares, e.g. การตรวจการสหกรณ์."),
    )
    km_step = models.CharField(
        _("KM step"), max_length=20, choices=KMStep.choices, default=KMStep.SHARE
    )
    description = models.TextField(_("description"), blank=True)
    access = models.CharField(
        _("who may take part"), max_length=10, choices=Access.choices, default=Access.OPEN
    )
    activity = models.ForeignKey(
        "plans.Activity",
        verbose_name=_("plan activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communities",
        help_text=_("The KM plan activity the community's sessions and assets are evidence of."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CommunityStatus.choices, default=CommunityStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CommunityQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("community of practice")
        verbose_name_plural = _("communities of practice")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return record_url("community:detail", self.pk)

    @property
    def is_open(self) -> bool:
        return self.access == Access.OPEN

    @property
    def is_active(self) -> bool:
        return self.status == CommunityStatus.ACTIVE


class Member(models.Model):
    """A person's place in a community, in one of the Thai KM roles."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="community_memberships",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MemberRole.choices, default=MemberRole.PRACTITIONER
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["community", "joined_at", "pk"]
        verbose_name = _("community member")
        verbose_name_plural = _("community members")
        constraints = [
            models.UniqueConstraint(fields=["community", "person"], name="community_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        return f"{self.community.get_absolute_url()}#members"


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> SessionQuerySet:
        return self.filter(community__in=Community.objects.visible_to(user))


class Session(VersionedModel, TimeStampedModel):
    """A community's session: the meeting (date, place, attendance) lives in ``apps.meetings``;
    what the community writes about it lives here: the BAR before, the AAR after, the stories
    told (เรื่องเล่าเร้าพลัง) and the notes."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="sessions"
    )
    meeting = models.OneToOneField(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="community_session",
    )
    km_step = models.CharField(
        _("KM step"), max_length=20, choices=KMStep.choices, default=KMStep.SHARE
    )
    online_link = models.URLField(_("online meeting link"), max_length=500, blank=True)
    # Before Action Review
    bar_goal = models.TextField(_("what we want to learn"), blank=True)
    bar_plan = models.TextField(_("how we will go about it"), blank=True)
    # After Action Review
    aar_expected = models.TextField(_("what we expected"), blank=True)
    aar_happened = models.TextField(_("what actually happened"), blank=True)
    aar_difference = models.TextField(_("why it was different"), blank=True)
    aar_keep = models.TextField(_("what to keep doing"), blank=True)
    aar_change = models.TextField(_("what to change"), blank=True)
    stories = models.TextField(_("storytelling notes (เรื่องเล่าเร้าพลัง)"), blank=True)
    notes = models.TextField(_("session notes"), blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting__date", "-pk"]
        verbose_name = _("community session")
        verbose_name_plural = _("community sessions")

    def __str__(self) -> str:
        return self.meeting.title

    def get_absolute_url(self) -> str:
        return record_url("community:session", self.pk)

    @property
    def has_aar(self) -> bool:
        return any(
            getattr(self, name).strip()
            for name in ("aar_expected", "aar_happened", "aar_difference", "aar_keep", "aar_change")
        )


class AssetQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssetQuerySet:
        return self.filter(community__in=Community.objects.visible_to(user))


class KnowledgeAsset(VersionedModel, TimeStampedModel):
    """A knowledge asset (ขุมความรู้): a short "what works" note in the community's template."""

    community = models.ForeignKey(
        Community, verbose_name=_("community"), on_delete=models.CASCADE, related_name="assets"
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("from the session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
    )
    title = models.CharField(_("title"), max_length=300)
    km_step = models.CharField(
        _("KM step"), max_length=20, choices=KMStep.choices, default=KMStep.SHARE
    )
    context = models.TextField(_("context"), help_text=_("The situation: when does this apply?"))
    what_we_did = models.TextField(_("what we did"), blank=True)
    what_we_learned = models.TextField(_("what we learned"), blank=True)
    tips = models.TextField(_("tips"), blank=True)
    who_to_ask = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who to ask"),
        blank=True,
        related_name="community_assets_to_ask",
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="community_assets",
    )
    knowledge_set = models.OneToOneField(
        "knowledge.KnowledgeSet",
        verbose_name=_("promoted to the knowledge set"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_asset",
        editable=False,
    )
    promoted_at = models.DateTimeField(_("promoted"), null=True, blank=True, editable=False)

    objects = AssetQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("knowledge asset")
        verbose_name_plural = _("knowledge assets")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return record_url("community:asset", self.pk)

    @property
    def is_promoted(self) -> bool:
        return self.knowledge_set_id is not None
