"""The register's table sheets, one module each: what a sheet is called, its table, its columns
and who owns them, how its rows are found, and how it is shown (frozen panes, dropdowns, pages
wide in print). Pure data, read by every way of reading and writing the register.

A new sheet is a new module here with its ``SPEC``, listed in ``SHEETS`` in the order a new
register shows it (after the Dashboard).
"""

from __future__ import annotations

from o365flow.register.sheets import actions, audit, cases, signoffs
from o365flow.register.sheets.spec import SheetSpec

SHEETS: tuple[SheetSpec, ...] = (cases.SPEC, signoffs.SPEC, actions.SPEC, audit.SPEC)
BY_NAME = {spec.name: spec for spec in SHEETS}

__all__ = ["BY_NAME", "SHEETS", "SheetSpec"]
