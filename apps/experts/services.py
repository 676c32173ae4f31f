"""Writes to the expert directory: suggestions, their review, entries and their talks.

Every function checks the caller's permission itself (views check first, for the 403 page), runs
in one transaction and validates the model, so a refused or invalid write leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.accounts.models import User
from apps.core.concurrency import check_version, lock_for_edit
from apps.core.permissions import require
from apps.core.races import refused_if_taken
from apps.core.text import is_blank, strip_invisible
from apps.core.writes import checked_fields
from apps.notifications.services import notify

from . import notices
from .models import Engagement, Expert, ExpertiseArea, ExpertStatus

# What a form may set on an entry; status and review fields change only through the review.
EXPERT_FIELDS = frozenset(
    {
        "kind",
        "person",
        "title",
        "first_name",
        "last_name",
        "organisation",
        "position",
        "topics",
        "phone",
        "email",
        "contact_note",
        "bio",
    }
)
ENGAGEMENT_FIELDS = frozenset({"kind", "title", "held_on", "ends_on", "organiser", "place", "note"})


class ReviewError(Exception):
    """A review that does not fit the entry's state, e.g. approving an approved entry."""


def expertise_areas(names: Iterable[str]) -> list[ExpertiseArea]:
    """The areas with these names, created where missing (names are trimmed, blanks skipped)."""
    areas = []
    for name in dict.fromkeys(strip_invisible(" ".join(name.split())) for name in names):
        if name:
            areas.append(ExpertiseArea.objects.get_or_create(name=name)[0])
    return areas


LIVE_ENTRY_ERROR = _lazy("This staff member already has an entry in the directory.")


def _live_entry_exists(expert: Expert) -> bool:
    if expert.person_id is None or expert.status == ExpertStatus.REJECTED:
        return False
    live = Expert.objects.filter(person_id=expert.person_id).exclude(status=ExpertStatus.REJECTED)
    return live.exclude(pk=expert.pk).exists()


def _save_expert(
    expert: Expert,
    *,
    expertise: Iterable[ExpertiseArea] | None,
    new_areas: Iterable[str] = (),
    update_fields: list[str] | None = None,
) -> Expert:
    expert.full_clean()
    # full_clean found no live entry for the person; one saved meanwhile by another request
    # is refused by the database, and reported the same way.
    with refused_if_taken(
        lambda: _live_entry_exists(expert), lambda: ValidationError({"person": LIVE_ENTRY_ERROR})
    ):
        expert.save(update_fields=update_fields)
    if expertise is not None or new_areas:
        areas = list(expertise if expertise is not None else expert.expertise.all())
        expert.expertise.set(areas + expertise_areas(new_areas))
    return expert


@transaction.atomic
def expert_suggest(
    *, by: User, fields: Mapping[str, Any], expertise: Iterable[ExpertiseArea] = ()
) -> Expert:
    """Record a staff member's suggestion. Only its suggester and the KM office see it until the
    KM office approves it."""
    require(by, "experts.suggest_expert")
    expert = Expert(
        **checked_fields(fields, EXPERT_FIELDS), status=ExpertStatus.SUGGESTED, suggested_by=by
    )
    _save_expert(expert, expertise=expertise)
    notify(kind=notices.SUGGESTED.code, recipients=notices.reviewers(), target=expert, actor=by)
    return expert


@transaction.atomic
def expert_create(
    *,
    by: User,
    fields: Mapping[str, Any],
    expertise: Iterable[ExpertiseArea] = (),
    new_areas: Iterable[str] = (),
) -> Expert:
    """Add an entry on the KM office's own authority: it is approved from the start."""
    require(by, "experts.manage_expert")
    expert = Expert(
        **checked_fields(fields, EXPERT_FIELDS),
        status=ExpertStatus.APPROVED,
        suggested_by=by,
        reviewed_by=by,
        reviewed_at=timezone.now(),
    )
    return _save_expert(expert, expertise=expertise, new_areas=new_areas)


