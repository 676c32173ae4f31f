"""The one formatting layer for dates: Buddhist Era (พ.ศ.) display, parsing and fiscal years.

B.E. = C.E. + 543. Thai readers expect "12 มีนาคม 2551" (long) and "12 มี.ค. 51" (short), and
official documents often use Thai digits. Everything that shows or reads a date goes through here:
the template filters in ``apps.core.templatetags.thai``, the form field in ``apps.core.forms`` and,
through :func:`install_buddhist_era`, Django's own ``date`` filter and ``localize``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import get_language

BE_OFFSET = 543

MONTHS_TH = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_TH_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS_EN_ABBR = tuple(name[:3] for name in MONTHS_EN)

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def be_year(year: int) -> int:
    """The Buddhist Era year for a Common Era year."""
    return year + BE_OFFSET


def ce_year(year: int) -> int:
    """The Common Era year for a Buddhist Era year."""
    return year - BE_OFFSET


def _thai_ui() -> bool:
    return (get_language() or "th").startswith("th")


def _as_local_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def format_date_long(value: dt.date | dt.datetime | None) -> str:
    """``12 มีนาคม 2551`` (Thai UI) or ``12 March 2551`` (English UI); empty for None."""
    if value is None or value == "":
        return ""
    day = _as_local_date(value)
    months = MONTHS_TH if _thai_ui() else MONTHS_EN
    return f"{day.day} {months[day.month - 1]} {be_year(day.year)}"


def format_date_short(value: dt.date | dt.datetime | None) -> str:
    """``12 มี.ค. 51`` (Thai UI) or ``12 Mar 51`` (English UI); empty for None."""
    if value is None or value == "":
        return ""
    day = _as_local_date(value)
    months = MONTHS_TH_ABBR if _thai_ui() else MONTHS_EN_ABBR
    return f"{day.day} {months[day.month - 1]} {be_year(day.year) % 100:02d}"


def format_month(value: dt.date | dt.datetime | None) -> str:
    """``มี.ค. 2551`` (Thai UI) or ``Mar 2551`` (English UI): a month of a B.E. year."""
    if value is None or value == "":
        return ""
    day = _as_local_date(value)
    months = MONTHS_TH_ABBR if _thai_ui() else MONTHS_EN_ABBR
    return f"{months[day.month - 1]} {be_year(day.year)}"


def format_datetime(value: dt.datetime | None, *, short: bool = True) -> str:
    """``12 มี.ค. 51 14:30 น.`` — a date in B.E. with the local time of day."""
    if value is None or value == "":
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    day = format_date_short(value) if short else format_date_long(value)
    clock = f"{value:%H:%M}"
    return f"{day} {clock} น." if _thai_ui() else f"{day} {clock}"


def format_date_input(value: dt.date | None) -> str:
    """What a date input shows: ``12/03/2551`` (day/month/B.E. year)."""
    if not value:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{be_year(value.year)}"


# Years at or above this are read as B.E.; below it as C.E. (B.E. 2400 = C.E. 1857, and no
# record in this portal is that old, while no C.E. date reaches 2400 in our lifetimes).
_BE_THRESHOLD = 2400
# The years a typed date may have: B.E. 2400–2700, the same span as C.E. 1857–2157. Anything
# else (543, 9999) is a typing slip, not a date anyone in the office means.
BE_MIN_YEAR, BE_MAX_YEAR = 2400, 2700
CE_MIN_YEAR, CE_MAX_YEAR = BE_MIN_YEAR - BE_OFFSET, BE_MAX_YEAR - BE_OFFSET
BUDDHIST_ERA, COMMON_ERA = "be", "ce"

_MONTH_NAMES: dict[str, int] = {}
for _index, _names in enumerate(
    zip(MONTHS_TH, MONTHS_TH_ABBR, MONTHS_EN, MONTHS_EN_ABBR, strict=True), 1
):
    for _name in _names:
        _MONTH_NAMES[_name.lower()] = _index
        _MONTH_NAMES[_name.lower().replace(".", "")] = _index

_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$", re.ASCII)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
_WORDS = re.compile(r"^(\d{1,2})\s+(\D+?)\s+(?:พ\.\s?ศ\.\s*)?(\d{2}|\d{4})$", re.ASCII)


class YearOutOfRangeError(ValueError):
    """A date whose year is outside B.E. 2400–2700 (C.E. 1857–2157)."""


class DateReading(NamedTuple):
    """A date as read, with the era its year was understood in and whether it was ISO."""

    value: dt.date
    era: str
    iso: bool = False


def _full_year(year_text: str) -> tuple[int, str]:
    """(C.E. year, era it was typed in); refused outside the portal's years."""
    year = int(year_text)
    if len(year_text) == 2:
        # Two digits are a B.E. year in this century, as in "12 มี.ค. 51".
        year += 2500
    if year >= _BE_THRESHOLD:
        if not BE_MIN_YEAR <= year <= BE_MAX_YEAR:
            raise YearOutOfRangeError(year)
        return ce_year(year), BUDDHIST_ERA
    if not CE_MIN_YEAR <= year <= CE_MAX_YEAR:
        raise YearOutOfRangeError(year)
    return year, COMMON_ERA


