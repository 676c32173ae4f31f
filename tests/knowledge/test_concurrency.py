"""Two people (or two tabs) editing the same knowledge set: a save from an out-of-date page is
refused with what changed, keeps what the person typed, and never erases the other's save."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from apps.core.concurrency import StaleEditError
from apps.knowledge import services
from apps.knowledge.forms import KnowledgeSetForm
from apps.knowledge.models import KnowledgeSet, Status
from tests.forms_html import CONFLICT_TH, STALE_TH, read_form, signed_in
from tests.knowledge.conftest import set_for

pytestmark = pytest.mark.django_db


def test_a_save_from_an_out_of_date_page_is_refused_and_keeps_what_was_typed(people):
    """GIVEN two tabs opened on the same draft WHEN the first saves a new title and the second
    then saves a new summary THEN the second is refused, says what changed, shows its own
    summary again and the new title, and the first tab's title is still saved."""
    knowledge_set = set_for(people, Status.DRAFT, title="ชื่อเดิม", summary="สรุปเดิม")
    url = reverse("knowledge:update", args=[knowledge_set.pk])
    first, second = signed_in(people["member"]), signed_in(people["member"])
    data_first = read_form(first.get(url), form_id="set-form")
    data_second = read_form(second.get(url), form_id="set-form")

    data_first["title"] = "ชื่อใหม่จากแท็บแรก"
    assert first.post(url, data_first).status_code == 302

    data_second["summary"] = "สรุปใหม่จากแท็บที่สอง"
    response = second.post(url, data_second)
    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT_TH in page
    assert "ชื่อใหม่จากแท็บแรก" in page  # what the other person changed, with its new value
    assert "สรุปใหม่จากแท็บที่สอง" in page  # the second person's text is still in the form
    knowledge_set.refresh_from_db()
    assert knowledge_set.title == "ชื่อใหม่จากแท็บแรก"
    assert knowledge_set.summary == "สรุปเดิม"

    # Saving again on purpose keeps both: the summary the second person wrote, and the title the
    # first person saved (a field the second person had not touched takes the new value).
    again = read_form(response, form_id="set-form")
    assert again["summary"] == "สรุปใหม่จากแท็บที่สอง"
    assert again["title"] == "ชื่อใหม่จากแท็บแรก"
    assert second.post(url, again).status_code == 302
    knowledge_set.refresh_from_db()
    assert (knowledge_set.title, knowledge_set.summary) == (
        "ชื่อใหม่จากแท็บแรก",
        "สรุปใหม่จากแท็บที่สอง",
    )


def test_people_chosen_in_the_other_tab_are_kept_when_saving_again(people):
    """A many-to-many field (the holders of the knowledge) the second tab did not touch takes
    the first tab's choice, so saving again does not undo it."""
    knowledge_set = set_for(people, Status.DRAFT)
    url = reverse("knowledge:update", args=[knowledge_set.pk])
    first, second = signed_in(people["member"]), signed_in(people["member"])
    data_first = read_form(first.get(url), form_id="set-form")
    data_second = read_form(second.get(url), form_id="set-form")
    data_first["holders"] = [str(people["head"].pk), str(people["cko"].pk)]
    assert first.post(url, data_first).status_code == 302
    data_second["summary"] = "สรุปจากแท็บที่สอง"
    response = second.post(url, data_second)
    assert response.status_code == 200
    again = read_form(response, form_id="set-form")
    assert sorted(again["holders"]) == sorted([str(people["head"].pk), str(people["cko"].pk)])
    assert second.post(url, again).status_code == 302
    knowledge_set.refresh_from_db()
    assert set(knowledge_set.holders.all()) == {people["head"], people["cko"]}
    assert knowledge_set.summary == "สรุปจากแท็บที่สอง"


def test_when_both_change_the_same_field_the_second_keeps_its_text_until_it_saves_again(people):
    knowledge_set = set_for(people, Status.DRAFT)
    url = reverse("knowledge:update", args=[knowledge_set.pk])
    first, second = signed_in(people["member"]), signed_in(people["member"])
    data_first = read_form(first.get(url), form_id="set-form")
    data_second = read_form(second.get(url), form_id="set-form")
    data_first["body"] = "## ฉบับของคนแรก\n"
    data_second["body"] = "## ฉบับของคนที่สอง\n"
    assert first.post(url, data_first).status_code == 302

    response = second.post(url, data_second)
    assert response.status_code == 200
    assert read_form(response, form_id="set-form")["body"].strip() == "## ฉบับของคนที่สอง"
    assert "ฉบับของคนแรก" in response.content.decode()  # the other's text, shown to compare
    knowledge_set.refresh_from_db()
    assert "ฉบับของคนแรก" in knowledge_set.body


