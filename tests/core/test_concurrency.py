"""The shared mechanism: how versions are counted and checked (apps.core.concurrency)."""

import pytest

from apps.core.concurrency import StaleEditError, check_version, lock_for_edit
from apps.teams.forms import TeamForm
from apps.teams.models import Team
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def test_the_database_counts_every_save_even_from_an_old_copy():
    """Two copies read at the same version both save: the version goes up twice, so a page
    that showed the first save is out of date after the second."""
    team = TeamFactory()
    one, two = Team.objects.get(pk=team.pk), Team.objects.get(pk=team.pk)
    one.topic = "หนึ่ง"
    one.save()
    two.save(update_fields=["name"])
    assert Team.objects.get(pk=team.pk).lock_version == 3


def test_zero_means_the_page_showed_no_record_yet():
    team = TeamFactory()
    check_version(None, expected_version=0)  # still none: fine
    with pytest.raises(StaleEditError):
        check_version(team, expected_version=0)  # someone created it meanwhile
    check_version(team, expected_version=None)  # the caller did not say: not checked


def test_lock_for_edit_refuses_an_older_version_and_a_removed_record():
    team = TeamFactory()
    Team.objects.get(pk=team.pk).save()
    with pytest.raises(StaleEditError) as refused:
        lock_for_edit(team, expected_version=1)
    assert refused.value.current.lock_version == 2
    Team.objects.filter(pk=team.pk).delete()
    with pytest.raises(StaleEditError) as gone:
        lock_for_edit(team, expected_version=2)
    assert gone.value.current is None


def _posted(form):
    return {name: form[name].value() for name in form.fields if form[name].value() is not None}


def test_a_save_that_left_this_forms_fields_alone_is_no_conflict():
    team = TeamFactory(topic="เดิม")
    shown = _posted(TeamForm(instance=Team.objects.get(pk=team.pk)))
    Team.objects.get(pk=team.pk).save(update_fields=["updated_at"])  # e.g. a workflow step
    form = TeamForm({**shown, "topic": "ใหม่"}, instance=Team.objects.get(pk=team.pk))
    assert form.is_valid(), form.errors
    assert form.expected_version == 2  # as good as an edit of the present version

    Team.objects.filter(pk=team.pk).update(name="ชื่อที่คนอื่นแก้")
    Team.objects.get(pk=team.pk).save(update_fields=["name"])
    form = TeamForm({**shown, "topic": "ใหม่"}, instance=Team.objects.get(pk=team.pk))
    assert form.is_valid(), form.errors
    assert form.expected_version == 1  # the name it shows is out of date: the service refuses
    assert "lock_version" not in form.cleaned_data  # the tokens are not the record's fields
