"""Template filters for plans and minutes: times as Thai documents write them, the day of a
meeting with its weekday, and badge colours for statuses."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import get_language

from apps.core.thaidates import format_date_long

from .. import extensions

register = template.Library()

WEEKDAYS_TH = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _thai() -> bool:
    return (get_language() or "th").startswith("th")


@register.filter
def thai_time(value: dt.time | None) -> str:
    """``09.30 น.`` in Thai (as official documents write it), ``09:30`` in English."""
    if not value:
        return ""
    return f"{value:%H.%M} น." if _thai() else f"{value:%H:%M}"


@register.filter
def meeting_day(value: dt.date | None) -> str:
    """``วันพฤหัสบดีที่ 12 มีนาคม 2569`` in Thai; ``Thursday 12 March 2569`` in English."""
    if not value:
        return ""
    if _thai():
        return f"วัน{WEEKDAYS_TH[value.weekday()]}ที่ {format_date_long(value)}"
    return f"{WEEKDAYS_EN[value.weekday()]} {format_date_long(value)}"


STATUS_BADGES = {
    "draft": "text-bg-secondary",
    "submitted": "text-bg-warning",
    "approved": "text-bg-success",
    "not_started": "text-bg-light border",
    "in_progress": "text-bg-info",
    "done": "text-bg-success",
    "cancelled": "text-bg-secondary",
    "scheduled": "text-bg-primary",
    "held": "text-bg-success",
    "open": "text-bg-warning",
    "adopted": "text-bg-success",
    "invited": "text-bg-light border",
    "present": "text-bg-success",
    "absent": "text-bg-secondary",
}


@register.filter
def status_badge(value: str) -> str:
    """The Bootstrap badge classes for a status value."""
    return STATUS_BADGES.get(str(value), "text-bg-light border")


@register.simple_tag
def plan_list_links() -> list[str]:
    """The templates other apps add to the buttons of the plans' list (``extensions``)."""
    return [e.plan_list_template for e in extensions.extensions() if e.plan_list_template]
