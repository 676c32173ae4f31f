"""Reporting periods: the four quarters (ไตรมาส) of a Thai fiscal year.

Quarter 1 is October–December of the previous B.E. year, quarter 4 is July–September, as in the
government's own progress reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.thaidates import fiscal_year, fiscal_year_range

QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Period:
    """A quarter (1–4) of a fiscal year (B.E.)."""

    fiscal_year: int
    quarter: int

    @property
    def start(self) -> dt.date:
        first, _last = fiscal_year_range(self.fiscal_year)
        month = first.month + 3 * (self.quarter - 1)
        year = first.year + (month - 1) // 12
        return dt.date(year, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        if self.quarter == 4:
            return fiscal_year_range(self.fiscal_year)[1]
        return Period(self.fiscal_year, self.quarter + 1).start - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return _("Quarter %(quarter)s of fiscal year %(year)s") % {
            "quarter": self.quarter,
            "year": self.fiscal_year,
        }

    def __str__(self) -> str:
        return self.label

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def period_of(day: dt.date) -> Period:
    """The quarter a date falls in."""
    year = fiscal_year(day)
    first, _last = fiscal_year_range(year)
    months = (day.year - first.year) * 12 + day.month - first.month
    return Period(year, months // 3 + 1)


def current_period(year: int, today: dt.date | None = None) -> Period:
    """Today's quarter when ``year`` is the current fiscal year; otherwise its last or first."""
    today = today or timezone.localdate()
    first, last = fiscal_year_range(year)
    if today < first:
        return Period(year, 1)
    if today > last:
        return Period(year, 4)
    return period_of(today)


def periods(year: int) -> list[Period]:
    """The four quarters of a fiscal year, in order."""
    return [Period(year, quarter) for quarter in QUARTERS]
