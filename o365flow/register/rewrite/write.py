"""Writing the register without disturbing anything a person did.

Only the cells named in the rows given are written, and only when their value differs; people's
columns, their extra columns, their formatting and the order of columns are left as they are.
When nothing differs ``update_register`` returns None so the file (and its version history) is
not touched at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from io import BytesIO

from openpyxl import Workbook

from o365flow.core.columns import (
    ACTIONS_SHEET,
    AUDIT_SHEET,
    CASES_SHEET,
    DASHBOARD_SHEET,
    DECISIONS,
    SIGNOFFS_SHEET,
)
from o365flow.register.layout import LAYOUT_VERSION, TABLE_NAMES, TABLE_SHEETS
from o365flow.register.problems import missing_sheet
from o365flow.register.rewrite.dashboard import dashboard_agencies, refresh_dashboard
from o365flow.register.rewrite.figures import Source
from o365flow.register.rewrite.layout import new_sheet, new_workbook
from o365flow.register.rewrite.lists import lists_version, write_lists
from o365flow.register.rewrite.open import open_workbook
from o365flow.register.rewrite.relayout import relayout
from o365flow.register.rewrite.sheets import append_audit, replace_actions
from o365flow.register.rewrite.sheetwriter import KEYS, SheetWriter
from o365flow.core.settings import DEFAULT_THEMES
from o365flow.register.learning_sheet import refresh_learning

__all__ = ["KEYS", "update_register"]


def update_register(
    data: bytes | None,
    cases: list[dict[str, object]],
    signoffs: list[dict[str, object]],
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
    """New workbook bytes with the rows given written, or None when no cell changes.

    ``cases`` and ``signoffs`` rows are matched by Reference (sign-offs by Reference and
    Agency); a missing row is appended to the sheet's table, and only the headers given in each
    dict are written. ``actions`` None leaves the Actions sheet as it is; otherwise, for each
    Reference present in it, that case's action rows (keyed by Reference and Item) become
    exactly those given, and other cases' rows are left alone. ``audit`` rows (When, Reference,
    What, Why) are appended to the Audit sheet, whose rows are never changed. ``agencies`` are
    the agency codes the Dashboard lists first (codes on the Sign-offs sheet follow).

    ``data`` None or b"" creates the register with its full layout; an older layout gains its
    missing sheets and columns. Values: ``date``/``datetime``, ``str`` (always stored as text),
    ``int``/``float``, ``Link``, or None (blank).
    """
    wb = (
        new_workbook(decisions, amber_days, agencies, board, themes)
        if not data
        else open_workbook(data, read_only=False, source=source)
    )
    changed = not data
    # An older layout is laid out afresh once: rules, dropdowns, wrapping, row heights, print.
    upgrade = bool(data) and lists_version(wb) != LAYOUT_VERSION
    writers: dict[str, SheetWriter] = {}
    for sheet in TABLE_SHEETS:
        if data and sheet in (CASES_SHEET, SIGNOFFS_SHEET) and sheet not in wb.sheetnames:
            # What people typed there would be lost: never made again empty.
            raise missing_sheet(source, sheet)
        changed |= _ensure_sheet(wb, sheet, amber_days, board)
        writers[sheet] = writer = SheetWriter(wb[sheet], amber_days, source)
        if sheet == CASES_SHEET:
            for values in cases:
                writer.put(values)
        elif sheet == SIGNOFFS_SHEET:
            for values in signoffs:
                writer.put(values)
        elif sheet == ACTIONS_SHEET and actions is not None:
            replace_actions(writer, actions)
        elif sheet == AUDIT_SHEET:
            append_audit(writer, audit)
        writer.finish()
        if upgrade:
            relayout(writer, amber_days, board)
        changed |= writer.changed
    changed |= write_lists(wb, decisions, agencies, themes)
    codes = dashboard_agencies(
        agencies, (key[1] for key in writers[SIGNOFFS_SHEET].rows)
    )
    sources = tuple(
        Source.of(writers[s]) for s in (CASES_SHEET, SIGNOFFS_SHEET, ACTIONS_SHEET)
    )
    changed |= refresh_dashboard(wb, sources, codes, amber_days)
    changed |= refresh_learning(wb, sources[0], sources[2], themes, codes)  # themes by agency: the Learning sheet
    if not changed:
        return None
    wb.properties.lastModifiedBy = "o365flow"
    # Excel recalculates every formula on opening (the file holds no calculated values).
    wb.calculation.fullCalcOnLoad = True
    out = BytesIO()
    wb.save(out)
    return fonts_in_order(out.getvalue())


def fonts_in_order(data: bytes) -> bytes:
    """The saved workbook with its fonts' properties in schema order (``register.fontorder``)."""
    import zipfile

    from o365flow.register.fontorder import in_order
    from o365flow.register.patch.zipcopy import replace_members

    with zipfile.ZipFile(BytesIO(data)) as z:
        styles = z.read("xl/styles.xml").decode("utf-8")  # where openpyxl always saves it
    ordered = in_order(styles)
    return data if ordered == styles else replace_members(data, {"xl/styles.xml": ordered.encode("utf-8")})


def _ensure_sheet(wb: Workbook, sheet: str, amber_days: int, board: str) -> bool:
    """Add a table sheet an older register lacks, after the table sheets before it."""
    if sheet in wb.sheetnames:
        return False
    before = [
        s for s in TABLE_SHEETS[: TABLE_SHEETS.index(sheet)] if s in wb.sheetnames
    ]
    if before:
        index = wb.sheetnames.index(before[-1]) + 1
    else:
        index = 1 if wb.sheetnames and wb.sheetnames[0] == DASHBOARD_SHEET else 0
    ws = wb.create_sheet(sheet, index)
    new_sheet(ws, amber_days, table_name=_free_table_name(wb, TABLE_NAMES[sheet]), board=board)
    return True


def _free_table_name(wb: Workbook, base: str) -> str:
    """A table name no other table or defined name uses (a renamed sheet keeps its table's name)."""
    taken = {name.casefold() for name in wb.defined_names}
    for ws in wb.worksheets:
        taken |= {name.casefold() for name in ws.tables}
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        name = f"{base}{n}"
    return name
