"""How the register looks, written with openpyxl: a new workbook's sheets and tables, header
colours and notes, column widths, body cell formats, row heights and the print setup.

What is laid out here is applied when a workbook, sheet or column is created, and again once
when the register's layout version (``register.layout.LAYOUT_VERSION``) moves on
(``relayout``); the dropdowns and colour rules are in ``rules``.
"""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from o365flow.core.columns import DATE_COLUMNS, FILLED_WHEN_BLANK
from o365flow.register.layout import (
    CENTRED,
    DATETIME_COLUMNS,
    FREEZE,
    HEADER_HEIGHT,
    LINE_HEIGHT,
    PAGES_WIDE,
    SHEET_ORDER,
    TABLE_NAMES,
    TABLE_SHEETS,
    WORKER_COLUMNS,
    column_width,
    row_height,
    text_lines,
)
from o365flow.register.rewrite.lists import write_lists
from o365flow.register.rewrite.rules import add_column_rules
from o365flow.register.sheets import BY_NAME
from o365flow.register.values import DATE_FORMAT, DATETIME_FORMAT

WORKER_FILL = PatternFill("solid", start_color="D9E1F2")  # grey-blue: o365flow's columns
PERSON_FILL = PatternFill("solid", start_color="FFF2CC")  # pale yellow: people's columns
HEADER_FONT = Font(name="Calibri", size=11, bold=True, color="1F1F1F")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
HEADER_BORDER = Border(bottom=Side(style="medium", color="7F7F7F"))
# Every body cell wraps, so text longer than its column shows on further lines rather than
# being cut off by the next column; dates and short codes are centred.
BODY_ALIGN = Alignment(vertical="top", wrap_text=True)
CENTRED_ALIGN = Alignment(vertical="top", horizontal="center", wrap_text=True)

WORKER_NOTE = "Filled in by o365flow: your edits here are replaced on the next pass."
PERSON_NOTE = "Yours to edit: o365flow reads this column and never overwrites it."
FILLED_NOTE = "Yours to edit: o365flow fills this in only when it is blank, and never changes what you typed."
DATE_NOTE = " Type a date such as 14/02/2026."


def new_workbook(decisions: tuple[str, ...], amber_days: int, agencies: tuple[str, ...] = (),
                 board: str = "") -> Workbook:
    """An empty register with its table sheets (Cases, Sign-offs, Actions, Audit) and a hidden
    Lists sheet. The Dashboard is added in front of them by ``dashboard.refresh_dashboard``."""
    wb = Workbook()
    wb.properties.creator = "o365flow"
    wb.properties.lastModifiedBy = "o365flow"
    first = wb.active
    first.title = TABLE_SHEETS[0]
    new_sheet(first, amber_days, board=board)
    for sheet in TABLE_SHEETS[1:]:
        new_sheet(wb.create_sheet(sheet), amber_days, board=board)
    write_lists(wb, decisions, agencies)
    return wb


def new_sheet(ws: Worksheet, amber_days: int, table_name: str | None = None, board: str = "") -> None:
    """Headers, one blank row, the table, frozen panes, rules and print setup for ``ws``."""
    order = SHEET_ORDER[ws.title]
    for col, header in enumerate(order, start=1):
        ws.cell(1, col, header)
        style_header(ws, 1, col)
        format_body_cell(ws, 2, col, header)
    last = get_column_letter(len(order))
    # Excel needs at least one body row in a table's range: an empty register has one blank row.
    table = Table(displayName=table_name or TABLE_NAMES[ws.title], ref=f"A1:{last}2")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = FREEZE[ws.title]
    columns = {header: col for col, header in enumerate(order, start=1)}
    fit_header(ws, 1, columns)
    print_setup(ws, 1, board)
    for header, col in columns.items():
        add_column_rules(ws, header, col, 1, columns, amber_days)