def read_date(text: str) -> DateReading | None:
    """Read a date a person typed, saying which era its year was understood in; None when it is
    not a date. Raises :class:`YearOutOfRangeError` for a date whose year is outside B.E.
    2400–2700 (C.E. 1857–2157).

    Accepts ``12/03/2551``, ``12-3-2551``, ``12 มีนาคม 2551``, ``12 มี.ค. 51``, ``12 March 2008``,
    ISO ``2008-03-12`` (what a browser date picker sends), and Thai digits in any of them. A
    four-digit year from 2400 up is B.E., below that C.E.; a two-digit year is B.E. 25xx.
    """
    text = " ".join((text or "").translate(THAI_DIGITS).split())
    if not text or len(text) > 40:
        return None
    try:
        if match := _ISO.match(text):
            year_text, month, day = match[1], int(match[2]), int(match[3])
            year, era = _full_year(year_text)
            return DateReading(dt.date(year, month, day), era, iso=True)
        if match := _NUMERIC.match(text):
            day_text, month_text, year_text = match.groups()
            year, era = _full_year(year_text)
            return DateReading(dt.date(year, int(month_text), int(day_text)), era)
        if match := _WORDS.match(text):
            day_text, month_text, year_text = match.groups()
            month = _MONTH_NAMES.get(month_text.lower()) or _MONTH_NAMES.get(
                month_text.lower().replace(".", "").replace(" ", "")
            )
            if month is None:
                return None
            year, era = _full_year(year_text)
            return DateReading(dt.date(year, month, int(day_text)), era)
    except YearOutOfRangeError:
        raise
    except ValueError:  # 31/02/2551, month 13 ...
        return None
    return None


def parse_date(text: str) -> dt.date | None:
    """Read a date a person typed; None when it is not one (or its year is outside B.E.
    2400–2700). B.E. and C.E. years are both accepted, as described in :func:`read_date`: the
    importer's CSV columns take either. Form fields use :func:`read_date` and say which era
    they understood."""
    try:
        reading = read_date(text)
    except YearOutOfRangeError:
        return None
    return reading.value if reading else None


# --- Fiscal years ---------------------------------------------------------------------------------
def fiscal_year(value: dt.date | dt.datetime | None = None) -> int:
    """The Thai government fiscal year (B.E.) a date falls in.

    Fiscal year N runs from 1 October of B.E. year N-1 to 30 September of B.E. year N, so
    1 October 2567 (C.E. 2024) opens fiscal year 2568.
    """
    day = _as_local_date(value) if value is not None else timezone.localdate()
    year = day.year + 1 if day.month >= 10 else day.year
    return be_year(year)


def fiscal_year_range(year_be: int) -> tuple[dt.date, dt.date]:
    """First and last day (C.E. dates) of B.E. fiscal year ``year_be``."""
    year_ce = ce_year(year_be)
    return dt.date(year_ce - 1, 10, 1), dt.date(year_ce, 9, 30)


# --- Django's own date formatting -----------------------------------------------------------------
def install_buddhist_era() -> None:
    """Make Django's ``Y``/``y`` date-format characters print the B.E. year.

    Django has no B.E. calendar; without this, ``{{ value|date }}``, ``localize`` and the admin
    would print "12 มีนาคม 2008", which a Thai reader takes for a wrong date. All human-readable
    date output in Django goes through ``DateFormat``; machine formats (ISO, HTTP dates,
    ``strftime``) do not, so they stay C.E. Called once from ``CoreConfig.ready``.
    """
    from django.utils.dateformat import DateFormat

    if getattr(DateFormat, "_buddhist_era", False):
        return
    ce_upper_y, ce_lower_y = DateFormat.Y, DateFormat.y

    def Y(self):  # noqa: N802 - Django's format-character method names
        return f"{int(ce_upper_y(self)) + BE_OFFSET:04d}"

    def y(self):
        return f"{(int(ce_lower_y(self)) + BE_OFFSET) % 100:02d}"

    DateFormat.Y, DateFormat.y = Y, y
    DateFormat._buddhist_era = True
