"""Template filters for Thai dates; loaded as a builtin, so templates need no ``{% load %}``.

``{{ d|thai_date }}`` → 12 มีนาคม 2551, ``{{ d|thai_date_short }}`` → 12 มี.ค. 51,
``{{ dt|thai_datetime }}`` → 12 มี.ค. 51 14:30 น., ``{{ d|fiscal_year }}`` → 2551.
"""

from django import template

from apps.core import thaidates

register = template.Library()


@register.filter
def thai_date(value):
    return thaidates.format_date_long(value)


@register.filter
def thai_date_short(value):
    return thaidates.format_date_short(value)


@register.filter
def thai_datetime(value, form="short"):
    return thaidates.format_datetime(value, short=form != "long")


@register.filter
def be_year(value):
    """The B.E. year of a date, or of a C.E. year number."""
    if value in (None, ""):
        return ""
    year = value if isinstance(value, int) else value.year
    return thaidates.be_year(year)


@register.filter
def fiscal_year(value):
    return thaidates.fiscal_year(value) if value else ""


@register.filter
def total_minutes(value):
    """Whole minutes in a timedelta, rounded up (a 90-second wait reads as 2 minutes)."""
    if value is None:
        return 0
    seconds = int(value.total_seconds())
    return max(1, -(-seconds // 60))
