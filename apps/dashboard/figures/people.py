"""Who contributes: documents, versions, progress reports and comments per person."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.knowledge.models import Comment, Version
from apps.plans.models import ProgressReport
from apps.teams.models import Membership

from ..scope import Scope
from ..tables import Chart, Table, num, text
from .base import LONG_TOP


# --- People --------------------------------------------------------------------------------------
def contributors(scope: Scope) -> Table:
    """Who added documents, published knowledge-set versions (as an author), reported progress
    and commented in the fiscal year. With a team chosen: its current members, for all their
    work (of the chosen step)."""
    # The office's records, whatever the team (the same scope when no team is chosen, so the
    # year's plan is read once a page).
    office = dataclasses.replace(scope, team=None) if scope.team else scope
    people = None
    if scope.team:
        people = Membership.objects.current(scope.today).filter(team=scope.team).values("person")
    # (what, the records in the year, the field naming the person)
    sources = [
        (
            "documents",
            office.documents().filter(scope.in_year("created_at")),
            "uploaded_by",
        ),
        (
            "versions",
            Version.objects.filter(
                scope.in_year("published_at"), knowledge_set__in=office.knowledge_sets()
            ),
            "knowledge_set__authors",
        ),
        (
            "reports",
            ProgressReport.objects.filter(
                scope.in_year("created_at"), activity__in=office.activities()
            ),
            "reported_by",
        ),
        (
            "comments",
            Comment.objects.filter(
                scope.in_year("created_at"), knowledge_set__in=office.knowledge_sets()
            ),
            "author",
        ),
    ]
    counts: dict[int, Counter] = defaultdict(Counter)
    for key, records, person in sources:
        if people is not None:
            records = records.filter(**{f"{person}__in": people})
        grouped = records.values_list(person).annotate(n=Count("pk", distinct=True)).order_by()
        for person_id, n in grouped:
            if person_id is not None:
                counts[person_id][key] += n
    ranked = sorted(counts.items(), key=lambda item: (-item[1].total(), item[0]))[:LONG_TOP]
    names = User.objects.in_bulk([person_id for person_id, _counts in ranked])
    rows = []
    for person_id, tally in ranked:
        person = names.get(person_id)
        if person is None:
            continue
        rows.append(
            [
                text(person.get_full_name() or person.username, person.get_absolute_url()),
                num(tally["documents"]),
                num(tally["versions"]),
                num(tally["reports"]),
                num(tally["comments"]),
                num(tally.total()),
            ]
        )
    return Table(
        "contributors",
        _("Active contributors"),
        [
            _("Person"),
            _("Documents added"),
            _("Knowledge-set versions published"),
            _("Progress reports"),
            _("Comments"),
            _("Total"),
        ],
        rows,
        note=_("Contributions in the fiscal year; with a team chosen, its current members."),
        chart=Chart("bar", series=(1, 2, 3, 4), stacked=True, horizontal=True),
        empty=_("No contributions this year."),
    )
