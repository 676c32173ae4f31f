"""The plans app's own source for the seven-steps page (``apps.core.steps``): the library's
documents, tagged with the step they serve (``Document.km_step``).

Other apps register their own records (knowledge sets: ``apps/knowledge/apps.py``); this one is
registered here because the library sits below the apps that show the steps.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core import steps
from apps.library.models import Document


def register_library_documents() -> None:
    """The library's documents on the seven-steps page and as evidence progress reports link to."""
    steps.register(
        steps.StepSource(
            key="documents",
            label=_("Documents in the knowledge corner"),
            icon="file-earmark-text",
            model=Document,
            visible=lambda user: Document.objects.visible_to(user),
            url_name="library:detail",
            in_year=None,  # a circular stays useful beyond the year it was issued in
            list_url=lambda step: f"{reverse('library:list')}?km_step={step}",
            order=10,
        )
    )
