"""Knowledge sets in search.

A published set is indexed with its published text for every staff member; while a new version is
written, readers keep finding the published text, never the working copy. A draft, a set in review
and a retired set are indexed for their authors and reviewers (``owner``) and for whoever holds the
KM head's or the CKO's role today (``access_team`` "role:head", "role:cko"; ``access="team"`` is
the access level under which the engine matches those role keys).
"""

from django.utils.translation import gettext_lazy as _

from apps.core.searchables import Searchable, ordered, register
from apps.library.selectors import ancestor_ids

from .content import html_to_text
from .models import KnowledgeSet, Version

MAX_BODY = 200_000


def _text(knowledge_set: KnowledgeSet):
    """The text people may find: the published version for a public set, else the working copy."""
    return knowledge_set.published_version if knowledge_set.is_public else knowledge_set


def fields(knowledge_set: KnowledgeSet) -> dict:
    text = _text(knowledge_set)
    tags = [tag.name for tag in ordered(knowledge_set.tags.all(), lambda tag: tag.name)]
    # Nothing translated goes in: the index must not depend on the language of a request.
    body = "\n".join([text.summary, html_to_text(text.body_html), *tags])[:MAX_BODY]
    published = knowledge_set.published_version
    doc = {
        "title": text.title,
        "body": body,
        "category": ancestor_ids(knowledge_set.category_id),
        "team": [knowledge_set.group_id] if knowledge_set.group_id else [],
        "date": published.published_at if published else knowledge_set.created_at,
        "extra": [
            f"status:{knowledge_set.status}",
            f"kind:{knowledge_set.kind}",
            *([f"step:{knowledge_set.km_step}"] if knowledge_set.km_step else []),
        ],
        "data": {"summary": text.summary[:300]},
    }
    if knowledge_set.is_public:
        doc.update(access="all", access_team=[], owner=[])
    else:
        people = {person.pk for person in knowledge_set.authors.all()}
        people |= {person.pk for person in knowledge_set.reviewers.all()}
        doc.update(access="team", access_team=["role:head", "role:cko"], owner=sorted(people))
    return doc


def snippet(knowledge_set: KnowledgeSet) -> str:
    text = _text(knowledge_set)
    return "\n".join([text.summary, html_to_text(text.body_html)])


register(
    Searchable(
        kind="knowledge",
        model=KnowledgeSet,
        label=_("Knowledge sets"),
        icon="journal-richtext",
        fields=fields,
        visible=lambda user: KnowledgeSet.objects.visible_to(user),
        may_open=lambda user, knowledge_set: user.has_perm("knowledge.view_set", knowledge_set),
        queryset=lambda: KnowledgeSet.objects.select_related("published_version").prefetch_related(
            "tags", "authors", "reviewers"
        ),
        snippet=snippet,
        results=lambda: KnowledgeSet.objects.select_related("published_version"),
        depends={Version: lambda version: [version.knowledge_set_id]},
    )
)
