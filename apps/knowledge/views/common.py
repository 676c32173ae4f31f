"""What every knowledge-set view needs: the set a person may open, and where to go back to."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse

from ..models import KnowledgeSet


def visible_set(request, pk: int, *, queryset=None) -> KnowledgeSet:
    """A set the person may open; anything else is "not found"."""
    queryset = queryset if queryset is not None else KnowledgeSet.objects.all()
    return get_object_or_404(queryset.visible_to(request.user), pk=pk)


def set_page(knowledge_set: KnowledgeSet) -> str:
    """Where to go back to after a change: the working copy while a new version is written."""
    if knowledge_set.has_pending_revision:
        return reverse("knowledge:working", args=[knowledge_set.pk])
    return knowledge_set.get_absolute_url()
