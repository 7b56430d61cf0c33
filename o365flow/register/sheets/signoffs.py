"""The Sign-offs sheet: one row per case and agency asked to sign off its action plan."""

from o365flow.core.columns import SIGNOFFS_ORDER, SIGNOFFS_SHEET, SIGNOFFS_WORKER
from o365flow.register.sheets.spec import SheetSpec

SPEC = SheetSpec(
    name=SIGNOFFS_SHEET,
    table="SignOffs",
    columns=SIGNOFFS_ORDER,
    worker=frozenset(SIGNOFFS_WORKER),
    keys=("Reference", "Agency"),
    freeze="C2",
    required=("Reference", "Agency", "Signed off", "Signed off by", "How"),
    dropdowns={"Agency": ("Agencies", "information"), "How": ("How", "information")},
)
