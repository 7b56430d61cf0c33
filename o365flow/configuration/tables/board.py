"""``[board]``, ``[coordinator]``, ``[access]`` and ``[calendar]``: who the board is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from o365flow.configuration.checks import EMAIL, Problems, Table, shown

CODE = re.compile(r"^[A-Z][A-Z0-9]{1,11}$")


@dataclass(frozen=True)
class BoardTable:
    name: str
    code: str
    timezone: str
    address: tuple[str, ...]


def board(problems: Problems, raw: object) -> BoardTable:
    t = Table(problems, "board", raw, ("name", "code", "timezone", "address"))
    name = t.text("name", required=True, example='"Dyffryn Regional Safeguarding Board"')
    code = t.text("code", required=True, example='"NWSB"')
    if code and not CODE.match(code):
        t.bad("code", f"{shown(code)} must be 2-12 capital letters or digits, e.g. NWSB")
    tz = t.text("timezone", "Europe/London")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        t.bad("timezone", f"{shown(tz)} is not a time zone; use e.g. Europe/London")
        tz = "Europe/London"
    address = t.raw.get("address", [])
    if isinstance(address, str):
        address = [line.strip() for line in address.splitlines() if line.strip()]
    if not (isinstance(address, list) and all(isinstance(x, str) and x.isprintable() for x in address)):
        t.bad("address", 'must be a list of lines, e.g. ["Dyffryn House", "Dyffryn", "DY1 1AA"]')
        address = []
    return BoardTable(name, code, tz, tuple(line.strip() for line in address))


def coordinator(problems: Problems, raw: object) -> tuple[str, str]:
    """The coordinator's (name, e-mail address)."""
    t = Table(problems, "coordinator", raw, ("name", "email"))
    return t.text("name", "Review coordinator") or "Review coordinator", t.email("email", required=True)


def access(problems: Problems, raw: object) -> str:
    """The group that always has access to case folders (an address, or blank)."""
    t = Table(problems, "access", raw, ("group",))
    group = t.text("group", "")
    if group and not EMAIL.match(group):
        t.bad("group", f"{shown(group)} must be the group's e-mail address, e.g. safeguarding-unit@board.example.org")
        return ""
    return group


def calendar(problems: Problems, raw: object) -> tuple[date, ...]:
    """The board's own closure days."""
    from o365flow.core.parsing import parse_date

    t = Table(problems, "calendar", raw, ("closure_days",))
    days = t.raw.get("closure_days", [])
    if not isinstance(days, list):
        t.bad("closure_days", "must be a list of dates, e.g. [2026-12-29, 2026-12-30]")
        return ()
    found = []
    for d in days:
        try:
            if not isinstance(d, str) and not hasattr(d, "year"):
                raise ValueError("is not a date")
            found.append(parse_date(d))
        except ValueError:
            t.bad("closure_days", f"{shown(d)} is not a date, e.g. 2026-12-29")
    return tuple(found)
