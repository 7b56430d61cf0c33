"""Reading the register: people's edits, parsed and checked cell by cell.

A bad cell never stops the read: its value is None, a ``CellProblem`` says where it is and how
to fix it, and the rest of the row is read. The workbook's XML is read straight from the zip
(``sheetxml``), only the two sheets read here are parsed, and formulas give the value Excel last
calculated. Values come back exactly as openpyxl would give them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from o365flow.core.columns import (
    CASES_ORDER,
    CASES_PERSON,
    CASES_SHEET,
    DATE_COLUMNS,
    DECISIONS,
    SIGNOFFS_ORDER,
    SIGNOFFS_PERSON,
    SIGNOFFS_SHEET,
)
from o365flow.core.parsing import parse_optional_date
from o365flow.register.headers import HEADER_SCAN_ROWS, find_header
from o365flow.register.layout import REQUIRED
from o365flow.register.model import CellProblem, RegisterSnapshot
from o365flow.register.problems import (
    missing_column,
    missing_sheet,
    no_header,
    unreadable,
)
from o365flow.register.read.book import Book, UnreadableWorkbook, open_book
from o365flow.register.read.xlsxvalues import column_letter
from o365flow.register.values import decode_text
from o365flow.errors import quoted


def read_register(
    data: bytes | None, *, decisions: tuple[str, ...] = DECISIONS, source: str | None = None
) -> RegisterSnapshot:
    """The cases and sign-offs in the register workbook ``data`` (None or b"": no register yet).

    Columns are found by header text; extra columns and other sheets are ignored. Raises
    ``RegisterUnreadable`` (naming ``source``, the file, and the fix) when the bytes are not a
    readable workbook, or the Cases or Sign-offs sheet, its header row or a column people type
    in is missing; a missing worker-owned column is a ``CellProblem`` (the writer adds it).
    """
    if not data:
        return RegisterSnapshot(exists=False)
    book = open_register_book(data, source)
    snapshot = RegisterSnapshot(exists=True)
    allowed = {d.casefold(): d for d in decisions}
    case_parsers = _parsers(CASES_ORDER, CASES_PERSON, allowed)
    try:
        for key, row in _rows(book, CASES_SHEET, CASES_ORDER, ("Reference",), case_parsers, snapshot, source):
            snapshot.cases[key[0]] = row
        signoff_parsers = _parsers(SIGNOFFS_ORDER, SIGNOFFS_PERSON, allowed)
        keys = ("Reference", "Agency")
        for key, row in _rows(book, SIGNOFFS_SHEET, SIGNOFFS_ORDER, keys, signoff_parsers, snapshot, source):
            snapshot.signoffs[key] = row
    except UnreadableWorkbook as exc:
        raise unreadable(source, exc) from None
    except ValueError as exc:
        # A stored value that is not what its cell says it is (text in a number cell): a
        # malformed file, named by the kind of error only (its message could quote the cell).
        raise unreadable(source, type(exc).__name__) from None
    return snapshot


def open_register_book(data: bytes, source: str | None = None) -> Book:
    """The workbook's XML view; bytes that are not a readable workbook raise
    ``RegisterUnreadable``."""
    try:
        return open_book(data)
    except UnreadableWorkbook as exc:
        raise unreadable(source, exc) from None


Parser = Callable[[object], object]


def _parsers(order, person, allowed) -> dict[str, Parser]:
    def decision(value: object) -> str | None:
        text = _text(value)
        if text is None:
            return None
        found = allowed.get(" ".join(str(text).split()).casefold())
        if found is None:
            choices = ", ".join(allowed.values())
            raise ValueError(
                f"{quoted(str(text), 40)} is not a decision; choose one of {choices}"
            )
        return found

    parsers: dict[str, Parser] = {}
    for header in order:
        if header == "Decision":
            parsers[header] = decision
        elif header in person:
            parsers[header] = parse_optional_date if header in DATE_COLUMNS else _text
        else:
            parsers[header] = _as_is_date if header in DATE_COLUMNS else _as_is
    return parsers


def _rows(book: Book, sheet, order, key_headers, parsers, snapshot, source):
    """Yield (key, {header: value}) for each keyed row of ``sheet``; record problems as found."""
    if sheet not in book.sheet_paths:
        raise missing_sheet(source, sheet)
    ws = book.sheet(sheet)
    top = [book.row_values(ws, n) for n in range(1, HEADER_SCAN_ROWS + 1)]
    header = find_header(top)
    if header is None:
        raise no_header(source, sheet, HEADER_SCAN_ROWS)
    required = REQUIRED.get(sheet, ())
    where: dict[str, int] = {}
    for name in order:
        col = header.column(name)
        if col is None and name in required:
            raise missing_column(source, sheet, name, top[header.row - 1])
        if col is None:
            snapshot.problems.append(
                CellProblem(
                    sheet,
                    f"{header.row}:{header.row}",
                    name,
                    None,
                    f"there is no '{name}' column; o365flow adds it on its next pass",
                )
            )
        else:
            where[name] = col
    key_cols = [where.get(k) for k in key_headers]
    if None in key_cols:
        return
    value = book.value
    seen: dict[tuple[str, ...], int] = {}
    for number in sorted(n for n in ws.rows if n > header.row):
        cells = ws.rows[number]
        key = tuple(_key(value(cells.get(col))[0]) for col in key_cols)
        if not all(key):
            if any(v is not None and v != "" for v in book.row_values(ws, number)):
                missing = " or ".join(
                    k for k, part in zip(key_headers, key) if not part
                )
                snapshot.unknown_rows.append(
                    f"Register '{sheet}' row {number} has no {missing}"
                )
            continue
        if key in seen:
            snapshot.problems.append(
                CellProblem(
                    sheet,
                    f"{column_letter(key_cols[0])}{number}",
                    key_headers[0],
                    key[0],
                    f"this row repeats row {seen[key]}; o365flow reads row {seen[key]} only; "
                    "delete or merge the repeated row",
                )
            )
            continue
        seen[key] = number
        row: dict[str, object] = {}
        for name in order:
            cell = cells.get(where.get(name))
            if cell is None or cell[0] is None:
                raw = None
            elif cell[1] == "s":  # text, the usual case, needs no conversion
                raw = cell[0]
            else:
                raw = value(cell)[0]
            if isinstance(raw, str):
                raw = decode_text(raw)
            try:
                row[name] = parsers[name](raw)
            except ValueError as exc:
                row[name] = None
                address = f"{column_letter(where[name])}{number}"
                snapshot.problems.append(
                    CellProblem(sheet, address, name, key[0], str(exc))
                )
        yield key, row


def _key(value: object) -> str:
    if value is None:
        return ""
    return " ".join(decode_text(str(value)).split())


def _text(value: object) -> object:
    """A person's free text: stripped, blank as None (numbers and dates as typed)."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def _as_is(value: object) -> object:
    return None if value == "" else value


def _as_is_date(value: object) -> object:
    # A date cell comes back as a datetime at midnight; the worker writes and compares dates.
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return None if value == "" else value
