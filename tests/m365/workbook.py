"""The stand-in's Excel workbook API, applied to the stored .xlsx with openpyxl so a download
afterwards shows each change: sessions, range updates, a table's range and rows/add.

Values are taken as Excel takes typed input: ``'text`` is text with the quote prefix set,
``=...`` a formula, ``TRUE``/numbers are converted, ``""`` clears, ``null`` leaves a cell alone;
``numberFormat "@"`` in the same request keeps a string as text. A file open in Office
(``Item.locked``) accepts these calls; a checked-out one answers 423 to them all."""

from __future__ import annotations

import re
import uuid
from copy import copy
from io import BytesIO

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries
from werkzeug.wrappers import Request, Response

from .store import Drive, GraphFault, Item, _now

_RANGE = re.compile(r"worksheets/(?P<sheet>[^/]+)/range\(address='(?P<address>[^']+)'\)")
_FORMAT = re.compile(r"worksheets/(?P<sheet>[^/]+)/range\(address='(?P<address>[^']+)'\)/format")
_TABLE = re.compile(r"tables/(?P<table>[^/]+)/(?P<what>range|rows/add)")


def typed(cell, value, number_format: str | None) -> None:
    """Put ``value`` in ``cell`` as Excel would if a person typed it."""
    if number_format is not None:
        cell.number_format = number_format
    if value is None:
        return
    cell.quotePrefix = False
    if value == "":
        cell.value = None
    elif isinstance(value, str) and value.startswith("'"):
        cell.value, cell.data_type, cell.quotePrefix = value[1:], "s", True
    elif isinstance(value, str) and number_format == "@":
        cell.value, cell.data_type = value, "s"
    elif isinstance(value, str) and value.startswith("="):
        cell.value = value  # a formula
    elif isinstance(value, str) and value.upper() in ("TRUE", "FALSE"):
        cell.value = value.upper() == "TRUE"
    elif isinstance(value, str) and re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", value.strip()):
        number = float(value)
        cell.value = int(number) if number.is_integer() and "." not in value else number
    else:
        cell.value = value


