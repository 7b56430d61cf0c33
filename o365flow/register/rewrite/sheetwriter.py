"""One table sheet as the worker writes it: its header row, its table, and which row holds which
key. Cells are written only when their value differs, so an unchanged row changes nothing."""

from __future__ import annotations

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.table import Table, TableColumn
from openpyxl.worksheet.worksheet import Worksheet

from o365flow.errors import RegisterError
from o365flow.register.headers import HEADER_SCAN_ROWS, find_header, header_key
from o365flow.register.layout import KEYS, REQUIRED, SHEET_ORDER
from o365flow.register.problems import missing_column, no_header
from o365flow.register.rewrite.layout import (
    fit_row,
    format_body_cell,
    style_header,
    widths,
)
from o365flow.register.rewrite.rules import add_column_rules
from o365flow.register.values import same_value, write_value

__all__ = ["KEYS", "SheetWriter", "cell_key"]


class SheetWriter:
    """One sheet's header, table and row index, and the cell writes made through it."""

    def __init__(self, ws: Worksheet, amber_days: int, source: str | None = None):
        self.ws = ws
        self.order = SHEET_ORDER[ws.title]
        self.keys = KEYS[ws.title]
        self.changed = False
        self.touched: set[int] = set()  # rows written: sized to their text at ``finish``
        top = list(ws.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True))
        header = find_header(top)
        if header is None:
            raise no_header(source, ws.title, HEADER_SCAN_ROWS)
        self.header = header
        # A column people type in is never replaced by an empty one: the one they renamed
        # holds what they typed.
        for name in REQUIRED.get(ws.title, ()):
            if header.column(name) is None:
                raise missing_column(source, ws.title, name, top[header.row - 1])
        self.table = self._table()
        for name in self.order:
            if header.column(name) is None:
                self._add_column(name, amber_days)
        self._index()

    def put(self, values: dict[str, object]) -> None:
        """Write one row's given cells, appending the row when its key is not there yet."""
        try:
            key = tuple(cell_key(values[k]) for k in self.keys)
        except KeyError as exc:
            raise ValueError(f"a '{self.ws.title}' row needs {exc.args[0]!r}") from None
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = self.next_row
            self.next_row += 1
            self.changed = True
            self.touched.add(row)
            for name in self.order:
                format_body_cell(self.ws, row, self.header.column(name), name)
        for name, value in values.items():
            cell = self.ws.cell(row, self.column(name))
            if not same_value(cell, value):
                write_value(cell, value)
                self.changed = True
                self.touched.add(row)

    def append(self, values: dict[str, object]) -> int:
        """Write ``values`` into a new row after the last one, whatever its key; return the row."""
        row = self.next_row
        self.next_row += 1
        self.changed = True
        self.touched.add(row)
        for name in self.order:
            format_body_cell(self.ws, row, self.header.column(name), name)
        for name, value in values.items():
            col = self.column(name)
            if value is not None:
                write_value(self.ws.cell(row, col), value)
        return row

    def column(self, name: str) -> int:
        """The column of header ``name``; a ValueError when the sheet has none."""
        col = self.header.column(name)
        if col is None:
            raise ValueError(
                f"the register sheet '{self.ws.title}' has no column {name!r}"
            )
        return col

    def finish(self, shrink: bool = False) -> None:
        """Stretch the table over every row, so filters and banding cover appended rows;
        with ``shrink``, also pull its end up to the last row (rows were removed). Every row
        written is made tall enough for its wrapped text."""
        if self.touched:
            columns = {name: self.header.column(name) for name in self.order}
            sizes = widths(self.ws, columns)
            for row in sorted(self.touched):
                fit_row(self.ws, row, columns, sizes)
            self.touched.clear()
        if self.table is None:
            return
        min_col, min_row, max_col, max_row = range_boundaries(self.table.ref)
        last = max(self.next_row - 1, min_row + 1)
        if last > max_row or (shrink and last < max_row):
            self._set_ref(min_col, min_row, max_col, last)

    def _index(self) -> None:
        """Map each key to its row; note where the next appended row goes."""
        cols = [self.header.column(k) for k in self.keys]
        width = self.header.last_column
        if self.table is not None:
            width = max(width, range_boundaries(self.table.ref)[2])
        first = self.header.row + 1
        # The cell store directly: iter_rows would build every empty cell of a 10,000-row sheet
        # (several times slower); openpyxl is pinned below 3.2, where this mapping is stable.
        cells = self.ws._cells
        last = self.header.row
        for (r, c), cell in cells.items():
            if (
                r >= first
                and c <= width
                and cell._value is not None
                and cell._value != ""
            ):
                last = max(last, r)
        self.rows: dict[tuple[str, ...], int] = {}
        for r in range(first, last + 1):
            key = tuple(cell_key(_value(cells.get((r, c)))) for c in cols)
            if all(key):
                self.rows.setdefault(key, r)
        self.next_row = last + 1

    def _table(self) -> Table | None:
        ref_col = self.header.column("Reference")
        for table in self.ws.tables.values():
            min_col, min_row, max_col, _ = range_boundaries(table.ref)
            if min_row == self.header.row and min_col <= ref_col <= max_col:
                return table
        return None

    def _add_column(self, name: str, amber_days: int) -> None:
        """Add a contract column an older layout lacks, at the end of the sheet's table."""
        ws, row = self.ws, self.header.row
        if self.table is not None:
            min_col, min_row, max_col, max_row = range_boundaries(self.table.ref)
            col = max_col + 1
        else:
            col, max_row = self.header.last_column + 1, ws.max_row
        letter = get_column_letter(col)
        if any(
            ws.cell(r, col).value not in (None, "") for r in range(row, max_row + 1)
        ):
            raise RegisterError(
                f"Register '{ws.title}' lacks the column '{name}' and column {letter}, where it "
                "would go, is not empty",
                f"add a column headed '{name}' to the table yourself, or clear column {letter}",
            )
        ws.cell(row, col).value = name
        style_header(ws, row, col)
        self.header.columns[header_key(name)] = col
        self.header.last_column = max(self.header.last_column, col)
        if self.table is not None:
            ids = [c.id for c in self.table.tableColumns] or [0]
            self.table.tableColumns.append(TableColumn(id=max(ids) + 1, name=name))
            self._set_ref(min_col, min_row, col, max_row)
        columns = {
            n: self.header.column(n) for n in self.order if self.header.column(n)
        }
        add_column_rules(ws, name, col, row, columns, amber_days)
        self.changed = True

    def _set_ref(self, min_col: int, min_row: int, max_col: int, max_row: int) -> None:
        ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
        self.table.ref = ref
        if self.table.autoFilter is not None:
            self.table.autoFilter.ref = ref
        self.changed = True


def _value(cell) -> object:
    return None if cell is None else cell._value


def cell_key(value: object) -> str:
    """A key cell's text as rows are matched by it: spacing ignored, blank as ""."""
    return "" if value is None else " ".join(str(value).split())
