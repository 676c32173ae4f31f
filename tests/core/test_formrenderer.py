"""The form renderer writes drop-down lists exactly as Django's templates do (issue 20)."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from apps.core.formrenderer import PortalFormRenderer

CHOICES = [
    ("", "---------"),
    ("a", "Plain"),
    ("b&c", 'Quotes " and <tags> & ampersands'),
    (3, 2569),
    ("ไทย", "ภาษาไทย"),
    ("Group <one>", [("g1", "One"), ("g2", mark_safe("<b>safe</b>"))]),
    (dt.date(2026, 1, 2), "A date value"),
]


class Sample(forms.Form):
    single = forms.ChoiceField(choices=CHOICES, required=False)
    several = forms.MultipleChoiceField(choices=CHOICES, required=False)
    flagged = forms.ChoiceField(
        choices=CHOICES,
        widget=forms.Select(attrs={"class": "form-select", "data-x": 'q"uote', "disabled": True}),
    )
    hidden_off = forms.ChoiceField(choices=[], widget=forms.Select(attrs={"required": False}))
    number = forms.TypedChoiceField(choices=[(1, 1), (1000, 1000)], coerce=int)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"single": "b&c", "several": ["a", "g2", "3"], "flagged": "ไทย", "number": "1000"},
        {"single": "nonsense", "several": ["2026-01-02"]},
    ],
)
@pytest.mark.parametrize("field", ["single", "several", "flagged", "hidden_off", "number"])
def test_select_markup_is_djangos(data, field):
    fast = Sample(data, renderer=PortalFormRenderer())[field].as_widget()
    slow = Sample(data, renderer=DjangoTemplates())[field].as_widget()
    assert "<select" in fast
    assert fast == slow


def test_other_widgets_still_use_their_templates():
    class Other(forms.Form):
        text = forms.CharField()
        ticks = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)

    for name in ("text", "ticks"):
        fast = Other(renderer=PortalFormRenderer())[name].as_widget()
        assert fast == Other(renderer=DjangoTemplates())[name].as_widget()


def test_the_portal_uses_it():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), PortalFormRenderer)
