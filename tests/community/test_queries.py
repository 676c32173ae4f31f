"""The communities' pages run a fixed number of queries however many rows they show: each page
is counted with some communities, members, sessions and assets, then with twice as many
(``django_assert_max_num_queries`` holds the second count to the first)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.community import services
from apps.community.models import Access, MemberRole
from tests.factories import UserFactory

from .factories import make_asset, make_community, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people):
    facilitator = UserFactory(username="q_facilitator")
    main = make_community(by=people["secretary"], name="วงหลัก", facilitators=[facilitator])
    services.members_add(
        by=facilitator, community=main, people=[people["staff"]], role=MemberRole.PRACTITIONER
    )
    return {"facilitator": facilitator, "main": main, "count": 0}


def grow(people, world, n: int) -> None:
    """``n`` more communities (half members-only), members, sessions and assets."""
    facilitator, main = world["facilitator"], world["main"]
    for _ in range(n):
        world["count"] += 1
        index = world["count"]
        access = Access.MEMBERS if index % 2 else Access.OPEN
        other = make_community(
            by=people["secretary"], name=f"วงที่ {index}", access=access,
            facilitators=[facilitator], practitioners=[people["staff"], UserFactory()],
        )  # fmt: skip
        make_asset(other, by=facilitator, title=f"ขุมความรู้ของวงที่ {index}")
        services.members_add(
            by=facilitator, community=main, people=[UserFactory()], role=MemberRole.PRACTITIONER
        )
        session = make_session(main, by=facilitator, days_ago=index, title=f"การพบปะที่ {index}")
        make_asset(main, by=people["staff"], session=session, who_to_ask=[facilitator],
                   title=f"ขุมความรู้จากการพบปะที่ {index}")  # fmt: skip


def pages(world, people) -> list[str]:
    main = world["main"]
    session = main.sessions.order_by("pk").first()
    asset = main.assets.order_by("pk").first()
    return [
        reverse("community:list"),
        main.get_absolute_url(),
        session.get_absolute_url(),
        asset.get_absolute_url(),
        world["facilitator"].get_absolute_url(),
        reverse("dashboard:personal"),
        reverse("plans:steps"),
    ]


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("role", ["staff", "secretary"])
def test_pages_run_a_fixed_number_of_queries(
    client, people, world, role, django_assert_max_num_queries
):
    client.force_login(people[role])
    grow(people, world, 3)
    urls = pages(world, people)
    counts = {url: count(client, url) for url in urls}
    grow(people, world, 6)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
