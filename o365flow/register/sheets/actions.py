"""The Actions sheet (o365flow's): each case's action plan as read from its document."""

from o365flow.core.columns import ACTIONS_COLUMNS, ACTIONS_SHEET
from o365flow.register.sheets.spec import SheetSpec

SPEC = SheetSpec(
    name=ACTIONS_SHEET,
    table="Actions",
    columns=ACTIONS_COLUMNS,
    worker=frozenset(ACTIONS_COLUMNS),
    keys=("Reference", "Item"),
    freeze="C2",
    dropdowns={"Lead agency": ("Agencies", "information")},
)
