import datetime as dt

import pytest
from django import forms
from django.db import models

from apps.core.forms import BEDateField, BEDateInput, BEModelForm


class DateForm(forms.Form):
    day = BEDateField()


def test_be_date_field_reads_buddhist_year():
    form = DateForm({"day": "12/03/2551"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2008, 3, 12)


def test_be_date_field_gives_a_clear_thai_error():
    form = DateForm({"day": "31/02/2551"})
    assert not form.is_valid()
    assert form.errors["day"] == ["กรอกวันที่ในรูปแบบ วัน/เดือน/ปี พ.ศ. เช่น 12/03/2551"]


def test_be_date_input_shows_buddhist_year():
    html = BEDateInput().render("day", dt.date(2008, 3, 12))
    assert 'value="12/03/2551"' in html
    assert 'placeholder="วว/ดด/ปปปป (พ.ศ.)"' in html


class Meeting(models.Model):  # noqa: DJ008 - a test-only model
    held_on = models.DateField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "core"
        managed = False


class MeetingForm(BEModelForm):
    class Meta:
        model = Meeting
        fields = ["held_on"]


@pytest.mark.parametrize("typed", ["12/03/2551", "12 มีนาคม 2551"])
def test_model_forms_read_dates_in_buddhist_era(typed):
    form = MeetingForm({"held_on": typed})
    assert isinstance(form.fields["held_on"], BEDateField)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["held_on"] == dt.date(2008, 3, 12)


def test_model_form_shows_the_saved_date_in_buddhist_era():
    form = MeetingForm(instance=Meeting(held_on=dt.date(2008, 3, 12)))
    assert 'value="12/03/2551"' in str(form["held_on"])
