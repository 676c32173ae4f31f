"""Two requests at the same moment: the second is refused with a message, never a 500.

Each test forces the race: the check that runs before the save is made to pass (as it does for
both requests when neither has saved yet), so the database's unique constraint, or the
service's locked re-check, is what refuses the second.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.plans.models import Plan
from tests.plans.factories import PlanFactory

pytestmark = pytest.mark.django_db


def be(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year + 543}"


def test_a_plan_for_a_year_started_at_the_same_moment_is_refused(client_as, monkeypatch):
    PlanFactory(fiscal_year=2570)
    monkeypatch.setattr(Plan, "validate_unique", lambda self, exclude=None: None)
    client = client_as("head")
    client.raise_request_exception = False
    response = client.post(reverse("plans:create"), {"fiscal_year": 2570, "title": "ซ้ำ"})
    assert response.status_code == 200
    assert response.context["form"].errors["fiscal_year"]
    assert Plan.objects.count() == 1
