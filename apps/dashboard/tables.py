"""The shape every dashboard figure takes: a table of cells, each cell optionally linking to the
list it counts, and optionally a chart drawn from the same numbers.

The page, the print view, the Excel export and the charts all read these tables, so a number can
not differ between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Cell:
    value: Any
    url: str = ""
    # A number is right-aligned, and charted when its column is a series.
    numeric: bool = False
    # Kept on one line (short dates).
    nowrap: bool = False

    def __str__(self) -> str:
        return "" if self.value is None else str(self.value)


def num(value: Any, url: str = "") -> Cell:
    return Cell(value if value is not None else 0, url, numeric=True)


def text(value: Any, url: str = "") -> Cell:
    return Cell(value, url)


def day(value: str) -> Cell:
    return Cell(value, nowrap=True)


@dataclass(frozen=True)
class Chart:
    kind: str  # "bar", "doughnut" or "line"
    # Indexes of the columns whose numbers are the chart's series; column 0 gives the labels.
    series: tuple[int, ...]
    stacked: bool = False
    horizontal: bool = False
    # (first, end) of the rows to chart, when not all of them are parts of the picture.
    rows: tuple[int, int] | None = None
    # The series are percentages: the axis runs to 100.
    percent: bool = False


@dataclass
class Table:
    key: str
    title: Any
    columns: list[Any]
    rows: list[list[Cell]] = field(default_factory=list)
    # What the table counts and which filters apply to it, shown under its title.
    note: Any = ""
    chart: Chart | None = None
    empty: Any = ""
    # For lists cut to their first rows: where the whole list is, and whether rows were cut.
    more_url: str = ""
    limited: bool = False
    # Cells worth naming (the headline figures), by key.
    named: dict[str, Cell] = field(default_factory=dict)

    def chart_data(self) -> dict | None:
        """The chart's labels and series, for the page's script (``json_script``)."""
        if self.chart is None or not self.rows:
            return None
        rows = self.rows[slice(*self.chart.rows)] if self.chart.rows else self.rows
        return {
            "type": self.chart.kind,
            "stacked": self.chart.stacked,
            "horizontal": self.chart.horizontal,
            "percent": self.chart.percent,
            "labels": [str(row[0]) for row in rows],
            "datasets": [
                {"label": str(self.columns[index]), "data": [row[index].value for row in rows]}
                for index in self.chart.series
            ],
        }
