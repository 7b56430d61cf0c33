"""The rules a column carries, written with openpyxl: dropdowns fed from the Lists sheet, the
RAG colours, and the overdue colour of an action's target date.

RAG has one rule and one formula: the worker decides a case's RAG (``core.deadlines.rag``) and
writes it; the RAG cell and the Next deadline cell are both coloured from that RAG value, so
the two always agree, whatever day the workbook is opened and whatever date a pass ran as.
"""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from o365flow.core.columns import ACTIONS_SHEET, CASES_SHEET, RAG_VALUES
from o365flow.register.layout import DONE_WORDS, LAST_ROW
from o365flow.register.lists import DROPDOWNS, NAMES, PROMPTS

RED = (PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE"), Font(color="9C0006"))
AMBER = (PatternFill("solid", start_color="FFEB9C", end_color="FFEB9C"), Font(color="9C5700"))
GREEN = (PatternFill("solid", start_color="C6EFCE", end_color="C6EFCE"), Font(color="006100"))
# The columns coloured by a case's RAG.
RAG_COLOURED = ("RAG", "Next deadline")


def add_column_rules(
    ws: Worksheet, header: str, col: int, header_row: int, columns: dict[str, int], amber_days: int
) -> None:
    """The dropdown or colour rules column ``header`` carries on its sheet."""
    letter = get_column_letter(col)
    first = header_row + 1
    area = f"{letter}{first}:{letter}{LAST_ROW}"
    dropdown = DROPDOWNS.get(ws.title, {}).get(header)
    if dropdown is not None:
        add_dropdown(ws, area, header, *dropdown)
    if ws.title == ACTIONS_SHEET and header == "Target date":
        _overdue_action_rule(ws, area, f"{letter}{first}", columns.get("Progress"), first)
    elif ws.title == CASES_SHEET and header in RAG_COLOURED and columns.get("RAG"):
        rag = f"${get_column_letter(columns['RAG'])}{first}"
        for value, (fill, font) in zip(RAG_VALUES, (RED, AMBER, GREEN)):
            rule = FormulaRule(formula=[f'{rag}="{value}"'], fill=fill, font=font, stopIfTrue=True)
            ws.conditional_formatting.add(area, rule)


def add_dropdown(ws: Worksheet, area: str, header: str, title: str, style: str) -> None:
    """A list dropdown over ``area`` fed from the Lists sheet's list ``title``."""
    dv = DataValidation(
        type="list",
        formula1=NAMES[title],
        allow_blank=True,
        showErrorMessage=True,
        errorStyle=style,
        errorTitle=header,
        error=PROMPTS[title],
    )
    dv.add(area)
    ws.add_data_validation(dv)


def _overdue_action_rule(ws: Worksheet, area: str, cell: str, progress: int | None, first: int) -> None:
    """Red while an action's target date has passed and its Progress does not say it is done.
    Comparisons ignore case in Excel and LibreOffice alike, so "Complete" counts as done."""
    done = ""
    if progress:
        p = f"TRIM(${get_column_letter(progress)}{first})"
        done = "," + ",".join(f'{p}<>"{word}"' for word in DONE_WORDS)
    rule = FormulaRule(
        formula=[f"AND(ISNUMBER({cell}),{cell}<TODAY(){done})"], fill=RED[0], font=RED[1], stopIfTrue=True
    )
    ws.conditional_formatting.add(area, rule)


def owned_area(ws: Worksheet, columns: dict[str, int]) -> set[str]:
    """The columns (letters) whose rules o365flow owns on ``ws``: replaced when it is laid out
    again, every other rule a person added left alone."""
    owned = set(DROPDOWNS.get(ws.title, {}))
    if ws.title == CASES_SHEET:
        owned |= set(RAG_COLOURED)
    if ws.title == ACTIONS_SHEET:
        owned.add("Target date")
    return {get_column_letter(columns[h]) for h in owned if h in columns}


def clear_owned_rules(ws: Worksheet, columns: dict[str, int]) -> None:
    """Remove the dropdowns and colour rules on the columns o365flow owns rules for."""
    from openpyxl.formatting.formatting import ConditionalFormattingList

    letters = owned_area(ws, columns)

    def ours(sqref) -> bool:
        return any(part.split(":")[0].rstrip("0123456789") in letters for part in str(sqref).split())

    kept = ConditionalFormattingList()
    for cf in ws.conditional_formatting:
        if not ours(cf.sqref):
            for rule in cf.rules:
                kept.add(str(cf.sqref), rule)
    ws.conditional_formatting = kept
    ws.data_validations.dataValidation = [dv for dv in ws.data_validations.dataValidation if not ours(dv.sqref)]
