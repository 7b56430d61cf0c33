"""The hidden ``Lists`` sheet: the values behind the register's dropdowns, from the config,
and the defined name the ``Decision`` dropdown points at."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from o365flow.core.columns import LISTS_SHEET, RAG_VALUES

DECISION_LIST_NAME = "DecisionList"
HEADER_FONT = Font(name="Calibri", size=11, bold=True, color="1F1F1F")


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
