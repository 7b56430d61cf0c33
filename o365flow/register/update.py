"""Bringing the register up to date the quick way when it can be, the thorough way when it must.

Most passes change a few cells or add a few audit rows to a workbook that already has its full
layout. Those are worked out as cell edits straight from the file (``patch.plan``) and patched
into its XML (``patch.apply``), new rows appended to their tables: a fraction of the time of
loading and saving the whole workbook with openpyxl. The full rewrite (``rewrite.write``) is
taken for named reasons only: a new register; a sheet, table or column missing; an older layout
to upgrade; a Dashboard to redraw (typed over, or a new agency to list); rows to delete or move;
a formula or a spanning link to overwrite; or a sheet written in a way the patch does not handle
(``PatchError``). A workbook that cannot be read at all raises ``RegisterUnreadable``, whichever
way it would have been written; any other error is a fault and is not hidden by the fallback.
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
from o365flow.core.settings import DEFAULT_THEMES
from o365flow.register.layout import uk_dates
from o365flow.register.model import RegisterEdits


def _learning_agencies(book, agencies: tuple[str, ...]) -> tuple[str, ...]:
    """The agencies the Learning sheet lists: as the Dashboard's."""
    from o365flow.register.patch.dashcheck import listed_agencies
    from o365flow.register.rewrite.dashboard import dashboard_agencies

    return dashboard_agencies(agencies, listed_agencies(book, ()))


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
    source: str | None = None,
    themes: tuple[str, ...] = DEFAULT_THEMES,
) -> RegisterEdits | None:
    """The cell edits, appended rows and row heights that bring ``data`` up to date (empty:
    nothing to do), or None when only a full rewrite will do. Also what the Graph workbook API
    applies while people have the register open. Raises ``RegisterUnreadable`` when ``data``
    is not a readable workbook."""
    from o365flow.register.patch.dashcheck import dashboard_current
    from o365flow.register.patch.plan import SheetRows, plan_edits
    from o365flow.register.problems import unreadable
    from o365flow.register.read.book import UnreadableWorkbook, open_book

    try:
        book = open_book(data)
        if not _full_layout(book) or not dashboard_current(book, agencies, amber_days):
            return None
        from o365flow.register.learning_sheet import learning_current

        if not learning_current(book, themes, _learning_agencies(book, agencies)):
            return None
        sheets = {
            CASES_SHEET: SheetRows(CASES_SHEET, ("Reference",), cases),
            SIGNOFFS_SHEET: SheetRows(SIGNOFFS_SHEET, ("Reference", "Agency"), signoffs),
        }
        if actions is not None:  # whole rows: a case's actions are replaced as a block
            rows = [{n: r.get(n) for n in ACTIONS_COLUMNS} for r in actions]
            sheets[ACTIONS_SHEET] = SheetRows(ACTIONS_SHEET, ("Reference", "Item"), rows, group="Reference")
        audit = _audit_rows(audit)
        if audit:
            sheets[AUDIT_SHEET] = SheetRows(AUDIT_SHEET, (), audit, append_only=True)
        edits = plan_edits(book, sheets, decisions=decisions, agencies=agencies, themes=themes)
        if edits is not None and _new_agency(book, edits, agencies):
            return None  # the Dashboard must list it: redrawn by the full rewrite
        return edits
    except UnreadableWorkbook as exc:
        raise unreadable(source, exc) from None


def _audit_rows(audit: Iterable[Mapping[str, object]]) -> list[dict[str, object]]:
    """Audit rows as the sheet shows them: dates inside their text in the UK style (a mail key
    is kept exactly as given: the rebuild reads it back)."""
    return [{k: uk_dates(v) if isinstance(v, str) and k != "Mail" else v for k, v in row.items()} for row in audit]


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
    board: str = "",
    source: str | None = None,
    themes: tuple[str, ...] = DEFAULT_THEMES,
) -> bytes | None:
    """New workbook bytes, or None when no cell changes: see ``rewrite.write.update_register``
    for what is written. Tries the patch first; falls back to the full rewrite for the reasons
    the module names. ``board`` is the board's name for the printed page header; ``source``
    names the file in errors."""
    actions = None if actions is None else list(actions)
    audit = _audit_rows(audit)
    if data:
        edits = register_edits(
            data, cases, signoffs, decisions=decisions, amber_days=amber_days, actions=actions, audit=audit,
            agencies=agencies, source=source, themes=themes,
        )
        if edits is not None:
            if not edits:
                return None
            from o365flow.register.patch.apply import PatchError, apply_edits

            try:
                return apply_edits(data, edits)
            except PatchError:
                pass  # a sheet written in a way the patch does not handle: the thorough way
    from o365flow.register.rewrite import write

    return write.update_register(
        data, cases, signoffs, decisions=decisions, amber_days=amber_days, actions=actions, audit=audit,
        agencies=agencies, board=board, source=source, themes=themes,
    )