class WorkbookRoutes:
    def __init__(self, m365):
        self.m365 = m365
        self.sessions: dict[str, str] = {}  # session id -> item id
        self.closed: list[str] = []

    def handle(self, request: Request, drive: Drive, item: Item, rest: str) -> Response:
        m = self.m365
        if item.checked_out:
            raise GraphFault(
                423, "resourceLocked", "The file is currently checked out or locked for editing by another user."
            )
        if item.folder or not item.name.lower().endswith(".xlsx"):
            raise GraphFault(400, "invalidRequest", "The item is not a workbook")
        if rest == "createSession" and request.method == "POST":
            sid = "cluster=" + uuid.uuid4().hex
            self.sessions[sid] = item.id
            persist = bool((request.get_json(silent=True) or {}).get("persistChanges"))
            return m.json({"id": sid, "persistChanges": persist}, 201)
        sid = request.headers.get("workbook-session-id")
        if sid is not None and self.sessions.get(sid) != item.id:
            raise GraphFault(404, "invalidSessionId", "The session id is invalid or has expired.")
        if rest == "closeSession" and request.method == "POST":
            del self.sessions[sid]
            self.closed.append(sid)
            return Response(b"", 204)
        wb = openpyxl.load_workbook(BytesIO(item.content))
        if (hit := _RANGE.fullmatch(rest)) and request.method == "PATCH":
            ws = self._sheet(wb, hit.group("sheet"))
            body = request.get_json() or {}
            result = self._patch(ws, hit.group("address"), body)
            self._save(drive, item, wb)
            return m.json(result)
        if (hit := _FORMAT.fullmatch(rest)) and request.method == "PATCH":
            ws = self._sheet(wb, hit.group("sheet"))
            body = request.get_json() or {}
            _, min_row, _, max_row = range_boundaries(hit.group("address"))
            for row in range(min_row, max_row + 1):
                if "rowHeight" in body:
                    ws.row_dimensions[row].height = body["rowHeight"]
            self._save(drive, item, wb)
            return m.json({"rowHeight": body.get("rowHeight"), "wrapText": body.get("wrapText")})
        if (hit := _TABLE.fullmatch(rest)) is None:
            raise GraphFault(400, "BadRequest", f"Unsupported workbook segment '{rest}'")
        ws, table = self._table(wb, hit.group("table"))
        if hit.group("what") == "range" and request.method == "GET":
            return m.json(_range_json(ws, table.ref))
        if hit.group("what") == "rows/add" and request.method == "POST":
            values = (request.get_json() or {}).get("values") or []
            index = None
            for row_values in values:
                index = self._add_row(ws, table, row_values)
            self._save(drive, item, wb)
            return m.json({"index": index, "values": values}, 201)
        raise GraphFault(405, "invalidRequest", f"{request.method} not supported here")

    # -- helpers -------------------------------------------------------------------------------
    @staticmethod
    def _sheet(wb, name: str):
        if name not in wb.sheetnames:
            raise GraphFault(404, "ItemNotFound", f"The requested worksheet '{name}' does not exist.")
        return wb[name]

    @staticmethod
    def _table(wb, name: str):
        for ws in wb.worksheets:
            for table in ws.tables.values():
                if table.displayName == name or table.name == name:
                    return ws, table
        raise GraphFault(404, "ItemNotFound", f"The requested table '{name}' does not exist.")

    @staticmethod
    def _patch(ws, address: str, body: dict) -> dict:
        min_col, min_row, max_col, max_row = range_boundaries(address)
        shape = (max_row - min_row + 1, max_col - min_col + 1)
        values, formats = body.get("values"), body.get("numberFormat")
        for matrix in (values, formats):
            if matrix is not None and (len(matrix), len(matrix[0]) if matrix else 0) != shape:
                raise GraphFault(400, "InvalidArgument", "The number of rows or columns does not match the range.")
        for r in range(shape[0]):
            for c in range(shape[1]):
                typed(
                    ws.cell(min_row + r, min_col + c),
                    values[r][c] if values is not None else None,
                    formats[r][c] if formats is not None else None,
                )
        return _range_json(ws, address)

    @staticmethod
    def _add_row(ws, table, values: list) -> int:
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
        if len(values) != max_col - min_col + 1:
            raise GraphFault(400, "InvalidArgument", "The number of values does not match the table's columns.")
        row = max_row + 1
        for offset, value in enumerate(values):
            cell = ws.cell(row, min_col + offset)
            above = ws.cell(max_row, min_col + offset)
            if max_row > min_row and above.has_style:  # a table's new row takes the row above's formats
                cell._style = copy(above._style)
            typed(cell, value, None)
        table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{row}"
        if table.autoFilter is not None:
            table.autoFilter.ref = table.ref
        return row - min_row - 1

    def _save(self, drive: Drive, item: Item, wb) -> None:
        # persistChanges: Excel saves into the file; each save is a new version (a new eTag).
        out = BytesIO()
        wb.save(out)
        item.content, item.version, item.modified, item.seq = (
            out.getvalue(),
            item.version + 1,
            _now(),
            drive.site.tick(),
        )


def _range_json(ws, address: str) -> dict:
    min_col, min_row, max_col, max_row = range_boundaries(address)
    cells = [[ws.cell(r, c) for c in range(min_col, max_col + 1)] for r in range(min_row, max_row + 1)]
    full = f"{ws.title}!{address}"
    return {
        "address": full,
        "addressLocal": full,
        "cellCount": sum(len(row) for row in cells),
        "columnCount": max_col - min_col + 1,
        "rowCount": max_row - min_row + 1,
        "columnIndex": min_col - 1,
        "rowIndex": min_row - 1,
        "values": [[_plain(c.value) for c in row] for row in cells],
        "numberFormat": [[c.number_format for c in row] for row in cells],
    }


def _plain(value):
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)
