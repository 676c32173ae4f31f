"""Month-by-month counts in one grouped query (issue 20).

A fiscal year's twelve months used to be twelve filtered counts in one aggregate: cheap for the
database, but the ORM built, resolved and compiled twelve filters with two lookups each, and that
was about a quarter of the office dashboard's time. Now the rows of the year are grouped by which
month they fall in, a ``CASE`` over the months' first moments written once:

    CASE WHEN field < <1 November> THEN 0 WHEN field < <1 December> THEN 1 … ELSE 11 END

Comparing with the months' bounds is what the filtered counts did, so the counts are the same,
on every database: no date function is called (on SQLite, ``TruncMonth`` in local time would call
Python for every row), the bounds are local midnights for a date-time (as ``local_range``) and
plain days for a date, and the range of the whole year is a ``WHERE`` an index can serve.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Expression, F, IntegerField

from ..scope import local_midnight, next_month


class MonthIndex(Expression):
    """Which of the periods starting at ``bounds`` the value of ``expression`` falls in (0 for
    the first). Values before the first bound count as the first period and values from the
    last bound as the last; the caller's ``WHERE`` keeps them out."""

    output_field = IntegerField()

    def __init__(self, expression, bounds: list) -> None:
        super().__init__()
        self.source = F(expression) if isinstance(expression, str) else expression
        self.bounds = list(bounds)

    def get_source_expressions(self):
        return [self.source]

    def set_source_expressions(self, exprs) -> None:
        (self.source,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.source)
        field = self.source.output_field
        whens, out = [], []
        for index, bound in enumerate(self.bounds[1:]):
            whens.append(f"WHEN {sql} < %s THEN {index}")
            out.extend([*params, field.get_db_prep_value(bound, connection, prepared=False)])
        return f"CASE {' '.join(whens)} ELSE {len(self.bounds) - 1} END", out


def month_counts(records, field: str, months: list[dt.date], *, dates: bool = False) -> list[int]:
    """How many of ``records`` fall in each of ``months`` (first days, consecutive), by
    ``field``: a date (``dates``) or a date-time read in local time. One grouped query."""
    if not months:
        return []
    bounds = [*months, next_month(months[-1])]
    if not dates:
        bounds = [local_midnight(day) for day in bounds]
    # The field is named once (an alias), so a field across a relation the records were
    # filtered on is read through that same join, as the filtered counts did.
    grouped = (
        records.alias(_at=F(field))
        .filter(_at__gte=bounds[0], _at__lt=bounds[-1])
        .annotate(_month=MonthIndex("_at", bounds[:-1]))
        .values("_month")
        .annotate(_n=Count("pk"))
        .order_by()
    )
    counts = [0] * len(months)
    for row in grouped:
        counts[row["_month"]] = row["_n"]
    return counts
