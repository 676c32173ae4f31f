"""Related items worked out ahead by the worker (``apps/search/related.py``, issue 20): the page
reads the kept list instead of asking the engine; a list out of date is not used; what is shown
is checked against the database for each reader."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.library.models import AccessLevel, Document
from apps.search import related, searching
from apps.search.models import RelatedList
from tests.factories import TeamFactory
from tests.library.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def shown(user, obj) -> list[tuple]:
    return [(r.kind, r.obj.pk, r.title) for r in searching.related(user=user, obj=obj)]


def pks(items: list[tuple]) -> list[int]:
    return [pk for kind, pk, _title in items if kind == "document"]


def test_the_page_reads_the_kept_list_and_shows_what_the_engine_would(people, savings, asked):
    first, second, _secret = savings
    admin = people["admin"]
    asked_directly = shown(admin, first)  # no list yet: the engine is asked on the page
    assert asked == [f"document:{first.pk}"]
    wanted = related.due()  # every entry of every kind: people, teams, documents...
    assert {f"document:{d.pk}" for d in savings} <= set(wanted)
    assert related.sweep(seconds=None) == len(wanted)
    asked.clear()
    searching.forget_related()
    assert shown(admin, first) == asked_directly
    assert second.pk in pks(shown(people["staff"], first))
    assert asked == []  # neither page asked the engine


def test_a_restricted_item_in_a_list_reaches_only_those_who_may_open_it(people, savings, asked):
    first, _second, secret = savings
    related.sweep(seconds=None)
    asked.clear()
    assert secret.pk in pks(shown(people["member"], first))
    assert secret.pk in pks(shown(people["cko"], first))
    assert secret.pk not in pks(shown(people["staff"], first))
    # closed to the team behind the index's back: the database decides, at once
    other = TeamFactory(name="ทีมอื่น")
    Document.objects.filter(pk=secret.pk).update(access=AccessLevel.TEAM, access_team=other)
    assert secret.pk not in pks(shown(people["member"], first))
    assert asked == []


def test_a_changed_entry_is_worked_out_on_the_page_until_the_worker_makes_its_list_again(
    people, savings, asked, search_index
):
    first, second, _secret = savings
    related.sweep(seconds=None)
    assert related.due() == []
    first.title = "ระเบียบการรับสมาชิกสหกรณ์ออมทรัพย์ ฉบับแก้ไข"
    first.save()
    search_index()
    uid = f"document:{first.pk}"
    assert related.listed(uid) is None
    assert related.due() == [uid]  # only the changed one
    asked.clear()
    assert second.pk in pks(shown(people["staff"], first))
    assert asked == [uid]  # worked out on the page
    assert related.sweep(seconds=None) == 1
    asked.clear()
    searching.forget_related()
    shown(people["staff"], first)
    assert asked == []


def test_a_list_made_from_the_index_before_its_entrys_change_is_not_used(savings):
    """The worker read the index, then the entry changed, then the worker saved the list: the
    list is older than the change and is made again."""
    first, _second, _secret = savings
    uid = f"document:{first.pk}"
    related.sweep(seconds=None)
    now = timezone.now()
    RelatedList.objects.filter(uid=uid).update(
        made_at=now - dt.timedelta(seconds=5), changed_at=now
    )
    assert related.listed(uid) is None
    assert related.due() == [uid]


def test_a_renamed_item_shows_its_new_title_and_a_deleted_one_leaves(people, savings, search_index):
    first, second, secret = savings
    related.sweep(seconds=None)
    second.title = "แนวทางการรับสมาชิกสหกรณ์ออมทรัพย์ ปรับปรุงใหม่"
    second.save()
    search_index()
    titles = {pk: title for kind, pk, title in shown(people["admin"], first) if kind == "document"}
    assert titles[second.pk] == second.title
    secret_uid = f"document:{secret.pk}"
    secret.delete()
    search_index()
    assert not RelatedList.objects.filter(uid=secret_uid).exists()  # its own list went
    assert secret.pk not in pks(shown(people["admin"], first))  # and it leaves the others'


def test_old_lists_are_made_again_and_very_old_ones_are_not_used(savings):
    first, second, _secret = savings
    related.sweep(seconds=None)
    first_uid, second_uid = f"document:{first.pk}", f"document:{second.pk}"
    now = timezone.now()
    RelatedList.objects.filter(uid=first_uid).update(made_at=now - dt.timedelta(days=2))
    RelatedList.objects.filter(uid=second_uid).update(made_at=now - dt.timedelta(days=8))
    assert related.due() == [second_uid, first_uid]  # the oldest first
    assert related.listed(first_uid) is not None  # two days: still used
    assert related.listed(second_uid) is None  # the worker has stopped for a week: not used


def test_missing_lists_come_first_newest_record_first_and_the_sweep_stops_in_time(savings):
    first, second, secret = savings
    documents = [uid for uid in related.due() if uid.startswith("document:")]
    assert documents == [f"document:{d.pk}" for d in (secret, second, first)]
    assert related.sweep(seconds=0) == 0
    assert not RelatedList.objects.exists()


def test_the_command_makes_them_all_and_says_how_many(savings):
    out = StringIO()
    wanted = len(related.due())
    call_command("make_related", stdout=out)
    assert f"Made {wanted} related items lists" in out.getvalue()
    assert related.due() == []


def test_the_worker_job_makes_the_lists(savings):
    from apps.search.tasks import make_related

    wanted = set(related.due())
    make_related.call_local()
    assert set(RelatedList.objects.values_list("uid", flat=True)) == wanted


def test_the_page_reads_further_down_the_list_past_what_the_reader_may_not_open(
    people, savings, search_index
):
    first, second, secret = savings
    other_secret = DocumentFactory(title="บันทึกลับอีกฉบับ", access=AccessLevel.KM_TEAM)
    search_index()
    related.sweep(seconds=None)
    items = [[f"document:{d.pk}", 1.0] for d in (secret, other_secret, second)]
    RelatedList.objects.filter(uid=f"document:{first.pk}").update(items=items)
    staff = [
        (r.obj.pk, r.title) for r in searching.related(user=people["staff"], obj=first, limit=1)
    ]
    assert staff == [(second.pk, second.title)]
    member = searching.related(user=people["member"], obj=first, limit=1)
    assert [r.obj.pk for r in member] == [secret.pk]
