import pytest

from apps.teams.models import Role, TeamKind
from tests.factories import MembershipFactory, TeamFactory


@pytest.fixture
def process_group(db, people):
    """The KM-process working group (คณะทำงานกระบวนการจัดการความรู้), with the KM secretary in it:
    in these tests the secretary reviews the member's sets."""
    team = TeamFactory(name="คณะทำงานกระบวนการจัดการความรู้", kind=TeamKind.WORKING_GROUP)
    MembershipFactory(person=people["secretary"], team=team, role=Role.MEMBER)
    return team


def set_for(people, status, **kwargs):
    """A set written by the member and reviewed by the secretary."""
    from tests.knowledge.factories import make_set

    kwargs.setdefault("authors", [people["member"]])
    kwargs.setdefault("reviewers", [people["secretary"]])
    return make_set(status, **kwargs)
