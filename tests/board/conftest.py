import pytest

from apps.accounts.models import User
from apps.board import spaces
from tests.search.conftest import search_index  # noqa: F401 - the fixture

SPACE_MEMBERS: dict[int, set[int]] = {}
SPACE_MODERATORS: dict[int, set[int]] = {}


def _readers(pk):
    return SPACE_MEMBERS.get(pk, set())


@pytest.fixture
def test_space():
    """A space kind registered for the test ("club"): space 1 is open to the users whose pks
    are put in ``members[1]``, moderated by ``moderators[1]``; it is removed afterwards."""
    SPACE_MEMBERS.clear()
    SPACE_MODERATORS.clear()
    kind = spaces.register(
        spaces.SpaceKind(
            code="club",
            label="ชมรม",
            may_read=lambda user, pk: user.pk in _readers(pk),
            may_post=lambda user, pk: user.pk in _readers(pk),
            may_moderate=lambda user, pk: user.pk in SPACE_MODERATORS.get(pk, set()),
            title=lambda pk: f"ชมรม {pk}",
            url=lambda pk: f"/clubs/{pk}/",
            readable_ids=lambda user: [pk for pk, ids in SPACE_MEMBERS.items() if user.pk in ids],
            moderated_ids=lambda user: [
                pk for pk, ids in SPACE_MODERATORS.items() if user.pk in ids
            ],
            moderators=lambda pk: User.objects.filter(
                pk__in=SPACE_MODERATORS.get(pk, set())
            ).order_by("pk"),
            index_access=lambda pk: {"access": "private", "owner": sorted(_readers(pk))},
        )
    )
    yield {"kind": kind, "members": SPACE_MEMBERS, "moderators": SPACE_MODERATORS}
    spaces.unregister("club")
    SPACE_MEMBERS.clear()
    SPACE_MODERATORS.clear()
