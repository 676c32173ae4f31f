"""Every form, filter and formset of the portal bounds what it takes (apps.core.forms)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import django_filters
import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.formsets import BaseFormSet

import apps
from apps.core.forms import (
    LINE_MAX_LENGTH,
    MAX_FILES,
    MAX_TAGS,
    TEXT_MAX_LENGTH,
    MultipleFileField,
    PortalFilterSet,
    PortalForm,
    PortalFormMixin,
    TagsField,
    ids_from,
)


def _portal_modules():
    for info in pkgutil.walk_packages(apps.__path__, "apps."):
        if ".migrations" in info.name or ".management" in info.name:
            continue
        if info.name.rsplit(".", 1)[-1] in {"forms", "filters", "lists"} or ".forms." in info.name:
            yield importlib.import_module(info.name)


def _defined_here(module, base):
    return [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, base) and obj.__module__ == module.__name__
    ]


MODULES = list(_portal_modules())


def test_the_sweep_finds_the_forms_of_every_app():
    names = {module.__name__ for module in MODULES}
    assert {"apps.library.forms", "apps.knowledge.forms", "apps.meetings.forms"} <= names
    assert {"apps.teams.forms", "apps.experts.forms", "apps.dashboard.lists"} <= names


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_form_is_a_bounded_portal_form(module):
    unbounded = [
        cls.__name__
        for cls in _defined_here(module, forms.BaseForm)
        if not issubclass(cls, PortalFormMixin)
    ]
    assert not unbounded


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_filter_bar_is_bounded(module):
    filtersets = [f for f in _defined_here(module, django_filters.FilterSet) if f._meta.model]
    assert all(issubclass(cls, PortalFilterSet) for cls in filtersets)
    for cls in filtersets:
        form = cls({}).form
        assert isinstance(form, PortalFormMixin)
        assert all(
            field.max_length for field in form.fields.values() if isinstance(field, forms.CharField)
        )


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_formset_has_a_hard_limit(module):
    formsets = [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj) and issubclass(obj, BaseFormSet) and obj.__module__ != "django"
        and hasattr(obj, "absolute_max") and obj.__name__.endswith("FormSet")
    ]  # fmt: skip
    for formset in formsets:
        assert formset.validate_max and formset.absolute_max == formset.max_num <= 1000


class Anything(PortalForm):
    line = forms.CharField()
    text = forms.CharField(widget=forms.Textarea)
    own = forms.CharField(max_length=50)
    choices = forms.MultipleChoiceField(choices=[(str(n), n) for n in range(500)], required=False)


def test_text_fields_without_a_limit_get_the_default_one():
    form = Anything()
    assert form.fields["line"].max_length == LINE_MAX_LENGTH
    assert form.fields["text"].max_length == TEXT_MAX_LENGTH
    assert form.fields["own"].max_length == 50
    assert f'maxlength="{TEXT_MAX_LENGTH}"' in str(form["text"])
    bound = Anything({"line": "ก" * (LINE_MAX_LENGTH + 1), "text": "ข", "own": "ค"})
    assert bound.errors["line"] == [
        f"ค่านี้ต้องมีไม่เกิน {LINE_MAX_LENGTH} ตัวอักษร (ปัจจุบันมี {LINE_MAX_LENGTH + 1} ตัวอักษร)"
    ]


def test_lists_of_choices_without_a_limit_get_the_default_one():
    form = Anything({"line": "ก", "text": "ข", "own": "ค", "choices": [str(n) for n in range(201)]})
    assert form.errors["choices"] == ["เลือกได้ไม่เกิน 200 รายการ (เลือกมา 201 รายการ)"]


def test_tags_are_split_cleaned_of_duplicates_and_counted():
    field = TagsField()
    assert field.clean(" สหกรณ์ ,บัญชี، \u200bสหกรณ์ , ,") == ["สหกรณ์", "บัญชี"]
    with pytest.raises(ValidationError) as refused:
        field.clean(",".join(str(n) for n in range(MAX_TAGS + 1)))
    assert refused.value.code == "max_tags"
    with pytest.raises(ValidationError) as refused:
        field.clean("ก" * 101)
    assert refused.value.code == "tag_too_long"


def test_files_are_counted_before_any_is_read():
    field = MultipleFileField()
    uploads = [SimpleUploadedFile(f"{n}.txt", b"x") for n in range(MAX_FILES + 1)]
    with pytest.raises(ValidationError) as refused:
        field.clean(uploads)
    assert refused.value.code == "max_files"
    assert len(field.clean(uploads[:MAX_FILES])) == MAX_FILES


def test_record_numbers_from_the_address_are_plain_bounded_and_unique():
    assert ids_from(["3", "3", " 4 ", "²", "๑", "9" * 5000, "-1", "x", "12"]) == [3, 4, 12]
    assert ids_from([str(n) for n in range(500)], limit=20) == list(range(20))


def test_the_request_limits_leave_room_for_the_forms_own_messages():
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES > MAX_FILES
    # The attendance page: 200 rows of 6 fields, 100 people to invite, the management form.
    assert 200 * 6 + 100 + 10 < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 5000
