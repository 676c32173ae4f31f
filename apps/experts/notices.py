"""What the expert directory tells people, through the portal's one notification system.

- A staff member suggests an expert: the KM office people who review suggestions (the KM
  secretary and the KM head, ``experts.review_expert``) hear of it in their digest.
- The KM office approves or declines it: the suggester hears of it (with the reason, if declined).

A suggestion is not in the search index until it is approved, so whether someone may open one is
the directory's own rule (``experts.view_expert``: the KM office, and the suggester for their own),
not the searchable's (approved entries only).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.notifications.kinds import Delivery, Kind, register
from apps.teams.models import Membership, Role, TeamKind

from .models import Expert

GROUP = _("Expert directory")


def may_open(user, expert: Expert) -> bool:
    return user.has_perm("experts.view_expert", expert)


def _kind(code, label, sentence, *, icon) -> Kind:
    return register(
        Kind(
            code=f"experts.{code}",
            group=GROUP,
            label=label,
            sentence=sentence,
            default=Delivery.DIGEST,
            title=lambda expert: expert.get_full_name(),
            may_open=may_open,
            icon=icon,
        )
    )


SUGGESTED = _kind(
    "suggested",
    _("An expert is suggested for the directory (to review)"),
    _("%(actor)s suggested “%(title)s” for the expert directory."),
    icon="person-plus",
)
APPROVED = _kind(
    "approved",
    _("Your expert suggestion is approved"),
    _("%(actor)s approved your suggestion “%(title)s”: it is in the expert directory now."),
    icon="patch-check",
)
DECLINED = _kind(
    "declined",
    _("Your expert suggestion is declined"),
    _("%(actor)s declined your suggestion “%(title)s”: %(note)s"),
    icon="x-circle",
)


def reviewers() -> list[User]:
    """Who reviews suggestions today: the KM team's secretary and head (the administrators may
    too, but the accounts that are only administrators are not the KM office's people)."""
    ids = (
        Membership.objects.current()
        .filter(team__kind=TeamKind.KM_TEAM, role__in=[Role.SECRETARY, Role.HEAD])
        .values("person_id")
    )
    people = User.objects.filter(pk__in=ids, is_active=True).order_by("pk")
    return [person for person in people if person.has_perm("experts.review_expert")]
