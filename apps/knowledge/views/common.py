"""What every knowledge-set view needs: the set a person may open (anything else is "not
found"), the 403 for an action their role may not take, and where to go back to."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic.detail import SingleObjectMixin

from apps.core.permissions import ObjectPermissionMixin

from .. import selectors
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


class SetMixin(ObjectPermissionMixin, SingleObjectMixin):
    """A page about one set (``self.object``, ``knowledge_set`` in the template): "not found"
    unless the person may open it (the query itself leaves the others out), 403 unless they may
    do the page's action (``permission_required``). A method the page does not answer is refused
    (405) before anything is looked up."""

    model = KnowledgeSet
    context_object_name = "knowledge_set"

    def get_queryset(self) -> QuerySet[KnowledgeSet]:
        return selectors.detail_queryset().visible_to(self.request.user)

    def dispatch(self, request, *args, **kwargs) -> HttpResponse:
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        self.object = self.get_object()
        return self.not_now() or super().dispatch(request, *args, **kwargs)

    def not_now(self) -> HttpResponse | None:
        """Where to send a person who may not do this to the set in its present state."""
        return None
