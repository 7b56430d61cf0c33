"""The two sheets o365flow keeps wholly: ``Actions`` (each case's action plan, replaced case by
case) and ``Audit`` (append-only: every change the worker made, when and why)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from o365flow.core.columns import ACTIONS_COLUMNS, AUDIT_COLUMNS
from o365flow.register.layout import uk_dates
from o365flow.register.rewrite.layout import format_body_cell
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
            writer.touched.add(row)
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
        row = writer.append(audit_row(values))
        writer.ws.cell(row, when_col).number_format = DATETIME_FORMAT
    writer.finish()


def audit_row(values: Mapping[str, object]) -> dict[str, object]:
    """An Audit row as the sheet shows it: dates inside its text in the UK style (a mail key
    is kept exactly as given: the rebuild reads it back)."""
    return {name: uk_dates(v) if isinstance(v, str) and name != "Mail" else v for name, v in values.items()}


def _text(value: object) -> object:
    """A value as read back, ready to be written again (escaped text decoded)."""
    return decode_text(value) if isinstance(value, str) else value
