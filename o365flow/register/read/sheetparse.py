"""Parsing one worksheet, its tables and the shared strings from the workbook's XML: by
``fastcells`` (patterns, for sheets as spreadsheet programs write them) or else by a streaming
XML parser that takes any well-formed sheet."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile

from o365flow.register.read.fastcells import scan_cells
from o365flow.register.read.parts import (
    _C,
    _F,
    _HYPERLINK,
    _IS,
    _M,
    _R,
    _RID,
    _ROW,
    _T,
    _V,
    Hyperlink,
    RawCell,
    Sheet,
    TablePart,
    UnreadableWorkbook,
)
from o365flow.register.read.xlsxvalues import column_number


def _text(el: ET.Element) -> str:
    """The text of a shared or inline string: plain text and rich-text runs, no phonetics."""
    parts = []
    for child in el:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _R:
            t = child.find(_T)
            if t is not None:
                parts.append(t.text or "")
    return "".join(parts)


def shared_strings(data: bytes | None) -> list[str]:
    if not data:
        return []
    out = []
    for _, el in ET.iterparse(io.BytesIO(data)):
        if el.tag == _M + "si":
            # openpyxl drops this escape prefix from shared strings; reading the same needs it.
            out.append(_text(el).replace("x005F_", ""))
            el.clear()
    return out



def parse_sheet(book, name: str, path: str) -> Sheet:
    rels = book.sheet_rels(name)
    try:
        raw = book.zip.read(path)
        fast = _scan(raw, book.shared)
        if fast is not None:
            rows, links, positional = fast[0], _links(fast[1], rels), True
        else:
            rows, links, positional = _iterparse(raw, book.shared, rels)
    except (ET.ParseError, ValueError, IndexError, KeyError, zipfile.BadZipFile) as exc:
        raise UnreadableWorkbook(f"{path}: {type(exc).__name__}") from None
    return Sheet(name, path, rows, book.sheet_tables(name, rels), links, rels, positional, column_widths(raw))


_COLS = re.compile(rb"<(?:\w+:)?cols\b.*?</(?:\w+:)?cols>", re.DOTALL)
_COL = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_ATTR = re.compile(rb"""\b(min|max|width)\s*=\s*["']([0-9.]+)["']""")


def column_widths(raw: bytes) -> dict[int, float]:
    """Column number -> width, from the sheet's ``<cols>`` (only the columns it sets; a range
    reaching the sheet's last column is taken as far as column 200)."""
    end = raw.find(b"sheetData")
    m = _COLS.search(raw, 0, end if end > 0 else len(raw))
    out: dict[int, float] = {}
    if m is None:
        return out
    for col in _COL.finditer(m.group(0)):
        attrs = {k.decode(): v.decode() for k, v in _ATTR.findall(col.group(1))}
        if "width" not in attrs or "min" not in attrs:
            continue
        low, high = int(attrs["min"]), min(int(attrs.get("max", attrs["min"])), 200)
        for n in range(low, high + 1):
            out[n] = float(attrs["width"])
    return out


def _scan(raw: bytes, shared: list[str]):
    """(rows, the sheet's XML without its sheetData) by the fast path, or None."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    try:
        xml = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    found = scan_cells(xml, shared)
    if found is None:
        return None
    rows, (start, end) = found
    return rows, xml[:start] + xml[end:]


def _links(rest: str, rels) -> list[Hyperlink]:
    if "hyperlink" not in rest:
        return []
    root = ET.fromstring(rest.encode("utf-8"))
    return [_link(el, rels) for el in root.iter(_HYPERLINK)]


def _link(el: ET.Element, rels) -> Hyperlink:
    rid = el.get(_RID)
    rel = rels.get(rid) if rid else None
    return Hyperlink(el.get("ref", ""), rel[1] if rel else None, el.get("location"), rid)


def _iterparse(raw: bytes, shared: list[str], rels):
    """The cells by a streaming XML parser: any well-formed sheet, however it is written."""
    rows: dict[int, dict[int, RawCell]] = {}
    links: list[Hyperlink] = []
    positional, row_number = True, 0
    for _, el in ET.iterparse(io.BytesIO(raw)):
        tag = el.tag
        if tag == _ROW:
            r = el.get("r")
            if r is None:
                positional = False
                row_number += 1
            else:
                row_number = int(float(r)) if "." in r else int(r)
            col = 0
            for c in el:
                if c.tag != _C:
                    continue
                ref = c.get("r")
                if ref is None:
                    positional, col, at = False, col + 1, row_number
                else:
                    letters = ref.rstrip("0123456789")
                    col, at = column_number(letters), int(ref[len(letters):])
                cell = _cell(c, shared)
                if cell[0] is not None or cell[3] is not None:
                    rows.setdefault(at, {})[col] = cell
            el.clear()
        elif tag == _HYPERLINK:
            links.append(_link(el, rels))
    return rows, links, positional


def _cell(c: ET.Element, shared: list[str]) -> RawCell:
    kind = c.get("t", "n")
    style = int(c.get("s") or 0)
    value = formula = None
    for child in c:
        tag = child.tag
        if tag == _V:
            value = child.text or None
        elif tag == _F:
            formula = child.text or ""
        elif tag == _IS and kind == "inlineStr":
            value = _text(child)
    if kind == "inlineStr":
        if value is not None:
            kind = "s"
    elif kind == "s" and value is not None:
        value = shared[int(value)]
    elif kind == "str":
        kind = "s"
    return (value, kind, style, formula)


def parse_table(book, path: str) -> TablePart | None:
    data = book.part(path)
    if data is None:
        return None
    root = ET.fromstring(data)
    columns = tuple(
        el.get("name", "") for el in root.iterfind(f"{_M}tableColumns/{_M}tableColumn")
    )
    return TablePart(
        root.get("name", ""),
        root.get("displayName") or root.get("name", ""),
        root.get("ref", ""),
        path,
        columns,
        int(root.get("headerRowCount", "1")),
        int(root.get("totalsRowCount", "0")),
    )
