"""The closed lists behind the register's dropdowns, kept on its hidden ``Lists`` sheet: what
each list holds, where it sits, the name a dropdown refers to it by, and which columns offer
it. Pure data, shared by the openpyxl rewrite that writes the sheet and the quick path that
checks it is current."""

from __future__ import annotations

from o365flow.core.columns import (
    LISTS_SHEET,
    RAG_VALUES,
)
from o365flow.core.model import KIND_NAMES
from o365flow.register.layout import LAYOUT_VERSION
from o365flow.register.sheets import SHEETS

DECISION_LIST_NAME = "DecisionList"
# The reasons a review is usually put on hold; a person may type another.
HOLD_REASONS = (
    "Criminal proceedings",
    "Coroner's inquest",
    "Another review or inquiry",
    "Family's request",
    "Other",
)
# How an agency signed off its action plan; the worker writes "Email reply" itself.
HOW = ("Email reply", "Letter", "Meeting", "Phone call")

# Each list's title (its header on the Lists sheet) and the defined name dropdowns use.
NAMES = {
    "Decisions": DECISION_LIST_NAME,
    "Kinds": "KindList",
    "Agencies": "AgencyList",
    "Hold reasons": "HoldReasonList",
    "How": "HowList",
    "Yes/No": "YesNoList",
}

# Sheet -> column header -> (list title, what Excel does with a value not on the list), from
# each sheet's module.
DROPDOWNS = {spec.name: spec.dropdowns for spec in SHEETS if spec.dropdowns}
PROMPTS = {
    "Decisions": "Choose the Chair's decision from the list (see the Lists sheet), or leave it blank.",
    "Kinds": "Choose the kind of review: " + ", ".join(KIND_NAMES) + ".",
    "Agencies": "The board's agency codes are on the list; another code is kept as typed.",
    "Hold reasons": "Choose a reason from the list, or type your own.",
    "How": "Choose how the agency signed off, or type your own.",
}


def list_columns(decisions: tuple[str, ...], agencies: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The Lists sheet, column by column: title -> values (in this order, from column A).
    The last column records the layout version (see ``layout.LAYOUT_VERSION``)."""
    return {
        "Decisions": tuple(decisions),
        "RAG": RAG_VALUES,
        "Yes/No": ("Yes", "No"),
        "Kinds": tuple(KIND_NAMES),
        "Agencies": tuple(dict.fromkeys(agencies)),
        "Hold reasons": HOLD_REASONS,
        "How": HOW,
        "Layout": (LAYOUT_VERSION,),
    }


def list_ranges(columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Defined name -> the cells it refers to (``$A$2:$A$6``), for each named list. An empty
    list still names one (blank) cell, so its dropdown stays valid."""
    from o365flow.register.read.xlsxvalues import column_letter

    out = {}
    for col, (title, values) in enumerate(columns.items(), start=1):
        if title in NAMES:
            letter = column_letter(col)
            out[NAMES[title]] = f"${letter}$2:${letter}${max(len(values), 1) + 1}"
    return out


__all__ = ["DECISION_LIST_NAME", "DROPDOWNS", "LISTS_SHEET", "NAMES", "PROMPTS", "list_columns", "list_ranges"]
