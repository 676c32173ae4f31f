"""A community's own questions on the Q&A board: the board's "cop" space.

Who reads a community reads its questions (open communities: every staff member; members-only
ones: their members and the KM office); its members and the KM office ask and answer there
while it is active; its facilitators (คุณอำนวย) and the KM office moderate, and hear of its
unanswered questions. The search index's access for its questions is the community's own, so
search and the board agree. A change of the roster or of the access re-indexes them
(:func:`readers_changed`, called by the services that make it).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.board import services as board_services
from apps.board import spaces
from apps.teams.predicates import is_staff_member

from . import rules
from .models import Community, Member, MemberRole
from .search import _access

KIND = "cop"


def _community(pk: int) -> Community | None:
    return Community.objects.filter(pk=pk).first()


def _may_read(user, pk: int) -> bool:
    return bool(rules.may_read(user, _community(pk)))


def _may_post(user, pk: int) -> bool:
    community = _community(pk)
    return bool(
        community is not None
        and community.is_active
        and rules.may_read(user, community)
        and (rules.keeps_all_communities(user) or rules.is_member(user, community))
    )


def _may_moderate(user, pk: int) -> bool:
    return bool(rules.may_keep(user, _community(pk)))


def _moderated_ids(user):
    if not is_staff_member(user):
        return []
    if rules.keeps_all_communities(user):
        return Community.objects.values_list("pk", flat=True)
    return Member.objects.filter(person_id=user.pk, role=MemberRole.FACILITATOR).values_list(
        "community_id", flat=True
    )


def _moderators(pk: int):
    return [
        member.person
        for member in Member.objects.filter(
            community_id=pk, role=MemberRole.FACILITATOR, person__is_active=True
        ).select_related("person")
    ]


def _index_access(pk: int) -> dict:
    community = _community(pk)
    return _access(community) if community is not None else dict(spaces.PRIVATE)


def space_url(pk: int) -> str:
    return reverse("community:detail", kwargs={"pk": pk})


def readers_changed(community: Community) -> None:
    """Index the community's questions again: who may find them changed."""
    board_services.space_readers_changed(kind=KIND, space_id=community.pk)


def register() -> None:
    spaces.register(
        spaces.SpaceKind(
            code=KIND,
            label=_("Community of practice"),
            may_read=_may_read,
            may_post=_may_post,
            may_moderate=_may_moderate,
            title=lambda pk: getattr(_community(pk), "name", ""),
            url=space_url,
            readable_ids=lambda user: Community.objects.visible_to(user).values_list(
                "pk", flat=True
            ),
            moderated_ids=_moderated_ids,
            moderators=_moderators,
            index_access=_index_access,
        )
    )


def questions_of(community: Community, user, *, limit: int = 5) -> dict:
    """The community page's card: its newest questions the person may see, how many there are
    in all, and whether they may ask there."""
    from apps.board.selectors import list_queryset

    questions = list_queryset(user).filter(space_kind=KIND, space_id=community.pk)
    return {
        "board_questions": list(questions[:limit]),
        "board_count": questions.count(),
        "board_space": f"{KIND}:{community.pk}",
        "board_may_ask": user.has_perm("board.ask") and _may_post(user, community.pk),
    }