def print_setup(ws: Worksheet, header_row: int, board: str) -> None:
    """Landscape A4, one page wide (the Cases sheet three, each with the Reference column), the
    header row on every page, the board and sheet at the top and the date printed and page
    number at the foot."""
    ws.print_title_rows = f"{header_row}:{header_row}"
    wide = PAGES_WIDE.get(ws.title, 1)
    if wide > 1:
        ws.print_title_cols = "A:A"
        ws.page_setup.pageOrder = "overThenDown"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = wide
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25
    title = f"{board}: {ws.title}" if board else f"Practice review register: {ws.title}"
    ws.oddHeader.center.text = "&B" + title.replace("&", "&&")
    ws.oddFooter.left.text = "Printed &D"
    ws.oddFooter.right.text = "Page &P of &N"


def style_header(ws: Worksheet, row: int, col: int) -> None:
    """Colour, note and width for the header at (row, col), by who owns the column."""
    cell = ws.cell(row, col)
    header = str(cell.value)
    sheet = ws.title
    spec = BY_NAME.get(sheet)
    if spec is not None and spec.note:
        fill, note = WORKER_FILL, spec.note
    elif header in WORKER_COLUMNS.get(sheet, ()):
        fill, note = WORKER_FILL, WORKER_NOTE
    elif header in FILLED_WHEN_BLANK.get(sheet, ()):
        fill, note = PERSON_FILL, FILLED_NOTE
    else:
        fill, note = PERSON_FILL, PERSON_NOTE
    if header in DATE_COLUMNS and fill is PERSON_FILL:
        note += DATE_NOTE
    cell.fill, cell.font, cell.alignment, cell.border = fill, HEADER_FONT, HEADER_ALIGN, HEADER_BORDER
    cell.comment = Comment(f"{header}\n{note}", "o365flow", height=110, width=230)
    ws.column_dimensions[get_column_letter(col)].width = column_width(header)


def format_body_cell(ws: Worksheet, row: int, col: int, header: str) -> None:
    """Number format and alignment of a body cell, so what people type looks right."""
    cell = ws.cell(row, col)
    if header in DATETIME_COLUMNS:
        cell.number_format = DATETIME_FORMAT
    elif header in DATE_COLUMNS:
        cell.number_format = DATE_FORMAT
    if header in DATE_COLUMNS or header in DATETIME_COLUMNS or header in CENTRED:
        cell.alignment = CENTRED_ALIGN
    else:
        cell.alignment = BODY_ALIGN


def widths(ws: Worksheet, columns: Mapping[str, int]) -> dict[str, float]:
    """Header -> the column's width as the sheet has it now."""
    out = {}
    for header, col in columns.items():
        dim = ws.column_dimensions.get(get_column_letter(col))
        out[header] = (dim.width if dim is not None and dim.width else None) or column_width(header)
    return out


def fit_row(ws: Worksheet, row: int, columns: Mapping[str, int], sizes: Mapping[str, float] | None = None) -> None:
    """Make ``row`` as tall as its wrapped text needs (``layout.row_height``)."""
    sizes = widths(ws, columns) if sizes is None else sizes
    values = {header: ws.cell(row, col).value for header, col in columns.items()}
    ws.row_dimensions[row].height = row_height(values, sizes)


def fit_header(ws: Worksheet, row: int, columns: Mapping[str, int]) -> None:
    """The header row tall enough for its longest wrapped header (at least three lines' room)."""
    sizes = widths(ws, columns)
    lines = max((text_lines(h, sizes[h]) for h in columns), default=1)
    ws.row_dimensions[row].height = max(HEADER_HEIGHT, LINE_HEIGHT * lines + 2)


__all__ = [
    "HEADER_FONT",
    "WORKER_FILL",
    "fit_header",
    "fit_row",
    "format_body_cell",
    "new_sheet",
    "new_workbook",
    "print_setup",
    "style_header",
    "widths",
    "write_lists",
]
