"""What the pickers of ``static/js/widgets.js`` ask the server as a person types."""

from __future__ import annotations

from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import steps
from ..forms import active_people
from ..widgets import person_option

PICK_MIN_LENGTH = 2  # letters typed before anything is looked up
PICK_MAX_LENGTH = 100
PICK_MAX_WORDS = 5
PICK_PER_SOURCE = 8  # records of one kind a reply lists
PICK_PEOPLE = 20  # people a reply lists


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
            if not source.title_field:
                continue
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


@require_GET
def pick_people(request):
    """Active staff whose name, position or unit holds every word typed (``?q=``), at most
    ``PICK_PEOPLE``: what the people picker offers when the office is too large to list everyone
    in the page (``widgets.INLINE_PEOPLE``). The people a form offers are every signed-in
    person's to see (the staff directory); the form checks the choice again."""
    people = active_people()
    for word in pick_words(request.GET.get("q", "")) or [None]:
        if word is None:
            people = people.none()
            break
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(position__icontains=word)
            | Q(unit__name__icontains=word)
            | Q(unit__short_name__icontains=word)
        )
    response = JsonResponse({"results": [person_option(p) for p in people[:PICK_PEOPLE]]})
    response["Cache-Control"] = "private, no-store"
    return response
