"""A staff member's entry saved twice at the same moment: the second is refused, not a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.experts import services
from apps.experts.models import Expert, ExpertKind
from tests.experts.factories import ExpertFactory

pytestmark = pytest.mark.django_db


def test_a_second_live_entry_for_the_same_person_is_refused(people, monkeypatch):
    ExpertFactory(kind=ExpertKind.INTERNAL, person=people["member"])
    # Both requests' checks found no entry: the database's constraint has the last word.
    monkeypatch.setattr(Expert, "validate_constraints", lambda self, exclude=None: None)
    fields = {"kind": ExpertKind.INTERNAL, "person": people["member"], "first_name": "สมชาย"}
    with pytest.raises(ValidationError) as refused:
        services.expert_suggest(by=people["staff"], fields=fields)
    assert refused.value.message_dict == {"person": ["บุคลากรนี้มีรายชื่ออยู่ในทำเนียบแล้ว"]}
    assert Expert.objects.filter(person=people["member"]).count() == 1
