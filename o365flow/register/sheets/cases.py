"""The Cases sheet: one row per case, the worker's view of its clock beside what people type."""

from o365flow.core.columns import CASES_ORDER, CASES_SHEET, CASES_WORKER
from o365flow.register.sheets.spec import SheetSpec

SPEC = SheetSpec(
    name=CASES_SHEET,
    table="Cases",
    columns=CASES_ORDER,
    worker=frozenset(CASES_WORKER),
    keys=("Reference",),
    freeze="B2",
    # The keys and the columns the contract says people type in (added to the layout since:
    # Welsh Government notified, Anonymisation cleared, which an older register gains).
    required=(
        "Reference", "Decision", "Decision date", "Reviewers", "Panel members", "On hold from", "Resumed on",
        "Hold reason", "Learning event date", "Final report date", "Board approval date", "Published date",
        "Closed date", "Notes",
    ),
    # Thirty columns on one page would print at a third of their size; on three pages, each with
    # the Reference column, they print near full size.
    pages_wide=3,
    dropdowns={
        "Decision": ("Decisions", "stop"),
        "Kind": ("Kinds", "stop"),
        "Hold reason": ("Hold reasons", "information"),
    },
)
