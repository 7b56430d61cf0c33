"""The parts of an .xlsx workbook as the reader keeps them: sheets, tables, hyperlinks and raw
cells, the namespaces they are found under, and A1 addresses. Pure data."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from o365flow.register.read.xlsxvalues import column_number

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = DOC_REL + "/officeDocument"
_M = "{%s}" % MAIN
_ROW, _C, _V, _F, _IS, _T, _R = (_M + t for t in ("row", "c", "v", "f", "is", "t", "r"))
_HYPERLINK = _M + "hyperlink"
_RID = "{%s}id" % DOC_REL


class UnreadableWorkbook(ValueError):
    """The bytes are not an .xlsx workbook this module can read (the message names the part)."""


# One cell as stored: (value, kind, style, formula). ``value`` is the text of ``<v>`` (shared
# strings resolved, inline strings joined), ``kind`` the stored type (``n``, ``s``, ``b``, ``e``,
# ``d``, ``inlineStr`` without text), ``style`` the cellXfs index, ``formula`` the formula text or
# None. A plain tuple: a large register has 100,000 of them.
RawCell = tuple
VALUE, KIND, STYLE, FORMULA = range(4)


@dataclass(frozen=True)
class TablePart:
    """An Excel table (``xl/tables/*.xml``) on a sheet."""

    name: str
    display_name: str
    ref: str
    path: str
    columns: tuple[str, ...]
    header_rows: int = 1
    totals_rows: int = 0

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        """(min_col, min_row, max_col, max_row), 1-based."""
        return range_bounds(self.ref)


@dataclass(frozen=True)
class Hyperlink:
    ref: str
    target: str | None
    location: str | None
    rel_id: str | None


@dataclass
class Sheet:
    """One worksheet: ``rows`` maps row number -> {column number: RawCell}, for the cells that
    hold a value or a formula (empty formatted cells are left out)."""

    name: str
    path: str
    rows: dict[int, dict[int, RawCell]]
    tables: list[TablePart]
    hyperlinks: list[Hyperlink]
    rels: dict[str, tuple[str, str, str | None]]  # id -> (type, target, target mode)
    positional: bool  # every row and cell carries its address (what patching relies on)
    widths: dict[int, float] = field(default_factory=dict)  # column number -> width, where set

    def cell(self, row: int, col: int) -> RawCell | None:
        return self.rows.get(row, {}).get(col)



def range_bounds(ref: str) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) of an A1 range such as ``A1:AD40`` (or one cell)."""
    first, _, last = ref.replace("$", "").partition(":")
    last = last or first
    c1, r1 = split_ref(first)
    c2, r2 = split_ref(last)
    return c1, r1, c2, r2


def split_ref(ref: str) -> tuple[int, int]:
    """(column, row) of an A1 cell address."""
    letters = ref.rstrip("0123456789")
    return column_number(letters), int(ref[len(letters):])


def rels_path(part: str) -> str:
    """Where the relationships of zip member ``part`` are kept."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")

