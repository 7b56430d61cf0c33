from datetime import date

import pytest
from hypothesis import given, strategies as st

from o365flow.core.deadlines import (
    Period, add_months, add_period, add_working_days, hold_days, parse_period, rag, welsh_bank_holidays,
)


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # month end clamped
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2026, 3, 10), 6, date(2026, 9, 10)),
        (date(2026, 10, 31), 6, date(2027, 4, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_welsh_bank_holidays_include_easter_monday_and_boxing_day_substitute():
    hols = welsh_bank_holidays(2026)
    assert date(2026, 4, 6) in hols  # Easter Monday (England and Wales, not Scotland)
    assert date(2026, 12, 28) in hols  # Boxing Day on a Saturday, substitute on Monday
    assert date(2026, 3, 1) not in hols  # St David's Day is not a bank holiday


def test_working_days_skip_weekends_and_bank_holidays():
    # Thursday 2 April 2026 + 3 working days: Good Friday, weekend, Easter Monday are skipped.
    assert add_working_days(date(2026, 4, 2), 3) == date(2026, 4, 9)
    # Christmas: 23 Dec 2026 + 3 working days -> 24, 29, 30 (25, 26, 28 holidays; 27 Sunday).
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)
    # A board's own closure day counts too.
    assert add_working_days(date(2026, 12, 23), 3, {date(2026, 12, 29)}) == date(2026, 12, 31)


def test_fifteen_working_days_screening_rule():
    assert add_period(date(2026, 3, 2), parse_period("15 working days")) == date(2026, 3, 23)


@pytest.mark.parametrize(
    "text, period",
    [("6 months", Period(6, "months")), ("28 days", Period(28, "days")), ("4 weeks", Period(4, "weeks")),
     ("15 working days", Period(15, "working_days")), ("1 Month", Period(1, "months"))],
)
def test_parse_period(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize("bad", ["six months", "6 fortnights", "", "-3 days"])
def test_parse_period_rejects_nonsense_with_an_example(bad):
    with pytest.raises(ValueError, match="e.g."):
        parse_period(bad)


def test_hold_days_count_until_resumed_or_today():
    assert hold_days(date(2026, 4, 1), date(2026, 5, 1), date(2026, 9, 1)) == 30
    assert hold_days(date(2026, 4, 1), None, date(2026, 4, 11)) == 10
    assert hold_days(None, None, date(2026, 4, 11)) == 0


def test_rag_thresholds():
    today = date(2026, 5, 1)
    assert rag(date(2026, 4, 30), today) == "Red"
    assert rag(today, today) == "Amber"
    assert rag(date(2026, 5, 15), today) == "Amber"
    assert rag(date(2026, 5, 16), today) == "Green"
    assert rag(date(2026, 4, 30), today, on_hold=True) == ""
    assert rag(None, today) == ""


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 40))
def test_working_days_land_on_a_working_day(start, n):
    day = add_working_days(start, n)
    assert day >= start
    if n:
        assert day.weekday() < 5 and day not in welsh_bank_holidays(day.year)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_six_months_is_never_more_than_six_calendar_months(start):
    due = add_months(start, 6)
    assert (due.year - start.year) * 12 + due.month - start.month == 6
    assert due.day <= start.day
