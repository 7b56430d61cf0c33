"""The Dashboard sheet: the register at a glance, first in the workbook and ready to print.

Open cases by stage and kind, what is overdue or due soon, sign-offs outstanding by agency,
reviews completed within six months this year, actions overdue, and a chart. Every figure is a
formula (see ``figures``); the sheet is written once and rewritten only when what it refers to
changes (a table renamed, a sheet without a table whose columns moved, the agencies, the amber
window). A pass that adds or changes rows leaves it alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from o365flow.core.columns import DASHBOARD_SHEET
from o365flow.core.model import KIND_NAMES
from o365flow.register.rewrite.dashboard_sheet import (
    IN_ARRAY,
    LAST_COL,
    Content,
    Formula,
    write_dashboard,
)
from o365flow.register.rewrite.figures import OPEN_STAGES, Figures, Source
from o365flow.register.values import same_value

KINDS = tuple(KIND_NAMES)


def content(figures: Figures, agencies: tuple[str, ...], amber_days: int) -> Content:
    """The Dashboard for ``agencies`` (codes, in the order shown)."""
    out = Content()
    soon = f"Due within {int(amber_days)} days"
    out.put("A1", "Practice reviews: the register at a glance", "title")
    out.formula("A2", "=TODAY()", "today")
    out.merged.append(f"A2:{LAST_COL}2")
    out.put(
        "A3",
        "These figures are formulas over the Cases, Sign-offs and Actions sheets, worked out "
        "afresh whenever the workbook is opened, so they stay right between passes. "
        "o365flow keeps this sheet: anything typed here is replaced.",
        "note",
    )
    out.merged.append(f"A3:{LAST_COL}3")
    out.heights[3] = 32

    # The stage grid comes first in the formulas the summary refers to, so place it first.
    glance, grid = 5, 14
    out.put(f"A{grid}", "Open cases by stage and kind", "section")
    head = grid + 1
    for col, title in zip(
        "ABCDEFGHI", ("Stage", *KINDS, "Total", "On hold", "Overdue", soon)
    ):
        out.put(f"{col}{head}", title, "head")
    out.heights[head] = 32
    first = head + 1
    for row, stage in enumerate(OPEN_STAGES, start=first):
        out.put(f"A{row}", stage, "label")
        for col, kind in zip("BCDE", KINDS):
            out.formula(f"{col}{row}", figures.by_kind(stage, kind), "count")
        out.formula(f"F{row}", figures.at_stage(stage), "count_total")
        out.formula(f"G{row}", figures.on_hold(stage), "count")
        out.formula(f"H{row}", figures.overdue(stage), "count")
        out.formula(f"I{row}", figures.due_soon(stage), "count")
    total = first + len(OPEN_STAGES)
    out.put(f"A{total}", "Total", "total_label")
    for col in "BCDEFGHI":
        out.formula(f"{col}{total}", f"=SUM({col}{first}:{col}{total - 1})", "total")
    out.grid = (head, total)
    out.warn[f"H{first}:H{total}"] = "red"
    out.warn[f"I{first}:I{total}"] = "amber"

    section = total + 2
    out.put(f"A{section}", "Action plan sign-offs outstanding by agency", "section")
    head = section + 1
    for col, title in zip("ABFG", ("Agency", "Name", "Outstanding", "Overdue")):
        out.put(f"{col}{head}", title, "head")
    for col in "CDE":
        out.put(f"{col}{head}", None, "head")
    out.merged.append(f"B{head}:E{head}")
    first = head + 1
    agency_total = first + len(agencies)
    codes = f"$A${first}:$A${agency_total - 1}"
    for row, code in enumerate(agencies, start=first):
        out.put(f"A{row}", code, "label")
        out.formula(f"B{row}", figures.agency_name(code), "name")
        out.merged.append(f"B{row}:E{row}")
        if row == first:
            outstanding, overdue = (
                figures.signoffs_by_agency(codes, late) for late in (False, True)
            )
            out.formula(
                f"F{row}", outstanding, "count_total", f"F{first}:F{agency_total - 1}"
            )
            out.formula(f"G{row}", overdue, "count", f"G{first}:G{agency_total - 1}")
        else:
            out.put(f"F{row}", IN_ARRAY, "count_total")
            out.put(f"G{row}", IN_ARRAY, "count")
    out.put(f"A{agency_total}", "Total", "total_label")
    for col in "FG":
        # No agency yet (no sign-off requested): a SUM over no rows would refer to itself.
        formula = f"=SUM({col}{first}:{col}{agency_total - 1})" if agencies else "=0"
        out.formula(f"{col}{agency_total}", formula, "total")
    out.warn[f"G{first}:G{agency_total}"] = "red"

    section = agency_total + 2
    out.put(f"A{section}", "Reviews completed this year", "section")
    reports, on_time, share = section + 1, section + 2, section + 3
    out.put(f"A{reports}", "Final reports dated this year", "label")
    out.formula(f"F{reports}", figures.final_reports_this_year(), "count_total")
    out.put(f"A{on_time}", "… on or before Review due (within 6 months)", "label")
    out.formula(f"F{on_time}", figures.on_time_this_year(), "count_total")
    out.put(f"A{share}", "Share completed within 6 months", "label")
    out.formula(f"F{share}", f'=IF(F{reports}=0,"",F{on_time}/F{reports})', "percent")
    out.end = share + 1

    # The summary at the top points at the totals below.
    g_total = out.grid[1]
    out.put(f"A{glance}", "At a glance", "section")
    summary = (
        ("Open cases", f"=F{g_total}", None),
        ("Overdue: next deadline before today", f"=H{g_total}", "red"),
        (f"{soon} (today included)", f"=I{g_total}", "amber"),
        ("Action plan sign-offs outstanding", f"=F{agency_total}", None),
        ("… of which past their due date", f"=G{agency_total}", "red"),
        (
            "Actions past their target date and not complete",
            figures.actions_overdue(),
            "red",
        ),
        ("Reviews completed within 6 months this year", f"=F{on_time}", None),
    )
    for row, (label, formula, warn) in enumerate(summary, start=glance + 1):
        out.put(f"A{row}", label, "label")
        out.formula(f"F{row}", formula, "kpi")
        if warn:
            out.warn[f"F{row}"] = warn
    return out


def dashboard_agencies(
    given: Iterable[str], on_sheet: Iterable[str]
) -> tuple[str, ...]:
    """The agency codes the Dashboard lists, one row each: ``given`` (the config's) in their
    order, then any other code on the Sign-offs sheet in natural order (AG7 before AG10)."""
    first = tuple(dict.fromkeys(given))
    rest = set(on_sheet) - set(first)
    natural = lambda code: [
        int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", code)
    ]
    return first + tuple(sorted(rest, key=natural))


def differs(ws: Worksheet, want: Content) -> bool:
    """Whether any cell of ``ws`` holds other than ``want`` says (styles are not compared)."""
    for coord, (value, _style) in want.cells.items():
        cell = ws[coord]
        if value is IN_ARRAY:
            continue  # holds the array's last calculated value, if any
        if isinstance(value, Formula):
            if not _same_formula(cell, value):
                return True
        elif not same_value(cell, value):
            return True
    return not ws._charts


def _same_formula(cell, want: Formula) -> bool:
    value = cell.value
    if want.array:
        return (
            isinstance(value, ArrayFormula)
            and value.ref == want.array
            and value.text == want
        )
    return cell.data_type == "f" and value == want


def refresh_dashboard(
    wb: Workbook,
    sources: tuple[Source, Source, Source],
    agencies: tuple[str, ...],
    amber_days: int,
) -> bool:
    """Add or rewrite the Dashboard when it is missing or says other than it should.

    ``sources`` are the Cases, Sign-offs and Actions sheets. Returns whether anything changed.
    A Dashboard added to a workbook goes first and becomes the sheet it opens at.
    """
    want = content(Figures(*sources, amber_days), agencies, amber_days)
    if DASHBOARD_SHEET in wb.sheetnames:
        old = wb[DASHBOARD_SHEET]
        if not differs(old, want):
            return False
        index, active = wb.index(old), wb.active is old
        wb.remove(old)
    else:
        index, active = 0, True
    ws = wb.create_sheet(DASHBOARD_SHEET, index)
    write_dashboard(ws, want)
    if active:
        wb.active = index
        for sheet in wb.worksheets:
            sheet.sheet_view.tabSelected = sheet is ws
    return True
