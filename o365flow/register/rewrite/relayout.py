"""Laying out an existing register afresh when its layout version is older than this one's:
the rules and dropdowns o365flow owns replaced, body cells wrapped, every row sized to its text,
columns at least as wide as a new register's, and the print setup. Nothing a person typed is
changed, and rules they added on other columns are kept."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from o365flow.register.layout import column_width
from o365flow.register.rewrite.layout import (
    fit_header,
    fit_row,
    format_body_cell,
    print_setup,
    widths,
)
from o365flow.register.rewrite.rules import add_column_rules, clear_owned_rules
from o365flow.register.rewrite.sheetwriter import SheetWriter


def relayout(writer: SheetWriter, amber_days: int, board: str) -> None:
    """Bring the layout of ``writer``'s sheet up to date (its rows already written)."""
    ws, header = writer.ws, writer.header
    columns = {name: header.column(name) for name in writer.order if header.column(name)}
    for name, col in columns.items():
        dim = ws.column_dimensions[get_column_letter(col)]
        if (dim.width or 0) < column_width(name):
            dim.width = column_width(name)
    clear_owned_rules(ws, columns)
    for name, col in columns.items():
        add_column_rules(ws, name, col, header.row, columns, amber_days)
    sizes = widths(ws, columns)
    for row in range(header.row + 1, writer.next_row):
        for name, col in columns.items():
            format_body_cell(ws, row, col, name)
        fit_row(ws, row, columns, sizes)
    fit_header(ws, header.row, columns)
    print_setup(ws, header.row, board)
    writer.changed = True
