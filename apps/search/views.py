"""The search page, suggestions as you type, and nothing else: reads only."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apps.core.portal import no_result_actions
from apps.core.searchables import facet_labels, searchables

from . import searching
from .forms import SearchForm


@require_safe
def results(request):
    form = SearchForm(
        request.GET,
        kinds=[(s.kind, s.label) for s in searchables()],
        # The types asked for that an app knows (the library declares them): others are dropped.
        doc_types=list(facet_labels("doc_type", request.GET.getlist("type")).items()),
    )
    values = form.values()
    searched = bool(
        values["text"]
        or values["kinds"]
        or values["doc_types"]
        or values["categories"]
        or values["years"]
        or values["teams"]
    )
    page = searching.search(user=request.user, **values) if searched else None
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "values": values,
        "page": page,
        "searched": searched,
        "query_string": query.urlencode(),
        "sorts": form.fields["sort"].choices,
        "no_result_actions": (
            no_result_actions(request.user, values["text"])
            if page is not None and not page.total and values["text"]
            else []
        ),
    }
    return render(request, "search/results.html", context)


@require_safe
def suggest(request):
    prefix = request.GET.get("q", "")[:100]
    return JsonResponse({"results": searching.suggestions(user=request.user, prefix=prefix)})