def test_a_save_that_changed_nothing_this_form_edits_is_no_conflict(people):
    """A workflow step or an attachment moves the version without touching the text: an edit
    opened before it still saves."""
    knowledge_set = set_for(people, Status.DRAFT)
    url = reverse("knowledge:update", args=[knowledge_set.pk])
    tab = signed_in(people["member"])
    data = read_form(tab.get(url), form_id="set-form")
    KnowledgeSet.objects.get(pk=knowledge_set.pk).save(update_fields=["updated_at"])
    data["summary"] = "สรุปที่แก้"
    assert tab.post(url, data).status_code == 302
    knowledge_set.refresh_from_db()
    assert knowledge_set.summary == "สรุปที่แก้"


def _form(knowledge_set, person, **changes):
    form = KnowledgeSetForm(instance=knowledge_set, user=person)
    data = {**{name: form[name].value() for name in form.fields}, **changes}
    data = {key: value for key, value in data.items() if value is not None}
    bound = KnowledgeSetForm(
        data, instance=KnowledgeSet.objects.get(pk=knowledge_set.pk), user=person
    )
    assert bound.is_valid(), bound.errors
    return bound.set_data()


def test_the_service_refuses_an_edit_based_on_an_older_version(people):
    knowledge_set = set_for(people, Status.DRAFT)
    member = people["member"]
    version = KnowledgeSet.objects.get(pk=knowledge_set.pk).lock_version
    first = _form(knowledge_set, member, title="ก")
    second = _form(knowledge_set, member, title="ข")
    services.set_update(
        by=member, knowledge_set=knowledge_set, data=first, expected_version=version
    )
    with pytest.raises(StaleEditError):
        services.set_update(
            by=member, knowledge_set=knowledge_set, data=second, expected_version=version
        )
    assert KnowledgeSet.objects.get(pk=knowledge_set.pk).title == "ก"


def test_a_workflow_step_from_an_out_of_date_page_does_nothing(people, process_group):
    """The reviewer's page showed the text before an edit: approving from it is refused."""
    knowledge_set = set_for(people, Status.IN_REVIEW)
    detail = reverse("knowledge:detail", args=[knowledge_set.pk])
    approve = reverse("knowledge:transition", args=[knowledge_set.pk, "approve"])
    cko = signed_in(people["cko"])
    data = read_form(cko.get(detail), action=approve)
    edit = reverse("knowledge:update", args=[knowledge_set.pk])
    reviewer = signed_in(people["secretary"])
    changed = read_form(reviewer.get(edit), form_id="set-form")
    changed["body"] = "## เนื้อหาที่ผู้ทบทวนเพิ่งแก้\n"
    assert reviewer.post(edit, changed).status_code == 302

    response = cko.post(approve, data, follow=True)
    assert STALE_TH in response.content.decode()
    knowledge_set.refresh_from_db()
    assert knowledge_set.status == Status.IN_REVIEW


@pytest.mark.django_db(transaction=True)
def test_racing_saves_lose_no_acknowledged_edit(people):
    """Threads (each its own database connection) save from the same version at once: exactly
    one wins and the saved text is the winner's. Runs where connections can share the test
    database (PostgreSQL); the SQLite race runs in processes (tests/core/test_races.py)."""
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database is not shared between connections")
    knowledge_set = set_for(people, Status.DRAFT)
    member = people["member"]
    version = KnowledgeSet.objects.get(pk=knowledge_set.pk).lock_version
    writers = 8
    forms = [_form(knowledge_set, member, summary=f"สรุปของคนที่ {n}") for n in range(writers)]
    barrier = threading.Barrier(writers)
    won, refused, failed = [], [], []

    def save(n):
        try:
            barrier.wait()
            services.set_update(
                by=member,
                knowledge_set=KnowledgeSet.objects.get(pk=knowledge_set.pk),
                data=forms[n],
                expected_version=version,
            )
            won.append(n)
        except StaleEditError:
            refused.append(n)
        except Exception as error:
            failed.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failed
    assert len(won) == 1 and len(refused) == writers - 1
    assert KnowledgeSet.objects.get(pk=knowledge_set.pk).summary == f"สรุปของคนที่ {won[0]}"


def test_a_set_submitted_while_a_coauthor_edits_it_keeps_the_coauthors_text(people):
    """The other author sends the draft for review while this one is still typing: the save is
    refused with the reason, and the text comes back in the form instead of being dropped."""
    knowledge_set = set_for(people, Status.DRAFT)
    url = reverse("knowledge:update", args=[knowledge_set.pk])
    tab = signed_in(people["member"])
    data = read_form(tab.get(url), form_id="set-form")
    KnowledgeSet.objects.filter(pk=knowledge_set.pk).update(status=Status.SUBMITTED)
    data["body"] = "## ย่อหน้าที่พิมพ์ไว้ยาว ๆ\n"
    response = tab.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ย่อหน้าที่พิมพ์ไว้ยาว ๆ" in page and "ยังไม่ได้บันทึก" in page
    assert "ย่อหน้าที่พิมพ์ไว้ยาว ๆ" not in KnowledgeSet.objects.get(pk=knowledge_set.pk).body
