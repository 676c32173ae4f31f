"""The library's models where they stand in for Django's own methods."""

import pytest
from django.db.models import Model
from django.utils import translation

from apps.library.choices import DocumentType
from apps.library.models import Document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("value", [*DocumentType.values, "no-such-type", ""])
def test_the_type_is_named_as_djangos_get_display_names_it(language, value):
    document = Document(title="ก", doc_type=value)
    with translation.override(language):
        field = Document._meta.get_field("doc_type")
        djangos = Model._get_FIELD_display(document, field)
        assert document.get_doc_type_display() == djangos
        assert type(document.get_doc_type_display()) is str
