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
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from o365flow.columns import (
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
from o365flow.register.values import DATE_FORMAT

LISTS_SHEET = "Lists"
DECISION_LIST_NAME = "DecisionList"
TABLE_NAMES = {CASES_SHEET: "Cases", SIGNOFFS_SHEET: "SignOffs"}
SHEET_ORDER = {CASES_SHEET: CASES_ORDER, SIGNOFFS_SHEET: SIGNOFFS_ORDER}
WORKER_COLUMNS = {
    CASES_SHEET: frozenset(CASES_WORKER),
    SIGNOFFS_SHEET: frozenset(SIGNOFFS_WORKER),
}
FREEZE = {CASES_SHEET: "B2", SIGNOFFS_SHEET: "C2"}
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
CENTRED = frozenset({"Sign-offs outstanding", "Kind", "RAG", "Agency"})
NOTES_ALIGN = Alignment(vertical="top", wrap_text=True)
HEADER_HEIGHT = 46  # points: three lines of wrapped header text

WORKER_NOTE = "Filled in by o365flow: your edits here are replaced on the next pass."
PERSON_NOTE = "Yours to edit: o365flow reads this column and never overwrites it."
FILLED_NOTE = (
    "Yours to edit: o365flow fills this in only when it is blank, "
    "and never changes what you typed."
)
DATE_NOTE = " Type a date such as 14/02/2026."

WIDTHS = {
    "Reference": 20,
    "Kind": 7,
    "Subject initials": 9,
    "Referring agency": 34,
    "Decision": 16,
    "Stage": 20,
    "Next deadline is": 24,
    "RAG": 8,
    "Sign-offs outstanding": 12,
    "Reviewers": 20,
    "Panel members": 24,
    "Hold reason": 20,
    "Folder": 20,
    "Notes": 50,
    "Agency": 10,
    "Agency name": 28,
    "Signed off by": 20,
    "How": 14,
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
    """An empty register with the full layout: Cases, Sign-offs and a hidden Lists sheet."""
    wb = Workbook()
    wb.properties.creator = "o365flow"
    wb.properties.lastModifiedBy = "o365flow"
    cases = wb.active
    cases.title = CASES_SHEET
    new_sheet(cases, amber_days)
    new_sheet(wb.create_sheet(SIGNOFFS_SHEET), amber_days)
    write_lists(wb, decisions)
    return wb


def new_sheet(ws: Worksheet, amber_days: int, table_name: str | None = None) -> None:
    """Headers, one blank row, the table, frozen panes and rules for ``ws`` (Cases/Sign-offs)."""
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
    if header in WORKER_COLUMNS.get(sheet, ()):
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
    width = DATE_WIDTH if header in DATE_COLUMNS else WIDTHS.get(header, DEFAULT_WIDTH)
    ws.column_dimensions[get_column_letter(col)].width = width


def format_body_cell(ws: Worksheet, row: int, col: int, header: str) -> None:
    """Number format and alignment of an empty body cell, so what people type looks right."""
    cell = ws.cell(row, col)
    if header in DATE_COLUMNS:
        cell.number_format = DATE_FORMAT
    if header == "Notes":
        cell.alignment = NOTES_ALIGN
    elif header in DATE_COLUMNS or header in CENTRED:
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
    """The dropdown or colour rules a column carries (Decision, RAG, Next deadline on Cases)."""
    if ws.title != CASES_SHEET:
        return
    letter = get_column_letter(col)
    first = header_row + 1
    area = f"{letter}{first}:{letter}{LAST_ROW}"
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


def write_lists(wb: Workbook, decisions: tuple[str, ...]) -> bool:
    """Create or refresh the hidden Lists sheet and the name the Decision dropdown uses.
    Returns whether anything changed."""
    columns = {
        "Decisions": tuple(decisions),
        "RAG": RAG_VALUES,
        "Yes/No": ("Yes", "No"),
    }
    created = LISTS_SHEET not in wb.sheetnames
    ws = wb.create_sheet(LISTS_SHEET) if created else wb[LISTS_SHEET]
    changed = created
    for col, (title, values) in enumerate(columns.items(), start=1):
        wanted = (title, *values)
        have = tuple(
            ws.cell(row, col).value
            for row in range(1, max(len(wanted), ws.max_row) + 1)
        )
        if have != wanted + (None,) * (len(have) - len(wanted)):
            changed = True
            for row in range(1, len(have) + 1):
                ws.cell(row, col).value = (
                    wanted[row - 1] if row <= len(wanted) else None
                )
        ws.cell(1, col).font = HEADER_FONT
        ws.column_dimensions[get_column_letter(col)].width = 18
    cells = f"$A$2:$A${len(decisions) + 1}"
    ref = f"'{LISTS_SHEET}'!{cells}"
    name = wb.defined_names.get(DECISION_LIST_NAME)
    # Compared by destination: LibreOffice saves the same range without the quotes.
    if name is None or list(name.destinations) != [(LISTS_SHEET, cells)]:
        wb.defined_names[DECISION_LIST_NAME] = DefinedName(
            DECISION_LIST_NAME, attr_text=ref
        )
        changed = True
    if created:
        ws.sheet_state = "hidden"
    return changed
