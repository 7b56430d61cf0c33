"""The two sheets o365flow keeps wholly: ``Actions`` (each case's action plan, replaced case by
case) and ``Audit`` (append-only: every change the worker made, when and why)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from o365flow.core.columns import ACTIONS_COLUMNS, AUDIT_COLUMNS
from o365flow.register.rewrite.layout import DEFAULT_WIDTH, WRAPPED, format_body_cell
from o365flow.register.rewrite.sheetwriter import SheetWriter, cell_key
from o365flow.register.values import (
    DATETIME_FORMAT,
    decode_text,
    same_value,
    write_value,
)


def replace_actions(
    writer: SheetWriter, actions: Iterable[Mapping[str, object]]
) -> None:
    """Make the Actions rows of every Reference in ``actions`` exactly those given.

    A case's rows stay where its first row was (in the order given); a case new to the sheet
    goes at the end; rows of cases not in ``actions`` keep their values and order. Cells are
    written only where they differ, so the same actions again change nothing.
    """
    given: dict[str, list[Mapping[str, object]]] = {}
    seen: set[tuple[str, str]] = set()
    for values in actions:
        for key in ("Reference", "Item"):
            if cell_key(values.get(key)) == "":
                raise ValueError(f"an '{writer.ws.title}' row needs {key!r}")
        unknown = [name for name in values if name not in ACTIONS_COLUMNS]
        if unknown:
            raise ValueError(
                f"the register sheet '{writer.ws.title}' has no column {unknown[0]!r}"
            )
        ref, item = cell_key(values["Reference"]), cell_key(values["Item"])
        if (ref, item) in seen:
            raise ValueError(f"action {item} of {ref} is given twice")
        seen.add((ref, item))
        given.setdefault(ref, []).append(values)
    if not given:
        return
    ws, first = writer.ws, writer.header.row + 1
    columns = {name: writer.column(name) for name in ACTIONS_COLUMNS}
    ref_col = columns["Reference"]
    wanted: list[
        Mapping[str, object] | None
    ] = []  # None: the row already there, as it is
    existing: list[int] = []
    placed: set[str] = set()
    for row in range(first, writer.next_row):
        ref = cell_key(_text(ws.cell(row, ref_col).value))
        if ref not in given:
            wanted.append(None)
            existing.append(row)
        elif ref not in placed:
            placed.add(ref)
            wanted.extend(given[ref])
            existing.extend([0] * len(given[ref]))
    for ref, rows in given.items():
        if ref not in placed:
            wanted.extend(rows)
            existing.extend([0] * len(rows))
    # Rows that keep their values but move up (a case above them lost actions) are read first.
    kept = {
        row: {n: _text(ws.cell(row, c).value) for n, c in columns.items()}
        for row in existing
        if row
    }
    for offset, values in enumerate(wanted):
        row = first + offset
        if values is None:
            values = kept[existing[offset]]
            if existing[offset] == row:
                continue  # not moved: nothing to compare
        written = False
        for name, col in columns.items():
            cell = ws.cell(row, col)
            value = values.get(name)
            if not same_value(cell, value):
                write_value(cell, value)
                format_body_cell(ws, row, col, name)
                written = writer.changed = True
        if written:
            fit_height(ws, row, columns)
    end = first + len(wanted)
    for row in range(end, writer.next_row):
        for col in columns.values():
            cell = ws.cell(row, col)
            if cell.value not in (None, ""):
                write_value(cell, None)
                ws.row_dimensions[row].height = None
                writer.changed = True
    writer.next_row = end
    writer.finish(shrink=True)


def append_audit(writer: SheetWriter, rows: Iterable[Mapping[str, object]]) -> None:
    """Add each row at the end of the Audit sheet; rows already there are never touched.

    A row maps ``AUDIT_COLUMNS`` to values; ``When`` is a date-time (shown dd/mm/yyyy hh:mm).
    """
    when_col = writer.column("When")
    for values in rows:
        unknown = [name for name in values if name not in AUDIT_COLUMNS]
        if unknown:
            raise ValueError(
                f"the register sheet '{writer.ws.title}' has no column {unknown[0]!r}"
            )
        when = values.get("When")
        if not isinstance(when, (date, datetime)):
            # A caller's mistake, a ValueError like every other one update_register raises.
            message = f"an '{writer.ws.title}' row needs 'When' as a date and time"
            raise ValueError(message)  # noqa: TRY004
        row = writer.append(dict(values))
        writer.ws.cell(row, when_col).number_format = DATETIME_FORMAT
        fit_height(writer.ws, row, {n: writer.column(n) for n in AUDIT_COLUMNS})
    writer.finish()


# Characters of ordinary text per unit of column width (the width of a "0" in Calibri 11), less
# what wrapping at word ends wastes; and the height of one line in points.
CHARS_PER_WIDTH = 1.2
WRAP_WASTE = 2
LINE_HEIGHT = 15
MAX_LINES = 12


def fit_height(ws: Worksheet, row: int, columns: Mapping[str, int]) -> None:
    """Make ``row`` tall enough for its wrapped text. Neither Excel nor LibreOffice fits a row
    to its text when opening a file, so without this a long action would be cut off."""
    lines = 1
    for name, col in columns.items():
        value = ws.cell(row, col).value
        if name not in WRAPPED or not isinstance(value, str):
            continue
        width = ws.column_dimensions[get_column_letter(col)].width or DEFAULT_WIDTH
        per_line = max(1, int(width * CHARS_PER_WIDTH) - WRAP_WASTE)
        lines = max(
            lines,
            sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n")),
        )
    ws.row_dimensions[row].height = (
        LINE_HEIGHT * min(lines, MAX_LINES) if lines > 1 else None
    )


def _text(value: object) -> object:
    """A value as read back, ready to be written again (escaped text decoded)."""
    return decode_text(value) if isinstance(value, str) else value
