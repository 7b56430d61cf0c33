"""Which cells of an existing register must change, found without loading it into openpyxl.

``plan_edits`` compares the worker's rows with the workbook's XML exactly as ``SheetWriter.put``
does with openpyxl cells (rows matched by key, only the headers given compared, equality by
``values.same_value``), and lists the differences as ``RegisterEdits``: cell by cell for rows
already there, a ``RowAppend`` for each new row. It returns None whenever only a full openpyxl
rewrite gives the right file: a sheet, table, header row or contract column missing, rows to
delete or move, a formula to overwrite, a workbook written in an unusual way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from o365flow.core.columns import CASES_SHEET
from o365flow.register.headers import HEADER_SCAN_ROWS, find_header
from o365flow.register.rewrite.layout import SHEET_ORDER
from o365flow.register.rewrite.lists import DECISION_LIST_NAME, LISTS_SHEET
from o365flow.register.model import CellEdit, Link, RegisterEdits, RowAppend
from o365flow.register.read.book import Book, Sheet, TablePart, UnreadableWorkbook, open_book, range_bounds
from o365flow.register.values import ESCAPE_LIKE, clean_text, same_value
from o365flow.register.read.xlsxvalues import column_letter

_LIST_COLUMNS = ("Decisions", "RAG", "Yes/No")


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


def plan_edits(
    data: bytes | Book,
    sheets: Mapping[str, SheetRows],
    *,
    decisions: tuple[str, ...] | None = None,
    amber_days: int | None = None,
) -> RegisterEdits | None:
    """The edits that make workbook ``data`` hold ``sheets``' rows (empty: nothing to change),
    or None when the file needs a full rewrite (``update_register``).

    With ``decisions`` / ``amber_days`` given, also None when the Lists sheet or the deadline
    colours' amber window would change (``update_register`` refreshes those).
    """
    try:
        book = data if isinstance(data, Book) else open_book(data)
        if decisions is not None and not _lists_current(book, decisions):
            return None
        if amber_days is not None and not _amber_current(book, amber_days):
            return None
        cells: list[CellEdit] = []
        rows: list[RowAppend] = []
        for spec in sheets.values():
            if not spec.rows:
                continue
            planned = _SheetPlan.make(book, spec)
            if planned is None or not planned.add(spec):
                return None
            cells += planned.cell_edits()
            rows += planned.row_appends()
        return RegisterEdits(tuple(cells), tuple(rows))
    except (UnreadableWorkbook, KeyError, ValueError, IndexError):
        return None  # update_register reports what is wrong, in its own words


class _Target:
    __slots__ = ("target",)

    def __init__(self, target):
        self.target = target


class _View:
    """A cell as ``values.same_value`` looks at it: value, data type, hyperlink."""

    __slots__ = ("value", "data_type", "hyperlink")

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


class _SheetPlan:
    """One sheet's header, table, row index and the writes planned for it."""

    def __init__(self, book: Book, ws: Sheet, header, table: TablePart):
        self.book, self.ws, self.header, self.table = book, ws, header, table
        self.links, self.ranged = _links(ws)
        self.pending: dict[tuple[int, int], object] = {}
        self.appended: dict[tuple[str, ...], dict[int, object]] = {}
        self.extra: list[dict[int, object]] = []  # append-only rows
        self._index()

    @classmethod
    def make(cls, book: Book, spec: SheetRows) -> _SheetPlan | None:
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
        return [
            RowAppend(self.ws.name, self.table.display_name, tuple(cols.get(c) for c in range(min_col, max_col + 1)))
            for cols in (*self.appended.values(), *self.extra)
        ]


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


def _lists_current(book: Book, decisions: tuple[str, ...]) -> bool:
    """Whether ``write_lists`` would find the Lists sheet and its defined name as they are."""
    if LISTS_SHEET not in book.sheet_paths:
        return False
    ws = book.sheet(LISTS_SHEET)
    wanted_columns = (("Decisions", *decisions), ("RAG", "Red", "Amber", "Green"), ("Yes/No", "Yes", "No"))
    max_row = max(ws.rows, default=1)
    for col, wanted in enumerate(wanted_columns, start=1):
        have = tuple(
            book.value(ws.cell(r, col), data_only=False)[0]
            for r in range(1, max(len(wanted), max_row) + 1)
        )
        if have != wanted + (None,) * (len(have) - len(wanted)):
            return False
    text = book.defined_names.get(DECISION_LIST_NAME, "")
    sheet, _, cells = text.rpartition("!")
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet == LISTS_SHEET and cells == f"$A$2:$A${len(decisions) + 1}"


_AMBER = re.compile(r"TODAY\(\)\+(\d+)")
_CF_FORMULA = re.compile(r"<formula>([^<]*)</formula>")


def _amber_current(book: Book, amber_days: int) -> bool:
    """Whether the Cases sheet's deadline colours already use ``amber_days``."""
    if CASES_SHEET not in book.sheet_paths:
        return False
    xml = book.part(book.sheet_paths[CASES_SHEET]).decode("utf-8", "replace")
    end = xml.find("</sheetData>")
    tail = xml[end:] if end >= 0 else xml
    wanted = str(int(amber_days))
    return all(
        m.group(1) == wanted
        for formula in _CF_FORMULA.findall(tail)
        for m in _AMBER.finditer(formula)
    )