@transaction.atomic
def expert_update(
    *,
    by: User,
    expert: Expert,
    fields: Mapping[str, Any],
    expertise: Iterable[ExpertiseArea] | None = None,
    new_areas: Iterable[str] = (),
    expected_version: int | None = None,
) -> Expert:
    """Change an entry's details and areas (``expertise=None`` keeps its areas); its review
    status stays as it is. Raises ``StaleEditError`` when the entry was saved after the
    ``expected_version`` the editor's page showed."""
    require(by, "experts.manage_expert", expert)
    lock_for_edit(expert, expected_version=expected_version)
    changes = checked_fields(fields, EXPERT_FIELDS)
    for name, value in changes.items():
        setattr(expert, name, value)
    return _save_expert(
        expert,
        expertise=expertise,
        new_areas=new_areas,
        update_fields=[*changes, "updated_at"],
    )


def _review(
    *, by: User, expert: Expert, status: str, note: str, expected_version: int | None
) -> Expert:
    require(by, "experts.review_expert", expert)
    # Lock the row so two reviewers clicking at once cannot both decide.
    locked = Expert.objects.select_for_update().get(pk=expert.pk)
    if locked.status != ExpertStatus.SUGGESTED:
        raise ReviewError(
            _("%(expert)s is not awaiting review: it is already %(status)s.")
            % {"expert": locked, "status": locked.get_status_display()}
        )
    # Nor decide on details the reviewer has not seen.
    check_version(locked, expected_version=expected_version)
    locked.status = status
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    locked.review_note = strip_invisible(note)
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
    if locked.suggested_by is not None:
        kind = notices.APPROVED if status == ExpertStatus.APPROVED else notices.DECLINED
        notify(
            kind=kind.code,
            recipients=[locked.suggested_by],
            target=locked,
            actor=by,
            note=locked.review_note,
        )
    return locked


@transaction.atomic
def expert_approve(
    *, by: User, expert: Expert, note: str = "", expected_version: int | None = None
) -> Expert:
    """Approve a pending suggestion: from now on every staff member finds it in the directory.

    Raises ``ReviewError`` unless the entry is awaiting review, and ``StaleEditError`` when it
    was changed after the ``expected_version`` the reviewer's page showed.
    """
    return _review(
        by=by,
        expert=expert,
        status=ExpertStatus.APPROVED,
        note=note,
        expected_version=expected_version,
    )


@transaction.atomic
def expert_reject(
    *, by: User, expert: Expert, note: str, expected_version: int | None = None
) -> Expert:
    """Turn a pending suggestion down, with the reason its suggester will read.

    Raises ``ValidationError`` without a reason and ``ReviewError`` unless the entry is awaiting
    review (``StaleEditError`` as for approval).
    """
    if is_blank(note):
        raise ValidationError(_("Give a reason for the suggester."), code="required")
    return _review(
        by=by,
        expert=expert,
        status=ExpertStatus.REJECTED,
        note=note,
        expected_version=expected_version,
    )


@transaction.atomic
def expert_delete(*, by: User, expert: Expert, expected_version: int | None = None) -> None:
    """Remove an entry and its talks and trainings (the audit trail keeps a record); not one
    changed after the ``expected_version`` the page showed."""
    require(by, "experts.manage_expert", expert)
    lock_for_edit(expert, expected_version=expected_version)
    expert.delete()


@transaction.atomic
def engagement_add(*, by: User, expert: Expert, fields: Mapping[str, Any]) -> Engagement:
    """Record a talk, training or other occasion where the expert taught."""
    require(by, "experts.manage_expert", expert)
    engagement = Engagement(expert=expert, **checked_fields(fields, ENGAGEMENT_FIELDS))
    engagement.full_clean()
    engagement.save()
    return engagement


@transaction.atomic
def engagement_delete(*, by: User, engagement: Engagement) -> None:
    """Remove a talk or training recorded by mistake."""
    require(by, "experts.manage_expert", engagement.expert)
    engagement.delete()
