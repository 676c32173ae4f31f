"""Approved experts in search: names, organisation, expertise areas, topics, past talks."""

from django.utils.translation import gettext_lazy as _

from apps.core.searchables import Searchable, ordered, register

from .models import Engagement, Expert, ExpertStatus


def fields(expert: Expert) -> dict:
    expertise = ordered(expert.expertise.all(), lambda area: area.name)
    areas = [area.name for area in expertise]
    talks = [talk.title for talk in ordered(expert.engagements.all(), lambda talk: talk.held_on)]
    return {
        "title": str(expert),
        "body": "\n".join(
            [expert.organisation, expert.position, *areas, expert.topics, expert.bio, *talks]
        ),
        "extra": [f"expertise:{area.pk}" for area in expertise],
    }


register(
    Searchable(
        kind="expert",
        model=Expert,
        label=_("Experts"),
        icon="mortarboard",
        fields=fields,
        visible=lambda user: Expert.objects.visible_to(user).filter(status=ExpertStatus.APPROVED),
        may_open=lambda user, expert: (
            expert.status == ExpertStatus.APPROVED and user.has_perm("experts.view_expert", expert)
        ),
        queryset=lambda: Expert.objects.prefetch_related("expertise", "engagements"),
        snippet=lambda expert: "\n".join([expert.organisation, expert.topics, expert.bio]),
        depends={Engagement: lambda engagement: [engagement.expert_id]},
        # Suggestions wait for the secretary; only approved experts are searchable.
        include=lambda expert: expert.status == ExpertStatus.APPROVED,
    )
)
