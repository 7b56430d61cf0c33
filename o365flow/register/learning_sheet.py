"""The Learning sheet: what the board learns across its reviews, as live formulas.

Three tables over the Cases and Actions sheets: cases by learning theme and the year their
referral was received (the last three years, moving on with ``TODAY()``); cases by theme and
kind; recommendations and actions by theme, and actions by theme and lead agency, coloured as a
heat map (a conditional colour scale). A case's themes are its ``Themes`` cell, an action's its
``Theme`` cell: entries separated by ``;`` or ``,``, matched whole and ignoring case and spaces,
exactly as ``plan.boardfigures`` counts them for ``status`` and ``report``.

Like the Dashboard, the sheet is written once and rewritten only when what it lists changes (the
themes, the agencies, where the columns are); a pass that adds rows leaves it alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from o365flow.core.columns import ACTIONS_SHEET, CASES_SHEET, LEARNING_SHEET, LISTS_SHEET
from o365flow.core.model import KIND_NAMES
from o365flow.register.rewrite.dashboard_sheet import NAVY, STYLES, Content, Formula
from o365flow.register.rewrite.figures import Source
from o365flow.register.values import same_value, write_value

KINDS = tuple(KIND_NAMES)
YEARS = 3  # the years shown: this one and the two before


def _norm(expr: str) -> str:
    """A themes cell as ";a;b;" with spaces gone and "," / line breaks as ";" (SEARCH ignores case)."""
    inner = f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({expr}," ",""),",",";"),CHAR(10),";")'
    return f'";"&{inner}&";"'


def _match(column: str, theme_cell: str) -> str:
    return f'ISNUMBER(SEARCH(";"&SUBSTITUTE({theme_cell}," ","")&";",{_norm(column)}))'


def _cases_by(out: Content, row: int, title: str, themes: tuple[str, ...], c_themes: str, heads: list,
              by: str, total_head: str, total: Callable[[int, str, list[str]], str]) -> int:
    """A table from ``row``: cases by theme (a row each) and by the value of ``by`` (a column each,
    headed by ``heads``: a value, or a ``Formula`` giving one), then a total column headed
    ``total_head`` whose formula is ``total(row, the theme's match, the columns)``. Returns the
    row where the next table starts."""
    out.put(f"A{row}", title, "section")
    head = row + 1
    out.put(f"A{head}", "Theme", "head")
    cols = [get_column_letter(2 + i) for i in range(len(heads))]
    for col, heading in zip(cols, heads):
        if isinstance(heading, Formula):
            out.formula(f"{col}{head}", heading, "head")
        else:
            out.put(f"{col}{head}", heading, "head")
    total_col = get_column_letter(2 + len(heads))
    out.put(f"{total_col}{head}", total_head, "head")
    for r, theme in enumerate(themes, start=head + 1):
        out.put(f"A{r}", theme, "label")
        match = _match(c_themes, f"$A{r}")
        for col in cols:
            out.formula(f"{col}{r}", f"=SUMPRODUCT({match}*({by}={col}${head}))", "count")
        out.formula(f"{total_col}{r}", total(r, match, cols), "count_total")
    return head + len(themes) + 2


def content(cases: Source, actions: Source, themes: tuple[str, ...], agencies: tuple[str, ...]) -> Content:
    out = Content()
    last_col = get_column_letter(max(2 + YEARS, 2 + len(KINDS), 3 + len(agencies) + 1))
    out.put("A1", "Learning across reviews", "title")
    out.formula("A2", "=TODAY()", "today")
    out.put("A3", "Learning themes as typed in the Themes column of Cases and the Theme column of each action "
            "plan (separated by ';'). These figures are formulas, worked out afresh whenever the workbook is "
            "opened; o365flow keeps this sheet: anything typed here is replaced.", "note")
    out.merged += [f"A2:{last_col}2", f"A3:{last_col}3"]
    out.heights[3] = 44
    c_themes, received, kind = cases.col("Themes"), cases.col("Referral received"), cases.col("Kind")

    years = [Formula(f"=YEAR(TODAY())-{back}" if back else "=YEAR(TODAY())") for back in range(YEARS - 1, -1, -1)]
    row = _cases_by(out, 5, "Cases by theme and year the referral was received", themes, c_themes,
                    years, f"YEAR({received})",
                    "All years", lambda r, match, cols: f"=SUMPRODUCT({match}*ISNUMBER({received}))")
    row = _cases_by(out, row, "Cases by theme and kind", themes, c_themes,
                    list(KINDS), kind,
                    "Total", lambda r, match, cols: f"=SUM({cols[0]}{r}:{cols[-1]}{r})")

    out.put(f"A{row}", "Recommendations and actions by theme and lead agency", "section")
    head = row + 1
    a_theme, lead = actions.col("Theme"), actions.col("Lead agency")
    ref, rec = actions.col("Reference"), actions.col("Recommendation")
    for col, title in zip("ABC", ("Theme", "Recommendations", "Actions")):
        out.put(f"{col}{head}", title, "head")
    agency_cols = [get_column_letter(4 + i) for i in range(len(agencies))]
    for col, code in zip(agency_cols, agencies):
        out.put(f"{col}{head}", code, "head")
    other = get_column_letter(4 + len(agencies))
    out.put(f"{other}{head}", "Other", "head")
    out.heights[head] = 32
    first = head + 1
    for r, theme in enumerate(themes, start=first):
        out.put(f"A{r}", theme, "label")
        match = _match(a_theme, f"$A{r}")
        # Each action of a recommendation counts 1/n of it, n the recommendation's actions.
        out.formula(f"B{r}", f'=ROUND(SUMPRODUCT({match}/COUNTIFS({ref},{ref}&"",{rec},{rec}&"")),0)', "count_total")
        out.formula(f"C{r}", f"=SUMPRODUCT({match}*1)", "count_total")
        for col in agency_cols:
            out.formula(f"{col}{r}", f"=SUMPRODUCT({match}*(TRIM({lead})={col}${head}))", "count")
        out.formula(f"{other}{r}", f"=C{r}-SUM(D{r}:{agency_cols[-1]}{r})" if agencies else f"=C{r}", "count")
    out.grid = (first, first + len(themes) - 1)
    out.end = first + len(themes)
    out.warn["heat"] = f"D{first}:{other}{max(first, first + len(themes) - 1)}"
    return out


def differs(ws: Worksheet, want: Content) -> bool:
    for coord, (value, _style) in want.cells.items():
        cell = ws[coord]
        if isinstance(value, Formula):
            if cell.data_type != "f" or cell.value != value:
                return True
        elif not same_value(cell, value):
            return True
    return False


def write_learning(ws: Worksheet, want: Content) -> None:
    for coord, (value, style) in want.cells.items():
        cell = ws[coord]
        if isinstance(value, Formula):
            cell.value = str(value)
        elif value is not None:
            write_value(cell, value)
        for attribute, setting in STYLES[style].items():
            setattr(cell, attribute, setting)
    for area in want.merged:
        ws.merge_cells(area)
    for row, height in want.heights.items():
        ws.row_dimensions[row].height = height
    ws.column_dimensions["A"].width = 30
    for col in range(2, 20):
        ws.column_dimensions[get_column_letter(col)].width = 11  # "PROBATION" on one line
    ws.column_dimensions["B"].width = 16  # "Recommendations"
    ws.conditional_formatting.add(
        want.warn["heat"],
        ColorScaleRule(start_type="num", start_value=0, start_color="FFFFFF",
                       end_type="max", end_color="F8696B"),
    )
    ws.sheet_view.showGridLines = False
    ws.sheet_properties.tabColor = NAVY
    ws.freeze_panes = "B5"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0


def refresh_learning(wb: Workbook, cases: Source, actions: Source, themes: tuple[str, ...],
                     agencies: tuple[str, ...]) -> bool:
    """Add or rewrite the Learning sheet when it is missing or says other than it should; it goes
    after the table sheets. Returns whether anything changed."""
    want = content(cases, actions, themes, agencies)
    if LEARNING_SHEET in wb.sheetnames:
        old = wb[LEARNING_SHEET]
        if not differs(old, want):
            return False
        index = wb.index(old)
        wb.remove(old)
    else:
        # After the table sheets, so their places (Dashboard first, then Cases ...) stay as they were.
        index = wb.sheetnames.index(LISTS_SHEET) if LISTS_SHEET in wb.sheetnames else len(wb.sheetnames)
    write_learning(wb.create_sheet(LEARNING_SHEET, index), want)
    return True


def learning_current(book, themes: tuple[str, ...], agencies: tuple[str, ...]) -> bool:
    """Is the Learning sheet of ``book`` (a ``sheetxml.Book``) as ``refresh_learning`` would write
    it? Asked before the quick path patches cells."""
    from o365flow.register.headers import HEADER_SCAN_ROWS, find_header, header_key
    from o365flow.register.read.book import split_ref

    if LEARNING_SHEET not in book.sheet_names:
        return False
    try:
        return _same(book, themes, agencies, split_ref, find_header, header_key, HEADER_SCAN_ROWS)
    except (KeyError, ValueError, IndexError):  # anything unusual: the full rewrite puts it right
        return False


def _same(book, themes, agencies, split_ref, find_header, header_key, HEADER_SCAN_ROWS) -> bool:
    sources = []
    for name in (CASES_SHEET, ACTIONS_SHEET):
        sheet = book.sheet(name)
        header = find_header(book.row_values(sheet, n, data_only=False) for n in range(1, HEADER_SCAN_ROWS + 1))
        if header is None or not sheet.tables:
            return False
        table = sheet.tables[0]
        last = max(sheet.rows, default=header.row)
        sources.append(Source(name, table.display_name, {header_key(c): c for c in table.columns},
                              dict(header.columns), header.row + 1, last))
    want = content(*sources, themes, agencies)
    sheet = book.sheet(LEARNING_SHEET)
    for coord, (value, _style) in want.cells.items():
        col, row = split_ref(coord)
        cell = sheet.cell(row, col)
        if isinstance(value, Formula):
            if cell is None or cell[3] is None or cell[3] != value.removeprefix("="):
                return False
        elif book.value(cell, data_only=False)[0] != value:
            return False
    return True


def read_actions(data: bytes) -> list[dict]:
    """The Actions sheet's rows (header -> value), for the report and the export."""
    from o365flow.register.headers import HEADER_SCAN_ROWS, find_header
    from o365flow.register.rewrite.open import open_workbook

    wb = open_workbook(data, read_only=True)
    if ACTIONS_SHEET not in wb.sheetnames:
        return []
    rows = list(wb[ACTIONS_SHEET].iter_rows(values_only=True))
    header = find_header(rows[:HEADER_SCAN_ROWS])
    if header is None:
        return []
    names = [c.value if hasattr(c, "value") else c for c in rows[header.row - 1]]
    out = []
    for values in rows[header.row:]:
        row = {str(n): (v.date() if isinstance(v, datetime) else v) for n, v in zip(names, values) if n is not None}
        if row.get("Reference") not in (None, ""):
            out.append(row)
    return out


