"""Which cells of an existing register must change, found without loading it into openpyxl.

``plan_edits`` compares the worker's rows with the workbook's XML sheet by sheet (``sheetplan``)
and lists the differences as ``RegisterEdits``: cell by cell for rows already there, a
``RowAppend`` for each new row, and the height each row written needs for its text. It returns
None, on purpose and for these reasons only, when only a full openpyxl rewrite gives the right
file: a sheet, table, header row or contract column missing; rows to delete or move; a formula
or a link spanning cells to overwrite; content below a table; the Lists sheet (and so the
dropdowns or the layout version) not as the rewrite would leave it.
"""

from __future__ import annotations

from collections.abc import Mapping

from o365flow.register.lists import LISTS_SHEET, list_columns, list_ranges
from o365flow.register.model import CellEdit, RegisterEdits, RowAppend, RowHeight
from o365flow.register.patch.sheetplan import SheetPlan, SheetRows, written_view
from o365flow.register.read.book import Book, open_book

__all__ = ["SheetRows", "lists_current", "plan_edits", "written_view"]


def plan_edits(
    data: bytes | Book,
    sheets: Mapping[str, SheetRows],
    *,
    decisions: tuple[str, ...] | None = None,
    agencies: tuple[str, ...] = (),
) -> RegisterEdits | None:
    """The edits that make workbook ``data`` hold ``sheets``' rows (empty: nothing to change),
    or None when the file needs a full rewrite (``update_register``).

    With ``decisions`` given, also None when the Lists sheet would change (its dropdown lists,
    ``agencies`` among them, or the layout version). A workbook the reader cannot parse raises
    ``UnreadableWorkbook``; a value that cannot be written raises ``ValueError``.
    """
    book = data if isinstance(data, Book) else open_book(data)
    if decisions is not None and not lists_current(book, decisions, agencies):
        return None
    cells: list[CellEdit] = []
    rows: list[RowAppend] = []
    heights: list[RowHeight] = []
    for spec in sheets.values():
        if not spec.rows:
            continue
        planned = SheetPlan.make(book, spec)
        if planned is None or not planned.add(spec):
            return None
        cells += planned.cell_edits()
        rows += planned.row_appends()
        heights += planned.row_heights()
    return RegisterEdits(tuple(cells), tuple(rows), tuple(heights))


def lists_current(book: Book, decisions: tuple[str, ...], agencies: tuple[str, ...]) -> bool:
    """Whether ``rewrite.lists.write_lists`` would find the Lists sheet and its defined names
    as they are."""
    if LISTS_SHEET not in book.sheet_paths:
        return False
    ws = book.sheet(LISTS_SHEET)
    columns = list_columns(decisions, agencies)
    max_row = max(ws.rows, default=1)
    width = max([len(columns), *(max(cells, default=0) for cells in ws.rows.values())])
    titles = list(columns.items())
    for col in range(1, width + 1):
        wanted = (titles[col - 1][0], *titles[col - 1][1]) if col <= len(titles) else ()
        have = tuple(
            book.value(ws.cell(r, col), data_only=False)[0] for r in range(1, max(len(wanted), max_row) + 1)
        )
        if have != wanted + (None,) * (len(have) - len(wanted)):
            return False
    for name, cells in list_ranges(columns).items():
        text = book.defined_names.get(name, "")
        sheet, _, where = text.rpartition("!")
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        if sheet != LISTS_SHEET or where != cells:
            return False
    return True
