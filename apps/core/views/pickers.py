"""What the pickers of ``static/js/widgets.js`` ask the server as a person types."""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import steps

PICK_MIN_LENGTH = 2  # letters typed before anything is looked up
PICK_MAX_LENGTH = 100
PICK_MAX_WORDS = 5
PICK_PER_SOURCE = 8  # records of one kind a reply lists


def pick_words(text: str) -> list[str]:
    """The words typed, bounded: at most ``PICK_MAX_WORDS`` of a text cut at ``PICK_MAX_LENGTH``;
    none when fewer than ``PICK_MIN_LENGTH`` letters were typed."""
    text = " ".join(str(text)[:PICK_MAX_LENGTH].split())
    if len(text) < PICK_MIN_LENGTH:
        return []
    return text.split(" ")[:PICK_MAX_WORDS]


@require_GET
def pick_records(request):
    """Records a progress report may link to as evidence whose title holds every word typed
    (``?q=``): those of every registered ``steps.StepSource`` (library documents, knowledge sets,
    any app that registers later), only those the person may open, newest first; each with the
    address the report's link check (``steps.resolve_link``) accepts."""
    words = pick_words(request.GET.get("q", ""))
    results = []
    if words:
        for source in steps.sources():
            records = source.visible(request.user)
            for word in words:
                records = records.filter(**{f"{source.title_field}__icontains": word})
            rows = records.order_by("-pk").values_list("pk", source.title_field)
            for pk, title in rows[:PICK_PER_SOURCE]:
                results.append(
                    {
                        "kind": str(source.label),
                        "icon": source.icon,
                        "title": str(title),
                        "url": reverse(source.url_name, kwargs={"pk": pk}),
                    }
                )
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response
