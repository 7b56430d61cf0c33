from datetime import date

import pytest
from hypothesis import given, strategies as st

from o365flow.core.parsing import parse_date, parse_kind, parse_yes_no


@pytest.mark.parametrize(
    "text",
    ["14/02/2026", "14 February 2026", "2026-02-14", "14-02-2026", "14.02.26", "14th Feb 2026",
     "Saturday 14 February 2026", " 14  february  2026 ", "14 Chwefror 2026"],
)
def test_dates_as_people_in_wales_write_them(text):
    assert parse_date(text) == date(2026, 2, 14)


def test_day_first_never_month_first():
    assert parse_date("03/04/2026") == date(2026, 4, 3)


@pytest.mark.parametrize("text", ["31/02/2026", "next week", "2026/14/02", "14 Febtober 2026"])
def test_bad_dates_say_how_to_write_one(text):
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    "text, kind",
    [("CPR", "CPR"), ("Child Practice Review", "CPR"), ("adult practice review", "APR"),
     ("Forum", "MAPF"), ("Multi-agency professional forum", "MAPF"), ("SUSR", "SUSR"),
     ("Single Unified Safeguarding Review", "SUSR"), ("Child Practice Review (CPR)", "CPR")],
)
def test_kinds_by_code_or_full_name(text, kind):
    assert parse_kind(text) == kind


def test_unknown_kind_lists_the_four():
    with pytest.raises(ValueError, match="CPR, APR, SUSR or Forum"):
        parse_kind("Domestic homicide review")


@pytest.mark.parametrize("text, value", [("Yes", True), ("no", False), ("Y", True), ("", None), (None, None)])
def test_yes_no(text, value):
    assert parse_yes_no(text) == value


@given(st.text(max_size=60))
def test_parse_date_only_ever_raises_value_error(text):
    try:
        parse_date(text)
    except ValueError:
        pass
