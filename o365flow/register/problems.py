"""The one error a register that cannot be used raises, worded the same whichever way it was
being read or written: which file, which sheet, which column, and how a person puts it right.
Messages quote headers (what a column is called), never what a cell holds."""

from __future__ import annotations

from collections.abc import Iterable

from o365flow.errors import RegisterUnreadable
from o365flow.register.layout import SHEET_ORDER

RESTORE = "restore the previous version from the library's version history"
DEFAULT_SOURCE = "the register workbook"


def _where(source: str | None) -> str:
    return f"Register '{source}'" if source else DEFAULT_SOURCE[0].upper() + DEFAULT_SOURCE[1:]


def unreadable(source: str | None, why: object) -> RegisterUnreadable:
    """The bytes are not a workbook that can be read (truncated, another kind of file, bad XML)."""
    return RegisterUnreadable(
        f"{_where(source)} cannot be read as a workbook ({why})",
        f"{RESTORE} (or open it in Excel and save it as an Excel Workbook, .xlsx)",
        file=source,
    )


def missing_sheet(source: str | None, sheet: str) -> RegisterUnreadable:
    return RegisterUnreadable(
        f"{_where(source)} has no '{sheet}' sheet",
        f"rename the sheet back to '{sheet}' if it was renamed, or {RESTORE}",
        file=source,
        sheet=sheet,
    )


def no_header(source: str | None, sheet: str, rows: int) -> RegisterUnreadable:
    return RegisterUnreadable(
        f"{_where(source)} sheet '{sheet}' has no header row with a 'Reference' column "
        f"in its first {rows} rows",
        f"rename the column back to 'Reference', or {RESTORE}",
        file=source,
        sheet=sheet,
        column="Reference",
    )


def missing_column(source: str | None, sheet: str, column: str, headers: Iterable[object]) -> RegisterUnreadable:
    """A column people type in (or a key column) is not on the sheet. ``headers`` are the
    sheet's header cells: one that is not a register column is probably the renamed one."""
    known = {h.casefold() for h in SHEET_ORDER.get(sheet, ())}
    strangers = [str(h) for h in headers if h not in (None, "") and " ".join(str(h).split()).casefold() not in known]
    guess = ""
    if strangers:
        named = ", ".join(f"'{_short(h)}'" for h in strangers[:3])
        guess = f" (is it the column now headed {named}?)"
    return RegisterUnreadable(
        f"{_where(source)} sheet '{sheet}' has no '{column}' column{guess}",
        f"rename the column back to '{column}', or {RESTORE}; o365flow will not add an empty one "
        "in its place",
        file=source,
        sheet=sheet,
        column=column,
    )


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
