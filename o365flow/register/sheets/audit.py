"""The Audit sheet (o365flow's, only ever added to): every change the worker made, when and why."""

from o365flow.core.columns import AUDIT_COLUMNS, AUDIT_SHEET
from o365flow.register.sheets.spec import SheetSpec

SPEC = SheetSpec(
    name=AUDIT_SHEET,
    table="Audit",
    columns=AUDIT_COLUMNS,
    worker=frozenset(AUDIT_COLUMNS),
    keys=(),
    freeze="A2",
    note="Filled in by o365flow: one row for each change it made, when and why. Rows are only ever added, never changed.",
)
