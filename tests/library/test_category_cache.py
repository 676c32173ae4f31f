"""The search index files a document under its category and every category above it. The
parents are cached per process for bulk indexing; a category added or moved is seen at once."""

import pytest

from apps.library import selectors
from tests.library.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_a_new_sub_category_is_filed_under_its_parent_at_once():
    laws = CategoryFactory(name="กฎหมาย")
    selectors.ancestor_ids(laws.pk)  # the cache is warm
    acts = CategoryFactory(name="พระราชบัญญัติ", parent=laws)
    assert selectors.ancestor_ids(acts.pk) == [acts.pk, laws.pk]


def test_a_moved_category_is_filed_under_its_new_parent_at_once():
    laws, forms = CategoryFactory(name="กฎหมาย"), CategoryFactory(name="แบบฟอร์ม")
    acts = CategoryFactory(name="พระราชบัญญัติ", parent=laws)
    assert selectors.ancestor_ids(acts.pk) == [acts.pk, laws.pk]
    acts.parent = forms
    acts.save()
    assert selectors.ancestor_ids(acts.pk) == [acts.pk, forms.pk]


def test_the_search_page_names_a_category_by_its_name_of_now():
    from apps.library.search import category_labels

    laws = CategoryFactory(name="กฎหมาย")
    assert category_labels([str(laws.pk), "999999", "x"]) == {str(laws.pk): "กฎหมาย"}
    laws.name = "กฎหมายและระเบียบ"
    laws.save()
    assert category_labels([str(laws.pk)]) == {str(laws.pk): "กฎหมายและระเบียบ"}
    laws.delete()
    assert category_labels([str(laws.pk)]) == {}
