"""Reading a Word table by its column labels, the way people actually edit tables.

The table wanted is found by its header row: each wanted column has a label and synonyms, and a
header cell matches when it says the same thing with case, punctuation, spacing and a trailing
note such as "(dd/mm/yyyy)" ignored. Tables nested in cells or wrapped in content controls are
found too. Merged cells are expanded over the grid: a cell merged across columns belongs to the
first wanted column it covers, and a cell merged down several rows gives its text to each row.
Blank rows and repeated header rows are skipped. Pure: bytes in, values out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from o365flow.errors import DocumentError
from o365flow.documents.ooxml import (
    cell_span,
    grid_before,
    iter_tables,
    open_body,
    row_cells,
    table_rows,
    vertical_merge,
    visible_text,
    w,
)
from o365flow.documents.referral import PLACEHOLDER_TEXTS

# How far down a table its header row may sit (below a title row or two).
HEADER_SEARCH_ROWS = 5


@dataclass(frozen=True)
class Column:
    """A wanted column: ``key`` in the values returned, the template's ``label`` first, then the
    other ways people head it."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = True

    @cached_property
    def wanted(self) -> frozenset[str]:
        return frozenset({label_key(self.label), *(label_key(s) for s in self.synonyms)})

    def matches(self, header: str) -> bool:
        return label_key(header) in self.wanted


@dataclass(frozen=True)
class TableRow:
    """One data row. ``row`` is its 1-based position in the table as Word shows it (the header
    row included), for messages; ``values`` maps each column key to its text ("" when blank or
    the column is absent). ``full_width`` is True when one cell covers every wanted column (a
    section heading row); its text is in the first column's value."""

    row: int
    values: dict[str, str]
    full_width: bool = False


@dataclass(frozen=True)
class Table:
    """The table found: ``index`` its 1-based position among the document's tables (nested ones
    counted in document order), ``header_row`` the row its header is on, ``columns`` the keys
    whose header was found, and its data ``rows``."""

    index: int
    header_row: int
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]


_NOTE = re.compile(r"(\s*(\*+|\([^()]*\)|\[[^\[\]]*\]))+$")
_NON_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=4096)  # the same few hundred header texts are asked for again and again
def label_key(text: str) -> str:
    """A header label reduced to what it says: first line, a trailing "*" or "(note)" dropped,
    "&" read as "and", case, punctuation and spacing ignored. "Progress / RAG" -> "progress rag"."""
    first = str(text).strip().split("\n", 1)[0].lower().replace("&", " and ")
    first = _NOTE.sub("", first.strip())
    return " ".join(_NON_WORD.sub(" ", first).split())


@dataclass(frozen=True)
class _Cell:
    start: int  # first grid column
    span: int
    text: str
    own: bool  # False when the text was carried down from a vertical merge above


def _cell_text(cell) -> str:
    text = visible_text(cell)
    return "" if text.lower() in PLACEHOLDER_TEXTS else text


def _grid(table) -> list[list[_Cell]]:
    """Each row's cells placed on the table grid, vertical merges filled from above; a row
    deleted with track changes is an empty row."""
    above: dict[int, str] = {}  # grid column -> text of the merge that started there
    grid = []
    for tr in table_rows(table, deleted=True):
        if tr.find(f"{w('trPr')}/{w('del')}") is not None:
            # Deleted with track changes: Word still shows it struck through, so it keeps its
            # place in the row count, but what it says is gone.
            grid.append([])
            continue
        column = grid_before(tr)
        cells = []
        for tc in row_cells(tr):
            span = cell_span(tc)
            merge = vertical_merge(tc)
            text = _cell_text(tc)
            if merge == "continue":
                cells.append(_Cell(column, span, above.get(column, text) or text, own=not above.get(column)))
            else:
                if merge == "restart":
                    above[column] = text
                else:
                    above.pop(column, None)
                cells.append(_Cell(column, span, text, own=True))
            column += span
        grid.append(cells)
    return grid


def _header_map(cells: list[_Cell], columns: Sequence[Column]) -> dict[str, tuple[int, int]]:
    """Column key -> (start, span) of the header cell naming it; the first match wins."""
    found: dict[str, tuple[int, int]] = {}
    for cell in cells:
        for column in columns:
            if column.key not in found and column.matches(cell.text):
                found[column.key] = (cell.start, cell.span)
                break
    return found


def _values(cells: list[_Cell], header: dict[str, tuple[int, int]]) -> tuple[dict[str, str], bool, bool]:
    """(values, has own text, full width) of one row under ``header``."""
    values: dict[str, list[str]] = {key: [] for key in header}
    own = False
    first_key = min(header, key=lambda k: header[k][0])
    full_width = False
    for cell in cells:
        covered = [k for k, (start, _) in header.items() if cell.start <= start < cell.start + cell.span]
        starts_in = [k for k, (start, span) in header.items() if start <= cell.start < start + span]
        key = starts_in[0] if starts_in else (min(covered, key=lambda k: header[k][0]) if covered else None)
        if key is None or not cell.text:
            continue
        if cell.own:
            own = True
        values[key].append(cell.text)
        if len(covered) == len(header) and len(header) > 1:
            full_width = True
            values = {k: [] for k in header}
            values[first_key] = [cell.text]
            break
    return {k: "\n".join(v) for k, v in values.items()}, own, full_width


def find_table(data: bytes, source: str, columns: Sequence[Column]) -> Table:
    """The table whose header row (within its first rows) names every required column, read
    into rows; see ``table_in`` for which one when several do. Raises ``DocumentError`` naming ``source``, the columns missing and the fix when
    no table has them, or when the bytes are not a readable ``.docx``."""
    return table_in(open_body(data, source), source, columns)


def table_in(body, source: str, columns: Sequence[Column]) -> Table:
    """``find_table`` over an already opened document body (a ``w:body`` element). When several
    tables qualify, the one naming the most wanted columns wins (a version table headed "Date"
    before a timeline does not), then the first."""
    found: Table | None = None
    closest: tuple[int, list[str]] | None = None  # (table number, missing labels)
    for index, table in enumerate(iter_tables(body), start=1):
        grid = _grid(table)
        for position, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
            header = _header_map(cells, columns)
            missing = [c.label for c in columns if c.required and c.key not in header]
            if not missing:
                if found is None or len(header) > len(found.columns):
                    keys = tuple(c.key for c in columns if c.key in header)
                    found = Table(index, position + 1, keys, tuple(_data_rows(grid, position, header, columns)))
                break
            if len(header) >= 2 and (closest is None or len(missing) < len(closest[1])):
                closest = (index, missing)
    if found is not None:
        return found
    wanted = ", ".join(c.label for c in columns if c.required)
    if closest is None:
        raise DocumentError(f"{source}: no table headed {wanted}; put the template's table back "
                            "with its header row")
    raise DocumentError(f"{source}: table {closest[0]} has no column headed {', '.join(closest[1])}; "
                        f"head the columns {wanted} as in the template")


def _data_rows(grid, header_position: int, header, columns) -> list[TableRow]:
    rows = []
    for position in range(header_position + 1, len(grid)):
        cells = grid[position]
        if _header_map(cells, columns) == header:
            continue  # the header repeated (a table pasted twice, or split over pages by hand)
        values, own, full_width = _values(cells, header)
        if not own:
            continue  # blank, or only the continuation of a merged cell
        for column in columns:
            values.setdefault(column.key, "")
        rows.append(TableRow(position + 1, values, full_width))
    return rows
