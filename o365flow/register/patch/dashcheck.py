"""Is the Dashboard as o365flow would write it? Asked before the quick path patches cells, so a
Dashboard a person typed over, or one that must now list another agency, goes through the full
rewrite that puts it right (``dashboard.refresh_dashboard``)."""

from __future__ import annotations

from o365flow.core.columns import (
    ACTIONS_SHEET,
    CASES_SHEET,
    DASHBOARD_SHEET,
    SIGNOFFS_SHEET,
)
from o365flow.register.headers import HEADER_SCAN_ROWS, find_header, header_key
from o365flow.register.read.book import Book, split_ref


def listed_agencies(book: Book, agencies: tuple[str, ...]) -> set[str]:
    """The agency codes the Dashboard lists: the configured ones and those on Sign-offs."""
    sheet = book.sheet(SIGNOFFS_SHEET)
    header = find_header(book.row_values(sheet, n, data_only=False) for n in range(1, HEADER_SCAN_ROWS + 1))
    codes = set(agencies)
    col = header.column("Agency") if header else None
    if col:
        for r in sheet.rows:
            if r > header.row:
                value = book.value(sheet.rows[r].get(col), data_only=False)[0]
                if value not in (None, ""):
                    codes.add(str(value))
    return codes


def dashboard_current(book: Book, agencies: tuple[str, ...], amber_days: int) -> bool:
    from o365flow.register.rewrite.dashboard import content, dashboard_agencies
    from o365flow.register.rewrite.dashboard_sheet import IN_ARRAY, Formula
    from o365flow.register.rewrite.figures import Figures, Source

    sources = []
    for name in (CASES_SHEET, SIGNOFFS_SHEET, ACTIONS_SHEET):
        sheet = book.sheet(name)
        header = find_header(book.row_values(sheet, n, data_only=False) for n in range(1, HEADER_SCAN_ROWS + 1))
        if header is None or not sheet.tables:
            return False
        table = sheet.tables[0]
        last = max(sheet.rows, default=header.row)
        sources.append(Source(name, table.display_name, {header_key(c): c for c in table.columns},
                              dict(header.columns), header.row + 1, last))
    codes = listed_agencies(book, ())
    want = content(Figures(*sources, amber_days), dashboard_agencies(agencies, codes), amber_days)
    dash = book.sheet(DASHBOARD_SHEET)
    for coord, (value, _style) in want.cells.items():
        if value is IN_ARRAY:
            continue
        col, row = split_ref(coord)
        cell = dash.cell(row, col)
        if isinstance(value, Formula):
            if cell is None or cell[3] is None or cell[3] != value.removeprefix("="):
                return False
        elif book.value(cell, data_only=False)[0] != value:
            return False
    # The chart lives in a drawing of the sheet's own.
    return any(kind.endswith("/drawing") for kind, _target, _mode in book.sheet_rels(DASHBOARD_SHEET).values())
