"""What every figure module shares: how many rows a top list shows, and the working statuses."""

from __future__ import annotations

from apps.knowledge.models import Status

TOP = 10
LONG_TOP = 20
WORKING = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.IN_REVIEW,
    Status.AWAITING_SIGNOFF,
    Status.APPROVED,
]


def rounded_average(value) -> float:
    return round(float(value), 1) if value is not None else 0.0
