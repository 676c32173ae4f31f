"""Writes for communities of practice: the community, its roster, its sessions and their
notes, its knowledge assets and their promotion to a knowledge-set draft.

Every function takes plain data (``data``'s dataclasses, model instances), checks the caller's
permission itself (``rules``; views check first only to choose the 403 or 404 page), re-checks
the record's state and runs in one transaction, so a refused or invalid write leaves nothing
behind. Edits of shared records take the ``expected_version`` the editor's page showed and
refuse (``StaleEditError``) to overwrite a later save. Views, the demo data and scripts call
these; sessions are meetings scheduled through ``apps.meetings.services``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.concurrency import lock_for_edit
from apps.core.permissions import require
from apps.core.text import is_blank, strip_invisible
from apps.knowledge.models import SetKind
from apps.knowledge.services import SetData, set_create
from apps.meetings import services as meetings
from apps.meetings.data import MeetingDetails
from apps.notifications.services import notify

from . import board, notices
from .data import AssetData, CommunityData, SessionData, SessionNotes
from .models import (
    MAX_MEMBERS_AT_ONCE,
    Community,
    CommunityStatus,
    KnowledgeAsset,
    Member,
    MemberRole,
    Session,
)
from .rules import forget_roles

NOTE_FIELDS = (
    "bar_goal",
    "bar_plan",
    "aar_expected",
    "aar_happened",
    "aar_difference",
    "aar_keep",
    "aar_change",
    "stories",
    "notes",
    "online_link",
)
AAR_FIELDS = ("aar_expected", "aar_happened", "aar_difference", "aar_keep", "aar_change")


def _clean(text: str) -> str:
    return strip_invisible(text or "")


def _check_active(community: Community) -> None:
    if community.status != CommunityStatus.ACTIVE:
        raise ValidationError(
            _("This community is closed: reopen it before changing its work."), code="closed"
        )


def _fill_community(community: Community, data: CommunityData) -> None:
    community.name = " ".join(_clean(data.name).split())
    community.domain = _clean(data.domain)
    community.km_step = data.km_step
    community.description = _clean(data.description)
    community.access = data.access
    community.activity = data.activity
    community.status = data.status
    community.full_clean(exclude=["created_by"], validate_unique=True)


# --- Communities ---------------------------------------------------------------------------------
@transaction.atomic
def community_create(
    *, by: User, data: CommunityData, facilitators: Iterable[User] = ()
) -> Community:
    """Start a community (the KM office's decision) with its first facilitators (คุณอำนวย); the
    creator facilitates when nobody else is named."""
    require(by, "community.add_community")
    community = Community(created_by=by)
    _fill_community(community, data)
    try:
        with transaction.atomic():
            community.save()
    except IntegrityError:
        raise ValidationError(
            {"name": _("A community with this name already exists.")}, code="unique"
        ) from None
    people = list(dict.fromkeys(facilitators)) or [by]
    for person in people:
        Member.objects.create(community=community, person=person, role=MemberRole.FACILITATOR)
    notify(
        kind=notices.MEMBER_ADDED.code,
        recipients=people,
        target=community,
        actor=by,
        note=str(MemberRole.FACILITATOR.label),
    )
    return community


@transaction.atomic
def community_update(
    *, by: User, community: Community, data: CommunityData, expected_version: int | None = None
) -> Community:
    """Change a community's details, who may take part, its plan activity or its status."""
    require(by, "community.change_community", community)
    current = lock_for_edit(community, expected_version=expected_version)
    access_before = current.access
    _fill_community(current, data)
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        raise ValidationError(
            {"name": _("A community with this name already exists.")}, code="unique"
        ) from None
    if current.access != access_before:
        board.readers_changed(current)
    return current


# --- The roster ----------------------------------------------------------------------------------
def _facilitators(community: Community) -> list[User]:
    ids = community.members.filter(role=MemberRole.FACILITATOR).values("person_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


@transaction.atomic
def community_join(*, by: User, community: Community) -> Member:
    """Join an open, active community as a practitioner (คุณกิจ); its facilitators are told."""
    community = Community.objects.select_for_update().get(pk=community.pk)
    if community.members.filter(person=by).exists():
        raise ValidationError(_("You are already a member of this community."), code="member")
    require(by, "community.join", community)
    member = Member.objects.create(community=community, person=by, role=MemberRole.PRACTITIONER)
    forget_roles(community)
    board.readers_changed(community)
    notify(
        kind=notices.JOINED.code, recipients=_facilitators(community), target=community, actor=by
    )
    return member


def _keep_a_facilitator(community: Community, leaving: Iterable[int]) -> None:
    left = community.members.filter(role=MemberRole.FACILITATOR).exclude(person_id__in=leaving)
    if not left.exists():
        raise ValidationError(
            _("A community needs at least one facilitator: name another one first."),
            code="last_facilitator",
        )


@transaction.atomic
def community_leave(*, by: User, community: Community) -> None:
    """Leave a community (not as its last facilitator)."""
    community = Community.objects.select_for_update().get(pk=community.pk)
    require(by, "community.leave", community)
    member = community.members.filter(person=by).first()
    if member is None:
        raise ValidationError(_("You are not a member of this community."), code="not_member")
    if member.role == MemberRole.FACILITATOR:
        _keep_a_facilitator(community, [by.pk])
    member.delete()
    forget_roles(community)
    board.readers_changed(community)


@transaction.atomic
def members_add(
    *, by: User, community: Community, people: Iterable[User], role: str
) -> list[Member]:
    """Add people to the roster in ``role`` (those already in it take the role); each added
    person is told."""
    community = Community.objects.select_for_update().get(pk=community.pk)
    require(by, "community.manage_members", community)
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Choose a role.")}, code="role")
    people = list(dict.fromkeys(people))
    if not people:
        raise ValidationError({"people": _("Choose at least one person.")}, code="required")
    if len(people) > MAX_MEMBERS_AT_ONCE:
        raise ValidationError(
            {
                "people": _("Add at most %(limit)d people at a time.")
                % {"limit": MAX_MEMBERS_AT_ONCE}
            }
        )
    if any(not person.is_active for person in people):
        raise ValidationError({"people": _("Only active staff can be members.")}, code="inactive")
    existing = {m.person_id: m for m in community.members.filter(person__in=people)}
    changed, added = [], []
    for person in people:
        member = existing.get(person.pk)
        if member is None:
            member = Member.objects.create(community=community, person=person, role=role)
            added.append(person)
        elif member.role != role:
            if member.role == MemberRole.FACILITATOR:
                _keep_a_facilitator(community, [person.pk])
            member.role = role
            member.save(update_fields=["role"])
        changed.append(member)
    forget_roles(community)
    if added:
        board.readers_changed(community)
    notify(
        kind=notices.MEMBER_ADDED.code,
        recipients=added,
        target=community,
        actor=by,
        note=str(MemberRole(role).label),
    )
    return changed


@transaction.atomic
def member_remove(*, by: User, member: Member) -> None:
    """Take someone off the roster (not the last facilitator)."""
    community = Community.objects.select_for_update().get(pk=member.community_id)
    require(by, "community.manage_members", community)
    member = Member.objects.filter(pk=member.pk, community=community).first()
    if member is None:
        return
    if member.role == MemberRole.FACILITATOR:
        _keep_a_facilitator(community, [member.person_id])
    member.delete()
    forget_roles(community)
    board.readers_changed(community)


# --- Sessions ------------------------------------------------------------------------------------
def _check_link(link: str) -> str:
    link = _clean(link)
    if link and not link.lower().startswith(("https://", "http://")):
        raise ValidationError(
            {"online_link": _("Give the full address of the online meeting, from https://.")},
            code="link",
        )
    return link


@transaction.atomic
def session_schedule(
    *,
    by: User,
    community: Community,
    data: SessionData,
    invitees: Iterable[User] | None = None,
) -> Session:
    """Schedule a session: a meeting held by the community (numbered within it; the meetings
    app invites ``invitees``, by default every member, and tells them), with its BAR."""
    community = Community.objects.select_for_update().get(pk=community.pk)
    require(by, "community.schedule_session", community)
    _check_active(community)
    link = _check_link(data.online_link)
    if invitees is None:
        invitees = User.objects.filter(community_memberships__community=community, is_active=True)
    meeting = meetings.meeting_schedule(
        by=by,
        details=MeetingDetails(
            team=None,
            title=data.title,
            date=data.date,
            start_time=data.start_time,
            end_time=data.end_time,
            place=data.place,
            purpose=data.purpose,
        ),
        invitees=list(invitees),
        host=community,
    )
    session = Session(
        community=community,
        meeting=meeting,
        km_step=data.km_step or community.km_step,
        online_link=link,
        bar_goal=_clean(data.bar_goal),
        bar_plan=_clean(data.bar_plan),
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_notes_save(
    *, by: User, session: Session, notes: SessionNotes, expected_version: int | None = None
) -> Session:
    """Save what the community writes about a session: the BAR, the AAR (only once the session
    has begun: it reviews what happened), the stories and the notes. The members hear when an
    AAR is first written."""
    require(by, "community.change_session", session)
    current = lock_for_edit(session, expected_version=expected_version)
    values = {name: _clean(getattr(notes, name)) for name in NOTE_FIELDS}
    values["online_link"] = _check_link(notes.online_link)
    had_aar = current.has_aar
    for name, value in values.items():
        setattr(current, name, value)
    if current.has_aar and not current.meeting.has_started():
        raise ValidationError(
            {
                "aar_happened": _(
                    "The AAR reviews a session that took place: write it once it has begun."
                )
            },
            code="too_early",
        )
    current.full_clean()
    current.save()
    if current.has_aar and not had_aar:
        members = User.objects.filter(
            community_memberships__community_id=current.community_id, is_active=True
        ).order_by("pk")
        notify(kind=notices.AAR_WRITTEN.code, recipients=members, target=current, actor=by)
    return current


# --- Knowledge assets ----------------------------------------------------------------------------
def _fill_asset(asset: KnowledgeAsset, data: AssetData) -> None:
    asset.title = " ".join(_clean(data.title).split())
    asset.context = _clean(data.context)
    asset.what_we_did = _clean(data.what_we_did)
    asset.what_we_learned = _clean(data.what_we_learned)
    asset.tips = _clean(data.tips)
    asset.km_step = data.km_step
    if is_blank(asset.what_we_did) and is_blank(asset.what_we_learned) and is_blank(asset.tips):
        raise ValidationError(
            {"what_we_learned": _("Write at least what you did, what you learned or a tip.")},
            code="empty",
        )
    asset.full_clean(exclude=["written_by"])


@transaction.atomic
def asset_create(
    *, by: User, community: Community, data: AssetData, session: Session | None = None
) -> KnowledgeAsset:
    """Capture a knowledge asset (ขุมความรู้) in the community, from one of its sessions or on
    its own; the facilitators are told."""
    require(by, "community.add_asset", community)
    if session is not None and session.community_id != community.pk:
        raise ValidationError({"session": _("Choose a session of this community.")})
    asset = KnowledgeAsset(community=community, session=session, written_by=by)
    _fill_asset(asset, data)
    asset.save()
    asset.who_to_ask.set(data.who_to_ask)
    notify(
        kind=notices.ASSET_ADDED.code,
        recipients=_facilitators(community),
        target=asset,
        actor=by,
    )
    return asset


@transaction.atomic
def asset_update(
    *,
    by: User,
    asset: KnowledgeAsset,
    data: AssetData,
    session: Session | None = None,
    expected_version: int | None = None,
) -> KnowledgeAsset:
    """Change an asset (its writer, the facilitators and note-takers, the KM office)."""
    require(by, "community.change_asset", asset)
    current = lock_for_edit(asset, expected_version=expected_version)
    if session is not None and session.community_id != current.community_id:
        raise ValidationError({"session": _("Choose a session of this community.")})
    current.session = session
    _fill_asset(current, data)
    current.save()
    current.who_to_ask.set(data.who_to_ask)
    return current


def asset_markdown(asset: KnowledgeAsset) -> str:
    """The body of the knowledge set an asset becomes: its template's parts as sections, and
    where it came from (the link back to the asset)."""
    parts = [
        (_("Context"), asset.context),
        (_("What we did"), asset.what_we_did),
        (_("What we learned"), asset.what_we_learned),
        (_("Tips"), asset.tips),
    ]
    lines = []
    for heading, text in parts:
        if not is_blank(text):
            lines += [f"## {heading}", "", text, ""]
    people = [person.get_full_name() for person in asset.who_to_ask.order_by("first_name", "pk")]
    if people:
        lines += [f"## {_('Who to ask')}", "", *[f"- {name}" for name in people], ""]
    source = _("From the knowledge asset “%(title)s” of the community “%(community)s”") % {
        "title": asset.title,
        "community": asset.community.name,
    }
    lines += ["---", "", f"[{source}]({reverse('community:asset', args=[asset.pk])})", ""]
    return "\n".join(lines)


@transaction.atomic
def asset_promote(
    *, by: User, asset: KnowledgeAsset, expected_version: int | None = None
) -> KnowledgeAsset:
    """Make a knowledge-set draft of the asset in one step, through the knowledge app's own
    service (its rules and workflow hold from here on): the asset's writer and the promoter are
    its authors, the people to ask its holders. The asset links to the set and the set's text
    links back. The writer and the facilitators are told."""
    current = lock_for_edit(asset, expected_version=expected_version)
    if current.knowledge_set_id is not None:
        raise ValidationError(
            _("This asset is already a knowledge set: open it from the asset's page."),
            code="promoted",
        )
    if not by.has_perm("community.promote_asset", current):
        raise PermissionDenied
    authors = [person for person in [current.written_by] if person is not None and person.is_active]
    summary = _clean(current.what_we_learned or current.context)[:500]
    knowledge_set = set_create(
        by=by,
        data=SetData(
            title=current.title,
            kind=SetKind.GOOD_PRACTICE,
            summary=summary,
            body=asset_markdown(current),
            km_step=current.km_step,
            authors=authors,
            holders=list(current.who_to_ask.filter(is_active=True)),
        ),
    )
    current.knowledge_set = knowledge_set
    current.promoted_at = timezone.now()
    current.save(update_fields=["knowledge_set", "promoted_at", "updated_at"])
    recipients = [*authors, *_facilitators(current.community)]
    notify(kind=notices.ASSET_PROMOTED.code, recipients=recipients, target=current, actor=by)
    return current
