import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import dateformat, formats, translation

from apps.core import thaidates


@pytest.mark.parametrize(
    ("day", "long", "short"),
    [
        (dt.date(2008, 3, 12), "12 มีนาคม 2551", "12 มี.ค. 51"),
        (dt.date(2008, 4, 22), "22 เมษายน 2551", "22 เม.ย. 51"),
        (dt.date(2024, 2, 29), "29 กุมภาพันธ์ 2567", "29 ก.พ. 67"),
        (dt.date(1957, 1, 1), "1 มกราคม 2500", "1 ม.ค. 00"),
        (dt.date(2056, 12, 31), "31 ธันวาคม 2599", "31 ธ.ค. 99"),
        (dt.date(2057, 1, 1), "1 มกราคม 2600", "1 ม.ค. 00"),
    ],
)
def test_long_and_short_thai_dates(day, long, short):
    assert thaidates.format_date_long(day) == long
    assert thaidates.format_date_short(day) == short


def test_english_interface_keeps_the_buddhist_year():
    with translation.override("en"):
        assert thaidates.format_date_long(dt.date(2008, 3, 12)) == "12 March 2551"
        assert thaidates.format_date_short(dt.date(2008, 3, 12)) == "12 Mar 51"


def test_aware_datetimes_are_shown_in_bangkok_time():
    # 20:30 UTC on 11 March is 03:30 on 12 March in Bangkok.
    moment = dt.datetime(2008, 3, 11, 20, 30, tzinfo=dt.UTC)
    assert thaidates.format_date_long(moment) == "12 มีนาคม 2551"
    assert thaidates.format_datetime(moment) == "12 มี.ค. 51 03:30 น."


def test_empty_values_format_to_nothing():
    assert thaidates.format_date_long(None) == ""
    assert thaidates.format_date_short("") == ""
    assert thaidates.format_datetime(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/03/2551", dt.date(2008, 3, 12)),
        ("12/3/2551", dt.date(2008, 3, 12)),
        ("12-03-2551", dt.date(2008, 3, 12)),
        ("๑๒/๐๓/๒๕๕๑", dt.date(2008, 3, 12)),
        ("12 มีนาคม 2551", dt.date(2008, 3, 12)),
        ("12 มี.ค. 51", dt.date(2008, 3, 12)),
        ("12 มี.ค. 2551", dt.date(2008, 3, 12)),
        ("12 มีนาคม พ.ศ. 2551", dt.date(2008, 3, 12)),
        ("12 March 2008", dt.date(2008, 3, 12)),
        ("12 Mar 2551", dt.date(2008, 3, 12)),
        ("2008-03-12", dt.date(2008, 3, 12)),
        ("2551-03-12", dt.date(2008, 3, 12)),
        ("12/03/2008", dt.date(2008, 3, 12)),
        ("29/02/2567", dt.date(2024, 2, 29)),
        ("  12 / 03 / 2551 ", dt.date(2008, 3, 12)),
    ],
)
def test_parse_accepts_what_people_type(text, expected):
    assert thaidates.parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello", "31/02/2551", "29/02/2566", "12/13/2551", "12 Smarch 2551", "12/03"],
)
def test_parse_rejects_non_dates(text):
    assert thaidates.parse_date(text) is None


def test_round_trip_through_the_input_format():
    day = dt.date(2024, 2, 29)
    assert thaidates.format_date_input(day) == "29/02/2567"
    assert thaidates.parse_date(thaidates.format_date_input(day)) == day


@pytest.mark.parametrize(
    ("day", "fiscal_year"),
    [
        (dt.date(2023, 9, 30), 2566),
        (dt.date(2023, 10, 1), 2567),
        (dt.date(2024, 2, 29), 2567),
        (dt.date(2024, 9, 30), 2567),
        (dt.date(2024, 10, 1), 2568),
        (dt.date(2007, 12, 31), 2551),
    ],
)
def test_fiscal_year_turns_on_1_october(day, fiscal_year):
    assert thaidates.fiscal_year(day) == fiscal_year


def test_fiscal_year_of_an_aware_datetime_uses_local_date():
    # 30 Sep 18:00 UTC is already 1 October in Bangkok: the next fiscal year.
    moment = dt.datetime(2024, 9, 30, 18, 0, tzinfo=dt.UTC)
    assert thaidates.fiscal_year(moment) == 2568


def test_fiscal_year_range():
    assert thaidates.fiscal_year_range(2568) == (dt.date(2024, 10, 1), dt.date(2025, 9, 30))
    start, end = thaidates.fiscal_year_range(2567)
    assert thaidates.fiscal_year(start) == thaidates.fiscal_year(end) == 2567


def test_django_date_formatting_prints_buddhist_years():
    day = dt.date(2008, 3, 12)
    assert dateformat.format(day, "Y") == "2551"
    assert dateformat.format(day, "y") == "51"
    assert formats.date_format(day) == "12 มีนาคม 2551"
    with translation.override("en"):
        assert formats.date_format(day) == "12 March 2551"


def test_machine_date_formats_stay_common_era():
    day = dt.date(2008, 3, 12)
    assert day.isoformat() == "2008-03-12"
    assert f"{day:%Y}" == "2008"
    moment = dt.datetime(2008, 3, 12, 1, 2, 3, tzinfo=ZoneInfo("Asia/Bangkok"))
    assert dateformat.format(moment, "c").startswith("2008-03-12")


def test_template_filters():
    template = Template(
        "{{ d|thai_date }}|{{ d|thai_date_short }}|{{ d|be_year }}|{{ d|fiscal_year }}"
        "|{{ 2008|be_year }}|{{ missing|thai_date }}|{{ d|date }}"
    )
    rendered = template.render(Context({"d": dt.date(2008, 3, 12)}))
    assert rendered == "12 มีนาคม 2551|12 มี.ค. 51|2551|2551|2551||12 มีนาคม 2551"


def test_total_minutes_filter_rounds_up():
    template = Template("{{ a|total_minutes }} {{ b|total_minutes }} {{ c|total_minutes }}")
    context = Context(
        {"a": dt.timedelta(minutes=15), "b": dt.timedelta(seconds=90), "c": dt.timedelta(0)}
    )
    assert template.render(context) == "15 2 1"
