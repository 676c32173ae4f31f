"""The list pages of learning and development run as many queries with 2n records as with n."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory

from .factories import make_event, make_pair, make_rotation, register

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_records(people, n: int, start: int) -> None:
    for index in range(start, start + n):
        event = make_event(by=people["secretary"], title=f"อบรม {index}")
        register(event, UserFactory(username=f"q_att{index}"), attended=True)
        register(event, people["head"])
        make_pair(
            mentor=people["head"],
            mentee=UserFactory(username=f"q_mentee{index}"),
            skills=["ก", "ข"],
            topic=f"หัวข้อ {index}",
        )
        make_rotation(person=UserFactory(username=f"q_rot{index}"))


@pytest.mark.parametrize(
    "name", ["learning:home", "learning:event_list", "learning:pair_list", "learning:rotation_list"]
)
def test_list_pages_are_bounded(client_as, people, name):
    client = client_as("head")
    add_records(people, 3, 0)
    client.get(reverse(name))  # warm the caches (roles, content types)
    few = queries(client, reverse(name))
    add_records(people, 3, 3)
    assert queries(client, reverse(name)) == few


def test_an_event_page_is_bounded_in_its_registrations(client_as, people):
    event = make_event(by=people["secretary"], seats=100)
    for index in range(3):
        register(event, UserFactory(username=f"e_a{index}"), attended=True)
    client = client_as("secretary")
    url = event.get_absolute_url()
    client.get(url)
    few = queries(client, url)
    for index in range(3, 9):
        register(event, UserFactory(username=f"e_a{index}"), attended=True)
    assert queries(client, url) == few
