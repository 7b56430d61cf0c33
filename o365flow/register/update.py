"""Bringing the register up to date the quick way when it can be, the thorough way when it must.

Most passes change a few cells or add a few audit rows to a workbook that already has its full
layout. Those are worked out as cell edits straight from the file (``edits.plan_edits``) and
patched into its XML (``patch.apply_edits``), new rows appended to their tables: a fraction of
the time of loading and saving the whole workbook with openpyxl. A new register, an older layout
to upgrade, a Dashboard to redraw (typed over, or a new agency to list), rows to delete, or
anything unusual in the file go through ``write.update_register``, which rebuilds what it must
and keeps everything else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from o365flow.core.columns import (
    ACTIONS_COLUMNS,
    ACTIONS_SHEET,
    AUDIT_SHEET,
    CASES_SHEET,
    DASHBOARD_SHEET,
    DECISIONS,
    LISTS_SHEET,
    SIGNOFFS_SHEET,
)
from o365flow.register.model import RegisterEdits

def register_edits(
    data: bytes,
    cases: list[dict],
    signoffs: list[dict],
    *,
    decisions: tuple[str, ...] = DECISIONS,
    amber_days: int = 14,
    actions: Iterable[Mapping[str, object]] | None = None,
    audit: Iterable[Mapping[str, object]] = (),
    agencies: tuple[str, ...] = (),
) -> RegisterEdits | None:
    """The cell edits and appended rows that bring ``data`` up to date (empty: nothing to do),
    or None when only a full rewrite will do. Also what the Graph workbook API applies while
    people have the register open."""
    from o365flow.register.patch.dashcheck import dashboard_current
    from o365flow.register.patch.plan import SheetRows, plan_edits
    from o365flow.register.read.book import UnreadableWorkbook, open_book

    try:
        book = open_book(data)
        if not _full_layout(book) or not dashboard_current(book, agencies, amber_days):
            return None
    except (UnreadableWorkbook, KeyError, ValueError, IndexError):
        return None
    sheets = {
        CASES_SHEET: SheetRows(CASES_SHEET, ("Reference",), cases),
        SIGNOFFS_SHEET: SheetRows(SIGNOFFS_SHEET, ("Reference", "Agency"), signoffs),
    }
    if actions is not None:  # whole rows: a case's actions are replaced as a block
        rows = [{n: r.get(n) for n in ACTIONS_COLUMNS} for r in actions]
        sheets[ACTIONS_SHEET] = SheetRows(ACTIONS_SHEET, ("Reference", "Item"), rows, group="Reference")
    audit = list(audit)
    if audit:
        sheets[AUDIT_SHEET] = SheetRows(AUDIT_SHEET, (), audit, append_only=True)
    edits = plan_edits(book, sheets, decisions=decisions, amber_days=amber_days)
    if edits is not None and _new_agency(book, edits, agencies):
        return None  # the Dashboard must list it: redrawn by the full rewrite
    return edits


def _new_agency(book, edits: RegisterEdits, agencies: tuple[str, ...]) -> bool:
    """Does an appended sign-off row bring an agency the Dashboard does not list yet?"""
    from o365flow.register.patch.dashcheck import listed_agencies

    appended = [r for r in edits.rows if r.sheet == SIGNOFFS_SHEET]
    if not appended:
        return False
    columns = list(book.sheet(SIGNOFFS_SHEET).tables[0].columns)
    if "Agency" not in columns:
        return True
    at = columns.index("Agency")
    return bool({str(r.values[at]) for r in appended} - listed_agencies(book, agencies))


def _full_layout(book) -> bool:
    """Every sheet of the current layout is there, each list sheet an Excel table: else an older
    or hand-made register, upgraded by the full rewrite."""
    names = set(book.sheet_names)
    if not {CASES_SHEET, SIGNOFFS_SHEET, ACTIONS_SHEET, AUDIT_SHEET, DASHBOARD_SHEET, LISTS_SHEET} <= names:
        return False
    return all(book.sheet_tables(name) for name in (CASES_SHEET, SIGNOFFS_SHEET, ACTIONS_SHEET, AUDIT_SHEET))


def update_register(
    data: bytes | None,
    cases: list[dict],
    signoffs: list[dict],
    *,
    decisions: tuple[str, ...] = DECISIONS,
    amber_days: int = 14,
    actions: Iterable[Mapping[str, object]] | None = None,
    audit: Iterable[Mapping[str, object]] = (),
    agencies: tuple[str, ...] = (),
) -> bytes | None:
    """New workbook bytes, or None when no cell changes: see ``write.update_register`` for what
    is written. Tries the patch first; falls back to the full rewrite."""
    actions = None if actions is None else list(actions)
    audit = list(audit)
    if data:
        edits = register_edits(
            data, cases, signoffs, decisions=decisions, amber_days=amber_days, actions=actions, audit=audit,
            agencies=agencies,
        )
        if edits is not None:
            if not edits:
                return None
            from o365flow.register.patch.apply import PatchError, apply_edits

            try:
                return apply_edits(data, edits)
            except PatchError:
                pass  # something in the file the patch does not handle: the thorough way
    from o365flow.register.rewrite import write

    return write.update_register(
        data, cases, signoffs, decisions=decisions, amber_days=amber_days, actions=actions, audit=audit,
        agencies=agencies,
    )
