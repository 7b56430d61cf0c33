"""The hidden ``Lists`` sheet written with openpyxl: the values behind the register's dropdowns
(see ``register.lists``) and the defined names the dropdowns point at."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from o365flow.register.lists import (
    DECISION_LIST_NAME,
    LISTS_SHEET,
    list_columns,
    list_ranges,
)

__all__ = ["DECISION_LIST_NAME", "LISTS_SHEET", "lists_version", "write_lists"]
HEADER_FONT = Font(name="Calibri", size=11, bold=True, color="1F1F1F")


def lists_version(wb: Workbook) -> str | None:
    """The layout version the register was last laid out to (None: before versions)."""
    if LISTS_SHEET not in wb.sheetnames:
        return None
    ws = wb[LISTS_SHEET]
    for col in range(1, ws.max_column + 1):
        if ws.cell(1, col).value == "Layout":
            value = ws.cell(2, col).value
            return None if value is None else str(value)
    return None


def write_lists(wb: Workbook, decisions: tuple[str, ...], agencies: tuple[str, ...] = ()) -> bool:
    """Create or refresh the hidden Lists sheet and the names its dropdowns use.
    Returns whether anything changed."""
    columns = list_columns(decisions, agencies)
    created = LISTS_SHEET not in wb.sheetnames
    ws = wb.create_sheet(LISTS_SHEET) if created else wb[LISTS_SHEET]
    changed = created
    width = max(len(columns), ws.max_column)
    titles = list(columns.items())
    for col in range(1, width + 1):
        wanted = (titles[col - 1][0], *titles[col - 1][1]) if col <= len(titles) else ()
        have = tuple(ws.cell(row, col).value for row in range(1, max(len(wanted), ws.max_row) + 1))
        if have != wanted + (None,) * (len(have) - len(wanted)):
            changed = True
            for row in range(1, len(have) + 1):
                ws.cell(row, col).value = wanted[row - 1] if row <= len(wanted) else None
        if wanted:
            ws.cell(1, col).font = HEADER_FONT
            ws.column_dimensions[get_column_letter(col)].width = 22
    for name, cells in list_ranges(columns).items():
        ref = f"'{LISTS_SHEET}'!{cells}"
        have = wb.defined_names.get(name)
        # Compared by destination: LibreOffice saves the same range without the quotes.
        if have is None or list(have.destinations) != [(LISTS_SHEET, cells)]:
            wb.defined_names[name] = DefinedName(name, attr_text=ref)
            changed = True
    if created:
        ws.sheet_state = "hidden"
    return changed
