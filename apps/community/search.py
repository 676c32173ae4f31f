"""Communities and their knowledge assets in search, with the community's own rule.

An open community and its assets are indexed for every staff member. A members-only one is
indexed for its members (``owner``) and for whoever holds the KM secretary's, head's or CKO's
role today (``access_team`` "role:…" under ``access="team"``); administrators see everything.
A change of the roster or of the community's access re-indexes the community and its assets.
"""

from django.utils.translation import gettext_lazy as _

from apps.core.searchables import Searchable, register

from .models import Access, Community, KnowledgeAsset, Member

KM_OFFICE = ["role:secretary", "role:head", "role:cko"]


def _access(community: Community) -> dict:
    if community.access == Access.OPEN:
        return {"access": "all", "access_team": [], "owner": []}
    members = sorted(member.person_id for member in community.members.all())
    return {"access": "team", "access_team": KM_OFFICE, "owner": members}


def community_fields(community: Community) -> dict:
    return {
        "title": community.name,
        "body": "\n".join([community.domain, community.description]),
        "date": community.created_at,
        "extra": [f"status:{community.status}", f"step:{community.km_step}"],
        "data": {"summary": community.domain[:300]},
        **_access(community),
    }


def asset_fields(asset: KnowledgeAsset) -> dict:
    people = sorted(asset.who_to_ask.all(), key=lambda person: person.pk)
    return {
        "title": asset.title,
        "body": "\n".join(
            [
                asset.context,
                asset.what_we_did,
                asset.what_we_learned,
                asset.tips,
                asset.community.name,
                *[person.get_full_name() for person in people],
            ]
        ),
        "date": asset.created_at,
        "extra": [f"step:{asset.km_step}"],
        "data": {"summary": asset.what_we_learned[:300]},
        **_access(asset.community),
    }


def _assets_of(community_id) -> list[int]:
    return list(
        KnowledgeAsset.objects.filter(community_id=community_id).values_list("pk", flat=True)
    )


register(
    Searchable(
        kind="community",
        model=Community,
        label=_("Communities of practice"),
        icon="people-fill",
        fields=community_fields,
        visible=lambda user: Community.objects.visible_to(user),
        may_open=lambda user, community: user.has_perm("community.view_community", community),
        queryset=lambda: Community.objects.prefetch_related("members"),
        snippet=lambda community: "\n".join([community.domain, community.description]),
        depends={Member: lambda member: [member.community_id]},
    )
)
register(
    Searchable(
        kind="community_asset",
        model=KnowledgeAsset,
        label=_("Knowledge assets"),
        icon="lightbulb",
        fields=asset_fields,
        visible=lambda user: KnowledgeAsset.objects.visible_to(user),
        may_open=lambda user, asset: user.has_perm("community.view_asset", asset),
        queryset=lambda: KnowledgeAsset.objects.select_related("community").prefetch_related(
            "community__members", "who_to_ask"
        ),
        snippet=lambda asset: "\n".join([asset.context, asset.what_we_learned, asset.tips]),
        depends={
            Member: lambda member: _assets_of(member.community_id),
            Community: lambda community: _assets_of(community.pk),
        },
    )
)
