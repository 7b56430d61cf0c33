"""Changing an open Excel workbook on SharePoint through the Graph workbook API.

SharePoint refuses to replace a file someone has open in Excel (423), but Excel Online accepts
changes to it through the workbook API and shows them to the people who have it open, merged
with their own. One call of ``apply_edits`` is one workbook session (``persistChanges: true``,
so changes are saved to the file): a ``PATCH .../worksheets/{sheet}/range(address='G5:I5')``
per run of adjacent cells in a row, a ``POST .../tables/{table}/rows/add`` per new row, a
``PATCH .../range(address='A5')/format`` giving each row written the height its wrapped text
needs (``layout.row_height``, as the file writers do), then the session is closed.

How values are sent (Excel treats ``values`` as if a person typed them):

- **Text** is sent with a leading apostrophe, always. Typed into Excel, ``'=SUM(A1)`` is stored as
  the text ``=SUM(A1)`` with the cell's *quote prefix* set; Excel for the web and desktop keep
  that prefix when they save, so the cell stays text when a person later edits it. It is also
  exactly what the file writer (``register.values.write_value``) stores, so the next pass that
  can replace the whole file finds the cell unchanged. The alternative, ``numberFormat "@"``,
  depends on the format being applied before the value within one request (Graph does not
  promise an order) and leaves the cell formatted as Text for ever. The apostrophe also stops
  Excel turning text such as ``TRUE``, ``1/2`` or ``1e5`` into a boolean, a date or a number.
- **Dates** are Excel serial numbers (days since 1899-12-30) with ``numberFormat dd/mm/yyyy``
  (``dd/mm/yyyy hh:mm`` with a time), so they are real dates that sort and filter.
- **A Link** becomes ``=HYPERLINK("url","text")`` with each ``"`` doubled: Graph v1.0's
  workbookRange has no hyperlink property. Excel limits each formula string to 255 characters;
  a longer URL is written as the link's text alone.
- **Blank** is ``""``, which clears the cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from urllib.parse import quote

from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string, range_boundaries

from o365flow.register.layout import LINE_HEIGHT
from o365flow.register.model import CellEdit, Link, RegisterEdits
from o365flow.register.values import DATE_FORMAT, DATETIME_FORMAT, clean_text

_EPOCH = datetime(1899, 12, 30)
_FORMULA_TEXT_LIMIT = 255
_KEEP = None  # in a numberFormat matrix: leave the cell's format as it is


def excel_input(value: object) -> tuple[object, str | None]:
    """What to send for ``value``: the entry of the ``values`` matrix and its number format
    (None: leave the cell's format alone)."""
    if value is None:
        return "", _KEEP
    if isinstance(value, Link):
        url, text = clean_text(value.url), clean_text(value.text)
        if len(url) > _FORMULA_TEXT_LIMIT or len(text) > _FORMULA_TEXT_LIMIT:
            return ("'" + text) if text else "", _KEEP
        return f'=HYPERLINK("{_quoted(url)}","{_quoted(text)}")', _KEEP
    if isinstance(value, str):
        text = clean_text(value)
        return ("'" + text) if text else "", _KEEP
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
        if value.time() != time():
            return round((value - _EPOCH).total_seconds() / 86400, 8), DATETIME_FORMAT
        value = value.date()
    if isinstance(value, date):
        return (value - _EPOCH.date()).days, DATE_FORMAT
    if isinstance(value, bool):
        return value, _KEEP
    if isinstance(value, (int, float)):
        return value, "General"
    raise ValueError(f"cannot write a {type(value).__name__} to a workbook cell")


def _quoted(text: str) -> str:
    # Inside an Excel string literal the only special character is the double quote.
    return text.replace('"', '""')


@dataclass(frozen=True)
class CellRun:
    """Adjacent cells of one row of one sheet, sent in one PATCH."""

    sheet: str
    row: int
    first_column: int
    values: tuple
    formats: tuple

    @property
    def address(self) -> str:
        first = f"{get_column_letter(self.first_column)}{self.row}"
        if len(self.values) == 1:
            return first
        return f"{first}:{get_column_letter(self.first_column + len(self.values) - 1)}{self.row}"

    def body(self) -> dict:
        body: dict = {"values": [list(self.values)]}
        # Formats only where some cell needs one; null leaves a cell's format as it is.
        if any(f is not _KEEP for f in self.formats):
            body["numberFormat"] = [list(self.formats)]
        return body


def cell_runs(cells: tuple[CellEdit, ...]) -> list[CellRun]:
    """The edits grouped into runs of adjacent cells (same sheet and row, next column)."""
    placed = {}
    for edit in cells:  # a later edit of the same cell wins
        column, row = coordinate_from_string(edit.cell.upper())
        placed[(edit.sheet, row, column_index_from_string(column))] = excel_input(edit.value)
    runs: list[CellRun] = []
    for (sheet, row, column), (value, fmt) in sorted(placed.items()):
        last = runs[-1] if runs else None
        if last and (last.sheet, last.row) == (sheet, row) and last.first_column + len(last.values) == column:
            runs[-1] = CellRun(sheet, row, last.first_column, last.values + (value,), last.formats + (fmt,))
        else:
            runs.append(CellRun(sheet, row, column, (value,), (fmt,)))
    return runs


def apply_edits(graph, item_path: str, edits: RegisterEdits, what: str) -> int:
    """Apply ``edits`` to the workbook at ``item_path`` (``drives/{d}/items/{id}``) in one
    persistent session; returns the number of requests made. Raises what ``graph`` raises."""
    base = f"{item_path}/workbook"
    session = graph.request(
        "POST", f"{base}/createSession", json={"persistChanges": True}, what=what
    ).json()
    headers = {"workbook-session-id": session["id"]}
    count = 1
    try:
        for run in cell_runs(edits.cells):
            graph.request(
                "PATCH",
                f"{base}/worksheets/{_segment(run.sheet)}/range(address='{run.address}')",
                json=run.body(),
                headers=headers,
                what=f"{what} '{run.sheet}'!{run.address}",
            )
            count += 1
        tables: dict[str, tuple[int, int]] = {}
        for append in edits.rows:
            if append.table not in tables:
                shape = graph.request(
                    "GET", f"{base}/tables/{_segment(append.table)}/range", headers=headers, what=what
                ).json()
                first_col, header_row, _, _ = range_boundaries(shape["address"].rsplit("!", 1)[-1])
                tables[append.table] = (first_col, header_row)
                count += 1
            encoded = [excel_input(v) for v in append.values]
            added = graph.request(
                "POST",
                f"{base}/tables/{_segment(append.table)}/rows/add",
                json={"values": [[v for v, _ in encoded]]},
                headers=headers,
                what=f"{what} table {append.table}",
            ).json()
            count += 1
            # rows/add takes no formats: give dates theirs (and numbers General) on the new row.
            first_col, header_row = tables[append.table]
            row = header_row + 1 + int(added["index"])
            formats = [f for _, f in encoded]
            if any(f is not _KEEP for f in formats):
                run = CellRun(append.sheet, row, first_col, tuple(v for v, _ in encoded), tuple(formats))
                graph.request(
                    "PATCH",
                    f"{base}/worksheets/{_segment(append.sheet)}/range(address='{run.address}')",
                    json={"numberFormat": [formats]},
                    headers=headers,
                    what=f"{what} '{append.sheet}'!{run.address}",
                )
                count += 1
            if append.height is not None:
                count += _row_height(graph, base, headers, append.sheet, row, append.height, what)
        for height in edits.heights:
            count += _row_height(graph, base, headers, height.sheet, height.row, height.height, what)
    finally:
        try:
            graph.request("POST", f"{base}/closeSession", headers=headers, what=what, allow=(404,))
            count += 1
        except Exception:  # noqa: BLE001 - an unclosed session expires by itself after minutes
            pass
    return count


def _row_height(graph, base: str, headers: dict, sheet: str, row: int, height: float | None, what: str) -> int:
    """Size a row to its wrapped text (None: one line); returns the number of requests made."""
    graph.request(
        "PATCH",
        f"{base}/worksheets/{_segment(sheet)}/range(address='A{row}')/format",
        json={"rowHeight": height if height is not None else LINE_HEIGHT},
        headers=headers,
        what=f"{what} '{sheet}'!{row}:{row}",
    )
    return 1


def _segment(name: str) -> str:
    return quote(name, safe="")
