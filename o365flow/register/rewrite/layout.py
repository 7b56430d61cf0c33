"""How the register looks: a new workbook's sheets, tables, header colours and notes, column
widths, date formats, the Decision dropdown and the RAG / deadline colours.

Everything here is applied when a workbook or a column is created; after that the sheets are the
coordinators', and the worker only writes cell values (see ``write``).
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from o365flow.core.columns import (
    ACTIONS_COLUMNS,
    ACTIONS_SHEET,
    AUDIT_COLUMNS,
    AUDIT_SHEET,
    CASES_ORDER,
    CASES_SHEET,
    CASES_WORKER,
    DATE_COLUMNS,
    FILLED_WHEN_BLANK,
    RAG_VALUES,
    SIGNOFFS_ORDER,
    SIGNOFFS_SHEET,
    SIGNOFFS_WORKER,
)
from o365flow.register.rewrite.lists import DECISION_LIST_NAME, LISTS_SHEET, write_lists
from o365flow.register.values import DATE_FORMAT, DATETIME_FORMAT

__all__ = [
    "DECISION_LIST_NAME",
    "LISTS_SHEET",
    "write_lists",
]  # kept importable from here

# The table sheets in the order a new register shows them (after the Dashboard).
TABLE_SHEETS = (CASES_SHEET, SIGNOFFS_SHEET, ACTIONS_SHEET, AUDIT_SHEET)
TABLE_NAMES = {
    CASES_SHEET: "Cases",
    SIGNOFFS_SHEET: "SignOffs",
    ACTIONS_SHEET: "Actions",
    AUDIT_SHEET: "Audit",
}
SHEET_ORDER = {
    CASES_SHEET: CASES_ORDER,
    SIGNOFFS_SHEET: SIGNOFFS_ORDER,
    ACTIONS_SHEET: ACTIONS_COLUMNS,
    AUDIT_SHEET: AUDIT_COLUMNS,
}
WORKER_COLUMNS = {
    CASES_SHEET: frozenset(CASES_WORKER),
    SIGNOFFS_SHEET: frozenset(SIGNOFFS_WORKER),
    ACTIONS_SHEET: frozenset(ACTIONS_COLUMNS),
    AUDIT_SHEET: frozenset(AUDIT_COLUMNS),
}
FREEZE = {
    CASES_SHEET: "B2",
    SIGNOFFS_SHEET: "C2",
    ACTIONS_SHEET: "C2",
    AUDIT_SHEET: "A2",
}
# Date-times (the Audit's "When"), shown with the time of day.
DATETIME_COLUMNS = frozenset({"When"})
# What an action's Progress says once it is done: such an action is never flagged overdue.
DONE_WORDS = ("complete", "completed", "done", "green")
# Data validation and colour rules cover the whole column below the header, so rows a person
# adds in Excel or LibreOffice (or the worker appends) get them too.
LAST_ROW = 1048576

WORKER_FILL = PatternFill(
    "solid", start_color="D9E1F2"
)  # grey-blue: o365flow's columns
PERSON_FILL = PatternFill(
    "solid", start_color="FFF2CC"
)  # pale yellow: people's columns
HEADER_FONT = Font(name="Calibri", size=11, bold=True, color="1F1F1F")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
HEADER_BORDER = Border(bottom=Side(style="medium", color="7F7F7F"))
BODY_ALIGN = Alignment(vertical="top")
# Dates and counts centred, so they do not run into the left-aligned text beside them.
CENTRED_ALIGN = Alignment(vertical="top", horizontal="center")
CENTRED = frozenset({"Sign-offs outstanding", "Kind", "RAG", "Agency", "Item"})
# Long free text, wrapped so a whole sentence shows without a very wide column.
WRAPPED = frozenset(
    {"Notes", "Recommendation", "Action", "Evidence of outcome", "What", "Why"}
)
NOTES_ALIGN = Alignment(vertical="top", wrap_text=True)
HEADER_HEIGHT = 46  # points: three lines of wrapped header text

WORKER_NOTE = "Filled in by o365flow: your edits here are replaced on the next pass."
PERSON_NOTE = "Yours to edit: o365flow reads this column and never overwrites it."
FILLED_NOTE = (
    "Yours to edit: o365flow fills this in only when it is blank, "
    "and never changes what you typed."
)
DATE_NOTE = " Type a date such as 14/02/2026."
AUDIT_NOTE = (
    "Filled in by o365flow: one row for each change it made, when and why. "
    "Rows are only ever added, never changed."
)

WIDTHS = {
    "Reference": 20,
    "Kind": 7,
    "Subject initials": 9,
    "Referring agency": 34,
    "Decision": 16,
    "Stage": 20,
    "Next deadline is": 30,
    "RAG": 8,
    "Sign-offs outstanding": 12,
    "Reviewers": 20,
    "Panel members": 24,
    "Hold reason": 20,
    "Folder": 20,
    "Notes": 50,
    "Agency": 10,
    "Agency name": 34,
    "Signed off by": 20,
    "How": 14,
    "Item": 6,
    "Recommendation": 32,
    "Action": 36,
    "Lead agency": 12,
    "Lead officer": 16,
    "Progress": 13,
    "Evidence of outcome": 30,
    "When": 17,
    "What": 50,
    "Why": 40,
}
DATE_WIDTH = 12
DEFAULT_WIDTH = 14

RED = (
    PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE"),
    Font(color="9C0006"),
)
AMBER = (
    PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C"),
    Font(color="9C5700"),
)
GREEN = (
    PatternFill("solid", start_color="C6EFCE", end_color="C6EFCE"),
    Font(color="006100"),
)


def new_workbook(decisions: tuple[str, ...], amber_days: int) -> Workbook:
    """An empty register with its table sheets (Cases, Sign-offs, Actions, Audit) and a hidden
    Lists sheet. The Dashboard is added in front of them by ``dashboard.refresh_dashboard``."""
    wb = Workbook()
    wb.properties.creator = "o365flow"
    wb.properties.lastModifiedBy = "o365flow"
    first = wb.active
    first.title = TABLE_SHEETS[0]
    new_sheet(first, amber_days)
    for sheet in TABLE_SHEETS[1:]:
        new_sheet(wb.create_sheet(sheet), amber_days)
    write_lists(wb, decisions)
    return wb


def new_sheet(ws: Worksheet, amber_days: int, table_name: str | None = None) -> None:
    """Headers, one blank row, the table, frozen panes and rules for ``ws`` (a table sheet)."""
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
    ws.row_dimensions[1].height = HEADER_HEIGHT
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    # Printed, the Cases sheet spans two landscape pages across rather than five.
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 2 if len(order) > 12 else 1
    ws.page_setup.fitToHeight = 0
    columns = {header: col for col, header in enumerate(order, start=1)}
    for header, col in columns.items():
        add_column_rules(ws, header, col, 1, columns, amber_days)


def style_header(ws: Worksheet, row: int, col: int) -> None:
    """Colour, note and width for the header at (row, col), by who owns the column."""
    cell = ws.cell(row, col)
    header = str(cell.value)
    sheet = ws.title
    if sheet == AUDIT_SHEET:
        fill, note = WORKER_FILL, AUDIT_NOTE
    elif header in WORKER_COLUMNS.get(sheet, ()):
        fill, note = WORKER_FILL, WORKER_NOTE
    elif header in FILLED_WHEN_BLANK.get(sheet, ()):
        fill, note = PERSON_FILL, FILLED_NOTE
    else:
        fill, note = PERSON_FILL, PERSON_NOTE
    if header in DATE_COLUMNS and fill is PERSON_FILL:
        note += DATE_NOTE
    cell.fill, cell.font, cell.alignment, cell.border = (
        fill,
        HEADER_FONT,
        HEADER_ALIGN,
        HEADER_BORDER,
    )
    cell.comment = Comment(f"{header}\n{note}", "o365flow", height=110, width=230)
    if header in DATETIME_COLUMNS:
        width = WIDTHS[header]
    elif header in DATE_COLUMNS:
        width = DATE_WIDTH
    else:
        width = WIDTHS.get(header, DEFAULT_WIDTH)
    ws.column_dimensions[get_column_letter(col)].width = width


def format_body_cell(ws: Worksheet, row: int, col: int, header: str) -> None:
    """Number format and alignment of an empty body cell, so what people type looks right."""
    cell = ws.cell(row, col)
    if header in DATETIME_COLUMNS:
        cell.number_format = DATETIME_FORMAT
    elif header in DATE_COLUMNS:
        cell.number_format = DATE_FORMAT
    if header in WRAPPED:
        cell.alignment = NOTES_ALIGN
    elif header in DATE_COLUMNS or header in DATETIME_COLUMNS or header in CENTRED:
        cell.alignment = CENTRED_ALIGN
    else:
        cell.alignment = BODY_ALIGN


def add_column_rules(
    ws: Worksheet,
    header: str,
    col: int,
    header_row: int,
    columns: dict[str, int],
    amber_days: int,
) -> None:
    """The dropdown or colour rules a column carries (Decision, RAG, Next deadline on Cases;
    Target date on Actions)."""
    letter = get_column_letter(col)
    first = header_row + 1
    area = f"{letter}{first}:{letter}{LAST_ROW}"
    if ws.title == ACTIONS_SHEET:
        if header == "Target date":
            _overdue_action_rule(
                ws, area, f"{letter}{first}", columns.get("Progress"), first
            )
        return
    if ws.title != CASES_SHEET:
        return
    if header == "Decision":
        dv = DataValidation(
            type="list",
            formula1=DECISION_LIST_NAME,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Decision",
            error="Choose the Chair's decision from the list (see the Lists sheet), or leave it blank.",
        )
        dv.add(area)
        ws.add_data_validation(dv)
    elif header == "RAG":
        for value, (fill, font) in zip(RAG_VALUES, (RED, AMBER, GREEN)):
            ws.conditional_formatting.add(
                area,
                CellIsRule(
                    operator="equal", formula=[f'"{value}"'], fill=fill, font=font
                ),
            )
    elif header == "Next deadline":
        cell = f"{letter}{first}"
        # Coloured from the date itself so the colour stays right on days no pass runs; a case
        # the worker shows no RAG for (on hold, closed) is left uncoloured.
        rag = columns.get("RAG")
        live = f'${get_column_letter(rag)}{first}<>"",' if rag else ""
        tests = (f"{cell}<TODAY()", f"{cell}<=TODAY()+{int(amber_days)}", "TRUE")
        for test, (fill, font) in zip(tests, (RED, AMBER, GREEN)):
            rule = FormulaRule(
                formula=[f"AND(ISNUMBER({cell}),{live}{test})"],
                fill=fill,
                font=font,
                stopIfTrue=True,
            )
            ws.conditional_formatting.add(area, rule)


def _overdue_action_rule(
    ws: Worksheet, area: str, cell: str, progress: int | None, first: int
) -> None:
    """Red while an action's target date has passed and its Progress does not say it is done.
    Comparisons ignore case in Excel and LibreOffice alike, so "Complete" counts as done."""
    done = ""
    if progress:
        p = f"TRIM(${get_column_letter(progress)}{first})"
        done = "," + ",".join(f'{p}<>"{word}"' for word in DONE_WORDS)
    rule = FormulaRule(
        formula=[f"AND(ISNUMBER({cell}),{cell}<TODAY(){done})"],
        fill=RED[0],
        font=RED[1],
        stopIfTrue=True,
    )
    ws.conditional_formatting.add(area, rule)
