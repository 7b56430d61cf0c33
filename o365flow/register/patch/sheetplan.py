"""One sheet's share of the quick path's plan: its header, table and rows as the workbook's XML
holds them, and the cell writes, new rows and row heights that bring it up to date.

Cells are compared exactly as ``SheetWriter.put`` compares openpyxl cells (rows matched by key,
only the headers given compared, equality by ``values.same_value``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from o365flow.register.headers import HEADER_SCAN_ROWS, find_header
from o365flow.register.layout import SHEET_ORDER, column_width, row_height
from o365flow.register.model import CellEdit, Link, RowAppend, RowHeight
from o365flow.register.read.book import Book, Sheet, TablePart, range_bounds
from o365flow.register.read.xlsxvalues import column_letter
from o365flow.register.values import ESCAPE_LIKE, clean_text, same_value


@dataclass(frozen=True)
class SheetRows:
    """The worker-owned cells one sheet should hold.

    ``rows`` map header -> value (only the headers given are compared and written); a row is
    found by its ``keys`` values (spacing ignored). A key not on the sheet becomes a new row at
    the end of the sheet's table. ``append_only`` (the Audit): every row given is a new row and
    rows already there are never compared. ``group`` (the Actions, by "Reference"): for each
    group value given, the rows on the sheet must be exactly the keys given, in that order;
    otherwise rows would be deleted or moved and ``plan_edits`` returns None. ``columns`` are
    headers that must exist besides the sheet's contract columns.
    """

    sheet: str
    keys: tuple[str, ...]
    rows: Sequence[Mapping[str, object]]
    append_only: bool = False
    group: str | None = None
    columns: tuple[str, ...] = ()



class _Target:
    __slots__ = ("target",)

    def __init__(self, target):
        self.target = target


class _View:
    """A cell as ``values.same_value`` looks at it: value, data type, hyperlink."""

    __slots__ = ("data_type", "hyperlink", "value")

    def __init__(self, value, data_type, hyperlink):
        self.value, self.data_type, self.hyperlink = value, data_type, hyperlink


def written_view(value: object) -> _View:
    """The cell ``values.write_value`` leaves behind for ``value`` (in a new, plain cell)."""
    if isinstance(value, Link):
        text = clean_text(value.text)
        # openpyxl shows the address itself when a link is given no text.
        shown = ESCAPE_LIKE.sub("_x005F_", text) if text else value.url
        return _View(shown, "s", _Target(value.url))
    if value is None:
        return _View(None, "n", None)
    if isinstance(value, str):
        text = clean_text(value)
        return _View(ESCAPE_LIKE.sub("_x005F_", text), "s", None) if text else _View(None, "n", None)
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
        return _View(value.date() if value.time() == time() else value, "d", None)
    if isinstance(value, date):
        return _View(value, "d", None)
    if isinstance(value, bool):
        return _View(value, "b", None)
    if isinstance(value, (int, float)):
        return _View(value, "n", None)
    raise ValueError(f"cannot write a {type(value).__name__} to the register")


class SheetPlan:
    """One sheet's header, table, row index and the writes planned for it."""

    def __init__(self, book: Book, ws: Sheet, header, table: TablePart):
        self.book, self.ws, self.header, self.table = book, ws, header, table
        self.links, self.ranged = _links(ws)
        self.pending: dict[tuple[int, int], object] = {}
        self.appended: dict[tuple[str, ...], dict[int, object]] = {}
        self.extra: list[dict[int, object]] = []  # append-only rows
        self._index()

    @classmethod
    def make(cls, book: Book, spec: SheetRows) -> SheetPlan | None:
        if spec.sheet not in book.sheet_paths:
            return None
        ws = book.sheet(spec.sheet)
        if not ws.positional:
            return None
        header = find_header(
            book.row_values(ws, n, data_only=False) for n in range(1, HEADER_SCAN_ROWS + 1)
        )
        if header is None:
            return None
        ref_col = header.column("Reference")
        table = next(
            (
                t
                for t in ws.tables
                if t.bounds[1] == header.row and t.bounds[0] <= ref_col <= t.bounds[2]
            ),
            None,
        )
        if table is None or table.header_rows != 1 or table.totals_rows:
            return None
        needed = (*SHEET_ORDER.get(spec.sheet, ()), *spec.columns, *spec.keys)
        if any(header.column(name) is None for name in needed):
            return None
        return cls(book, ws, header, table)

    def _index(self) -> None:
        """Map each key to its row; note where the next appended row goes (as SheetWriter)."""
        first = self.header.row + 1
        width = max(self.header.last_column, self.table.bounds[2])
        last = self.header.row
        for r, cells in self.ws.rows.items():
            if r >= first and r > last:
                for c, cell in cells.items():
                    if c <= width and (cell[3] is not None or cell[0] not in (None, "")):
                        last = r
                        break
        self.next_row = last + 1
        self.rows: dict[tuple[str, ...], int] = {}
        self.order = sorted(r for r in self.ws.rows if first <= r <= last)

    def keys_of(self, keys: tuple[str, ...]) -> dict[tuple[str, ...], int]:
        cols = [self.header.column(k) for k in keys]
        out: dict[tuple[str, ...], int] = {}
        for r in self.order:
            cells = self.ws.rows[r]
            key = tuple(_key(self.book.value(cells.get(c), data_only=False)[0]) for c in cols)
            if all(key):
                out.setdefault(key, r)
        return out

    def add(self, spec: SheetRows) -> bool:
        """Plan ``spec``'s rows; False when only a full rewrite will do."""
        columns = {}
        for values in spec.rows:
            for name in values:
                if name not in columns:
                    col = self.header.column(name)
                    if col is None:
                        return False
                    columns[name] = col
        if spec.append_only:
            self.extra += [{columns[n]: v for n, v in values.items()} for values in spec.rows]
            return self._appendable()
        self.rows = self.keys_of(spec.keys)
        if spec.group is not None and not self._same_groups(spec):
            return False
        for values in spec.rows:
            missing = [k for k in spec.keys if k not in values]
            if missing:  # the caller's mistake, worded as the full rewrite words it
                raise ValueError(f"a '{spec.sheet}' row needs {missing[0]!r}")
            key = tuple(_key(values[k]) for k in spec.keys)
            row = self.rows.get(key)
            cols = {columns[n]: v for n, v in values.items()}
            if row is None:
                self.appended.setdefault(key, {}).update(cols)
                continue
            for col, value in cols.items():
                if (row, col) in self.pending:
                    old = written_view(self.pending[(row, col)])
                else:
                    old = self._view(row, col)
                if same_value(old, value):
                    continue
                cell = self.ws.cell(row, col)
                if cell is not None and cell[3] is not None or (row, col) in self.ranged:
                    # A formula may be a shared formula's master or listed in the calculation
                    # chain; a link may span cells: what only a full rewrite keeps consistent.
                    return False
                self.pending[(row, col)] = value
        # A cell written and then written back to what the file holds needs no edit.
        for (row, col), value in list(self.pending.items()):
            if same_value(self._view(row, col), value):
                del self.pending[(row, col)]
        return self._appendable()

    def _appendable(self) -> bool:
        if not (self.appended or self.extra):
            return True
        min_col, _, max_col, max_row = self.table.bounds
        if max_row != self.next_row - 1:
            return False  # blank rows at the table's end, or content below it
        return all(
            min_col <= col <= max_col for row in (*self.appended.values(), *self.extra) for col in row
        )

    def _same_groups(self, spec: SheetRows) -> bool:
        """Whether each group given holds exactly the keys given, in order, in one block."""
        group_col = self.header.column(spec.group)
        given: dict[str, list[tuple[str, ...]]] = {}
        for values in spec.rows:
            given.setdefault(_key(values[spec.group]), []).append(
                tuple(_key(values[k]) for k in spec.keys)
            )
        by_row = {r: k for k, r in self.rows.items()}
        found: dict[str, list[int]] = {}
        for r in self.order:
            g = _key(self.book.value(self.ws.rows[r].get(group_col), data_only=False)[0])
            if g in given:
                found.setdefault(g, []).append(r)
        for g, rows in found.items():
            if [by_row.get(r) for r in rows] != given[g] or rows != list(
                range(rows[0], rows[0] + len(rows))
            ):
                return False
        return True

    def _view(self, row: int, col: int) -> _View:
        cell = self.ws.cell(row, col)
        if cell is not None and cell[3] is not None:
            link = _HYPERLINK.match(cell[3])
            if link:  # how a link is written cell by cell through the Graph workbook API
                url, text = (part.replace('""', '"') for part in link.groups())
                return _View(text, "s", _Target(url))
        if cell is not None and cell[1] == "s" and cell[3] is None:
            value, data_type = cell[0], "s"  # text, the usual case, needs no conversion
        else:
            value, data_type = self.book.value(cell, data_only=False)
        return _View(value, data_type, self.links.get((row, col)))

    def cell_edits(self) -> list[CellEdit]:
        return [
            CellEdit(self.ws.name, f"{column_letter(c)}{r}", v) for (r, c), v in self.pending.items()
        ]

    def row_appends(self) -> list[RowAppend]:
        min_col, _, max_col, _ = self.table.bounds
        out = []
        sized, widths = self._sized(), self._widths()
        for cols in (*self.appended.values(), *self.extra):
            values = tuple(cols.get(c) for c in range(min_col, max_col + 1))
            height = row_height({c: v for c, v in cols.items() if c in sized}, widths)
            out.append(RowAppend(self.ws.name, self.table.display_name, values, height))
        return out

    def row_heights(self) -> list[RowHeight]:
        """The height each row with a cell edit needs for its text, new values and old."""
        sized, widths = self._sized(), self._widths()
        out = []
        for row in sorted({r for r, _ in self.pending}):
            values = {}
            for col in sized:
                values[col] = self.pending[(row, col)] if (row, col) in self.pending else self._view(row, col).value
            out.append(RowHeight(self.ws.name, row, row_height(values, widths)))
        return out

    def _sized(self) -> dict[int, str]:
        """Column -> header, for the sheet's own columns (what a row is sized by)."""
        return {self.header.column(h): h for h in SHEET_ORDER.get(self.ws.name, ()) if self.header.column(h)}

    def _widths(self) -> dict[int, float]:
        return {c: self.ws.widths.get(c) or column_width(h) for c, h in self._sized().items()}


_HYPERLINK = re.compile(r'^HYPERLINK\(\s*"((?:[^"]|"")*)"\s*,\s*"((?:[^"]|"")*)"\s*\)$', re.IGNORECASE)


def _key(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())


def _links(ws: Sheet) -> tuple[dict[tuple[int, int], _Target], set[tuple[int, int]]]:
    """Each cell's hyperlink target, as openpyxl binds them (a range's link to each cell), and
    the cells whose link spans several cells."""
    out, ranged = {}, set()
    for link in ws.hyperlinks:
        if not link.ref:
            continue
        c1, r1, c2, r2 = range_bounds(link.ref)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                out[(r, c)] = _Target(link.target)
                if (c1, r1) != (c2, r2):
                    ranged.add((r, c))
    return out, ranged

