"""Typed input cleaned one way everywhere: invisible characters, year ranges, the era of a year."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from apps.core import thaidates
from apps.core.forms import BEDateField, BEYearField, PortalForm
from apps.core.text import is_blank, strip_invisible

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


class TitleForm(PortalForm):
    title = forms.CharField(max_length=100)
    note = forms.CharField(required=False, widget=forms.Textarea)


@pytest.mark.parametrize(
    "typed", [ZERO_WIDTH, " \u200b ", "\ufeff\n\u2060", "\u200b" * 50, "\u00ad\u200d "]
)
def test_a_title_of_only_invisible_characters_is_refused_as_empty(typed):
    form = TitleForm({"title": typed, "note": typed})
    assert not form.is_valid()
    assert form.errors["title"] == ["ฟิลด์นี้จำเป็น"]
    assert "note" not in form.errors


def test_invisible_characters_at_the_ends_are_dropped_and_thai_word_breaks_kept():
    form = TitleForm({"title": "\u200bการ\u200bจัดการ\u200bความรู้\ufeff ", "note": "\u200b"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "การ\u200bจัดการ\u200bความรู้"
    assert form.cleaned_data["note"] == ""


def test_every_form_of_django_cleans_the_same_way_but_passwords_stay_as_typed():
    """The cleaning is Django's CharField's own, so filters, the admin and sign-in have it."""
    plain = forms.CharField()
    assert plain.clean("\u200bสมชาย\u200b") == "สมชาย"
    password = AuthenticationForm().fields["password"]
    assert password.clean("\u200bsecret\u200b") == "\u200bsecret\u200b"


def test_strip_invisible_and_is_blank():
    assert strip_invisible(f"{ZERO_WIDTH} ก ข {ZERO_WIDTH}") == "ก ข"
    assert is_blank(ZERO_WIDTH + " \t")
    assert not is_blank("\u200bก")


class DayForm(PortalForm):
    day = BEDateField()


@pytest.mark.parametrize("typed", ["12/03/9999", "1/1/2701", "12 มีนาคม 3000", "12/03/1500"])
def test_a_date_outside_the_portals_years_is_refused_in_thai(typed):
    form = DayForm({"day": typed})
    assert not form.is_valid()
    assert form.errors["day"] == ["กรอกปี พ.ศ. ระหว่าง 2400 ถึง 2700"]


def test_a_common_era_year_typed_by_hand_is_refused_with_its_buddhist_era_date():
    form = DayForm({"day": "15/03/2026"})
    assert not form.is_valid()
    message = form.errors["day"][0]
    assert "ค.ศ. 2026" in message
    assert "15/03/2569" in message
    assert "พ.ศ. 2569" in message


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("15/03/2569", dt.date(2026, 3, 15)),
        ("15 มี.ค. 69", dt.date(2026, 3, 15)),
        ("๑๕/๐๓/๒๕๖๙", dt.date(2026, 3, 15)),
        ("2026-03-15", dt.date(2026, 3, 15)),  # ISO, as a browser's date picker sends
        ("1/1/2400", dt.date(1857, 1, 1)),
        ("31/12/2700", dt.date(2157, 12, 31)),
    ],
)
def test_buddhist_era_and_iso_dates_are_read(typed, expected):
    form = DayForm({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == expected


@pytest.mark.parametrize("typed", ["12/03/9999", "01/01/0543", "12/03/1500", "2399-01-01"])
def test_parse_date_refuses_years_outside_the_range(typed):
    assert thaidates.parse_date(typed) is None


def test_read_date_says_which_era_it_understood():
    assert thaidates.read_date("15/03/2026").era == thaidates.COMMON_ERA
    assert thaidates.read_date("15/03/2569").era == thaidates.BUDDHIST_ERA
    assert thaidates.read_date("2026-03-15").iso
    with pytest.raises(thaidates.YearOutOfRangeError):
        thaidates.read_date("15/03/9999")


@pytest.mark.parametrize("typed", ["9" * 5000, "12/03/2551" + " " * 5000 + "x", "²/03/2551"])
def test_absurd_dates_are_simply_invalid(typed):
    form = DayForm({"day": typed})
    assert not form.is_valid()


class YearForm(PortalForm):
    year = BEYearField(required=False)


@pytest.mark.parametrize(
    "typed, expected", [("2568", 2568), ("๒๕๖๘", 2568), ("2025", 2568), ("", None)]
)
def test_a_year_field_reads_buddhist_and_common_era_years(typed, expected):
    form = YearForm({"year": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["year"] == expected


@pytest.mark.parametrize("typed", ["543", "9999", "99999999999999999999", "-5", "2200"])
def test_a_year_field_refuses_years_outside_the_range(typed):
    form = YearForm({"year": typed})
    assert not form.is_valid()
