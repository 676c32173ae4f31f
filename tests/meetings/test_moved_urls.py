"""Meetings' old addresses under /plans/ (bookmarks, e-mailed links, pages left open) redirect
permanently to the same page under /meetings/, with the query string; a form posted to an old
address is sent on with its method (308)."""

import pytest
from django.urls import reverse

from apps.meetings import moved_urls, urls

pytestmark = pytest.mark.django_db

# (old path, new URL name, its arguments)
MOVED = [
    ("/plans/meetings/", "meetings:list", {}),
    ("/plans/meetings/new/", "meetings:create", {}),
    ("/plans/meetings/7/", "meetings:detail", {"pk": 7}),
    ("/plans/meetings/7/edit/", "meetings:update", {"pk": 7}),
    ("/plans/meetings/7/cancel/", "meetings:cancel", {"pk": 7}),
    ("/plans/meetings/7/agenda/", "meetings:agenda", {"pk": 7}),
    ("/plans/meetings/7/attendance/", "meetings:attendance", {"pk": 7}),
    ("/plans/meetings/7/minutes/", "meetings:minutes", {"pk": 7}),
    ("/plans/meetings/7/minutes/adopt/", "meetings:minutes_adopt", {"pk": 7}),
    ("/plans/meetings/7/minutes/print/", "meetings:minutes_print", {"pk": 7}),
    ("/plans/meetings/7/minutes.pdf", "meetings:minutes_pdf", {"pk": 7}),
    ("/plans/meetings/7/actions/new/", "meetings:action_create", {"meeting_pk": 7}),
    ("/plans/actions/9/edit/", "meetings:action_update", {"pk": 9}),
    ("/plans/actions/9/done/", "meetings:action_done", {"pk": 9}),
    ("/plans/actions/9/reopen/", "meetings:action_reopen", {"pk": 9}),
]


# Pages added after the move (issues 14 and 16) never had an address under /plans/.
NEWER = {
    "meetings:answer",
    "meetings:calendar",
    *(
        f"meetings:{name}"
        for name in (
            "record",
            "record_agenda_add",
            "record_answers",
            "record_header",
            "item_move",
            "item_remove",
            "item_minutes",
            "item_action",
            "attendance_mark",
            "attendance_chair",
        )
    ),
}


def test_every_page_of_meetings_has_its_old_address():
    assert {name for _old, name, _kwargs in MOVED} == {
        f"meetings:{pattern.name}" for pattern in urls.urlpatterns
    } - NEWER
    assert len(moved_urls.urlpatterns) == len(MOVED)


@pytest.mark.parametrize(("old", "name", "kwargs"), MOVED)
def test_an_old_address_redirects_permanently_with_its_query(client_as, old, name, kwargs):
    new = reverse(name, kwargs=kwargs)
    assert new.startswith("/meetings/")
    client = client_as("staff")
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)
    response = client.get(old, {"page": "2", "q": "ประชุม"})
    assert response.status_code == 301
    assert (
        response["Location"]
        == f"{new}?page=2&q=%E0%B8%9B%E0%B8%A3%E0%B8%B0%E0%B8%8A%E0%B8%B8%E0%B8%A1"
    )
    response = client.post(old, {"note": "x"})
    assert (response.status_code, response["Location"]) == (308, new)


def test_a_form_posted_to_an_old_address_goes_through(client_as, people, km_team):
    """A page opened before the move still marks an action item done: the browser repeats the
    POST at the new address."""
    from tests.meetings.factories import ActionItemFactory

    action = ActionItemFactory(owner=people["member"])
    client = client_as("member")
    response = client.post(f"/plans/actions/{action.pk}/done/", {"note": "เสร็จแล้ว"})
    assert response.status_code == 308
    response = client.post(response["Location"], {"note": "เสร็จแล้ว"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.is_done and action.done_note == "เสร็จแล้ว"


def test_anonymous_visitors_are_sent_to_sign_in_at_the_new_address(client):
    response = client.get("/plans/meetings/7/", follow=True)
    assert response.redirect_chain[0] == ("/meetings/7/", 301)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
