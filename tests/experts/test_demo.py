import datetime as dt
import io

import pytest
from django.core.management import call_command

from apps.experts.models import Engagement, Expert, ExpertiseArea, ExpertKind, ExpertStatus

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return Expert.objects.count(), ExpertiseArea.objects.count(), Engagement.objects.count()


def test_the_demo_directory_loads_once():
    call_command("seed_demo", stdout=io.StringIO())
    before = counts()
    assert 5 <= before[0] <= 7 and before[1] >= 6 and before[2] >= 5

    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before

    suwit = Expert.objects.get(person__username="suwit")
    assert suwit.kind == ExpertKind.INTERNAL and suwit.is_approved
    assert Expert.objects.filter(kind=ExpertKind.EXTERNAL).count() >= 3
    assert Expert.objects.filter(status=ExpertStatus.SUGGESTED).count() == 1
    years = {engagement.held_on.year + 543 for engagement in Engagement.objects.all()}
    assert years <= {2566, 2567, 2568}
    assert all(expert.expertise.exists() for expert in Expert.objects.all())


def test_the_demo_suggestion_waits_for_the_secretary():
    call_command("seed_demo", stdout=io.StringIO())
    pending = Expert.objects.get(status=ExpertStatus.SUGGESTED)
    assert pending.suggested_by.username == "malee"
    assert pending.reviewed_at is None
    assert Engagement.objects.filter(held_on__gte=dt.date(2023, 1, 1)).exists()
