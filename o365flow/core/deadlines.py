"""Date arithmetic for deadlines: months, weeks, days, working days, holds, RAG. Pure.

Working days skip weekends and Welsh bank holidays (the ``holidays`` package's UK calendar
for Wales, plus any extra closure days a board configures).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Collection

UNITS = ("days", "weeks", "months", "working_days")


@dataclass(frozen=True)
class Period:
    """A length of time as a rule states it: ``6 months``, ``28 days``, ``15 working days``."""

    amount: int
    unit: str

    def __str__(self) -> str:
        unit = self.unit.replace("_", " ")
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


_PERIOD = re.compile(r"^(\d+)\s+(working\s+days?|days?|weeks?|months?|calendar\s+months?)$")


def parse_period(text: str) -> Period:
    """``"6 months"``, ``"4 weeks"``, ``"28 days"``, ``"15 working days"`` -> Period."""
    m = _PERIOD.match(" ".join(str(text).lower().split()))
    if not m:
        raise ValueError(
            f"'{text}' is not a period; write e.g. '6 months', '4 weeks', '28 days' or '15 working days'"
        )
    word = m[2].replace("calendar ", "")
    unit = "working_days" if word.startswith("working") else word.rstrip("s") + "s"
    return Period(int(m[1]), unit)


def add_months(start: date, months: int) -> date:
    """Calendar months, clamped to the month's end: 31 August + 6 months = 28/29 February."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


#: Years of the calendar already known to this process: given by the shell from its cache
#: (``remember_bank_holidays``) or worked out here. Importing ``holidays`` costs more than the
#: rest of a quiet pass, so a pass that finds every year it needs here never imports it.
_BANK_HOLIDAYS: dict[int, frozenset[date]] = {}


def remember_bank_holidays(years: dict[int, Collection[date]]) -> None:
    """Make years of the Welsh bank holiday calendar known without computing them."""
    for year, days in years.items():
        _BANK_HOLIDAYS[int(year)] = frozenset(days)


def known_bank_holidays() -> dict[int, frozenset[date]]:
    """Every year of the calendar known to this process (for the shell to keep)."""
    return dict(_BANK_HOLIDAYS)


def welsh_bank_holidays(year: int) -> frozenset[date]:
    """Bank holidays in Wales for one year (England and Wales share them)."""
    if year not in _BANK_HOLIDAYS:
        import holidays  # imported here: only working-day rules need it, and only once a year

        _BANK_HOLIDAYS[year] = frozenset(holidays.UK(subdiv="WLS", years=year).keys())
    return _BANK_HOLIDAYS[year]


def is_working_day(day: date, extra_closures: Collection[date] = ()) -> bool:
    return day.weekday() < 5 and day not in welsh_bank_holidays(day.year) and day not in extra_closures


def add_working_days(start: date, days: int, extra_closures: Collection[date] = ()) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    day, left = start, days
    step = 1 if days >= 0 else -1
    while left:
        day += timedelta(days=step)
        if is_working_day(day, extra_closures):
            left -= step
    return day


def add_period(start: date, period: Period, extra_closures: Collection[date] = ()) -> date:
    if period.unit == "months":
        return add_months(start, period.amount)
    if period.unit == "weeks":
        return start + timedelta(weeks=period.amount)
    if period.unit == "working_days":
        return add_working_days(start, period.amount, extra_closures)
    return start + timedelta(days=period.amount)


def hold_days(on_hold_from: date | None, resumed_on: date | None, today: date) -> int:
    """Days the clock stood still: ``Resumed on - On hold from``; while still on hold, up to today."""
    if on_hold_from is None:
        return 0
    end = resumed_on if resumed_on is not None else max(today, on_hold_from)
    return max(0, (end - on_hold_from).days)


def rag(next_deadline: date | None, today: date, amber_days: int = 14, on_hold: bool = False) -> str:
    """Red before today, Amber today or within ``amber_days``, Green after; blank when nothing is due."""
    if next_deadline is None or on_hold:
        return ""
    if next_deadline < today:
        return "Red"
    if (next_deadline - today).days <= amber_days:
        return "Amber"
    return "Green"
