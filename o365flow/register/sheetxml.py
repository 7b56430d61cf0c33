"""A fast, read-only view of an .xlsx workbook straight from its zip: sheet names, cells, styles,
tables and hyperlinks, without building a spreadsheet object model.

Cells are kept as stored (``RawCell``: text, kind, style id, formula); ``Book.value`` turns one
into the Python value openpyxl would give for it, so the register reads the same either way.
Sheets are parsed on first use, so a workbook's other sheets cost nothing: by ``fastcells``
(patterns, for sheets as spreadsheet programs write them) or else by a streaming XML parser.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from o365flow.register.fastcells import scan_cells
from o365flow.register.xlsxvalues import (
    MAC_EPOCH,
    WINDOWS_EPOCH,
    Styles,
    column_number,
    convert,
    parse_styles,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = DOC_REL + "/officeDocument"
_M = "{%s}" % MAIN
_ROW, _C, _V, _F, _IS, _T, _R = (_M + t for t in ("row", "c", "v", "f", "is", "t", "r"))
_HYPERLINK = _M + "hyperlink"
_RID = "{%s}id" % DOC_REL


class UnreadableWorkbook(ValueError):
    """The bytes are not an .xlsx workbook this module can read (the message names the part)."""


# One cell as stored: (value, kind, style, formula). ``value`` is the text of ``<v>`` (shared
# strings resolved, inline strings joined), ``kind`` the stored type (``n``, ``s``, ``b``, ``e``,
# ``d``, ``inlineStr`` without text), ``style`` the cellXfs index, ``formula`` the formula text or
# None. A plain tuple: a large register has 100,000 of them.
RawCell = tuple
VALUE, KIND, STYLE, FORMULA = range(4)


@dataclass(frozen=True)
class TablePart:
    """An Excel table (``xl/tables/*.xml``) on a sheet."""

    name: str
    display_name: str
    ref: str
    path: str
    columns: tuple[str, ...]
    header_rows: int = 1
    totals_rows: int = 0

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        """(min_col, min_row, max_col, max_row), 1-based."""
        return range_bounds(self.ref)


@dataclass(frozen=True)
class Hyperlink:
    ref: str
    target: str | None
    location: str | None
    rel_id: str | None


@dataclass
class Sheet:
    """One worksheet: ``rows`` maps row number -> {column number: RawCell}, for the cells that
    hold a value or a formula (empty formatted cells are left out)."""

    name: str
    path: str
    rows: dict[int, dict[int, RawCell]]
    tables: list[TablePart]
    hyperlinks: list[Hyperlink]
    rels: dict[str, tuple[str, str, str | None]]  # id -> (type, target, target mode)
    positional: bool  # every row and cell carries its address (what patching relies on)

    def cell(self, row: int, col: int) -> RawCell | None:
        return self.rows.get(row, {}).get(col)


@dataclass
class Book:
    """An opened workbook: its parts, sheet names in tab order, styles and shared strings."""

    zip: zipfile.ZipFile
    workbook_path: str
    sheet_paths: dict[str, str]
    defined_names: dict[str, str]
    epoch: object
    styles: Styles
    shared: list[str]
    _sheets: dict[str, Sheet] = field(default_factory=dict)

    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheet_paths)

    def part(self, path: str) -> bytes | None:
        try:
            return self.zip.read(path)
        except KeyError:
            return None

    def part_rels(self, part: str) -> dict[str, tuple[str, str, str | None]]:
        """The relationships of zip member ``part``: id -> (type, target path or URL, mode)."""
        return _rels(self.zip, rels_path(part))

    def sheet_rels(self, name: str) -> dict[str, tuple[str, str, str | None]]:
        """The relationships of sheet ``name``."""
        return self.part_rels(self.sheet_paths[name])

    def sheet_tables(self, name: str, rels=None) -> list[TablePart]:
        """The tables on sheet ``name``, without reading its cells."""
        rels = self.sheet_rels(name) if rels is None else rels
        tables = []
        for typ, target, _ in rels.values():
            if typ.endswith("/table"):
                table = _table(self, target)
                if table is not None:
                    tables.append(table)
        return tables

    def sheet(self, name: str) -> Sheet:
        """The sheet called ``name`` (KeyError when there is none), parsed on first use."""
        if name not in self._sheets:
            self._sheets[name] = _parse_sheet(self, name, self.sheet_paths[name])
        return self._sheets[name]

    def value(self, cell: RawCell | None, *, data_only: bool = True) -> tuple[object, str]:
        """(value, data type) as openpyxl gives them: ``data_only`` the last calculated value
        of a formula (a read-only read), otherwise the formula text ("=..."; a full load)."""
        if cell is None:
            return None, "n"
        value, kind, style, formula = cell
        if not data_only and formula is not None:
            return "=" + formula, "f"
        return convert(value, kind, style, self.styles, self.epoch)

    def row_values(self, sheet: Sheet, number: int, *, data_only: bool = True) -> tuple:
        """Row ``number``'s values from column A to its last stored cell (() when empty),
        as openpyxl's ``iter_rows(values_only=True)`` gives them."""
        cells = sheet.rows.get(number)
        if not cells:
            return ()
        values = [None] * max(cells)
        for col, cell in cells.items():
            values[col - 1] = self.value(cell, data_only=data_only)[0]
        return tuple(values)


def open_book(data: bytes) -> Book:
    """Open workbook bytes; raises ``UnreadableWorkbook`` when they are not a workbook."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        root_rels = _rels(archive, "_rels/.rels")
        workbook_path = next(
            (t for typ, t, _ in root_rels.values() if typ == OFFICE_DOCUMENT),
            "xl/workbook.xml",
        )
        root = ET.fromstring(archive.read(workbook_path))
        if root.tag != _M + "workbook":
            raise UnreadableWorkbook(f"{workbook_path} is not a workbook")
        rels = _rels(archive, rels_path(workbook_path))
        targets = {rid: target for rid, (_, target, _) in rels.items()}
        sheets: dict[str, str] = {}
        for el in root.iterfind(f"{_M}sheets/{_M}sheet"):
            target = targets.get(el.get(_RID))
            if target is not None and target.endswith(".xml"):
                sheets[el.get("name")] = target
        names = {
            el.get("name"): el.text or ""
            for el in root.iterfind(f"{_M}definedNames/{_M}definedName")
            if el.get("localSheetId") is None
        }
        pr = root.find(_M + "workbookPr")
        epoch = WINDOWS_EPOCH
        if pr is not None and pr.get("date1904") in ("1", "true"):
            epoch = MAC_EPOCH
        by_type = {typ.rsplit("/", 1)[-1]: t for typ, t, _ in rels.values()}
        styles = parse_styles(_read(archive, by_type.get("styles")))
        shared = _shared_strings(_read(archive, by_type.get("sharedStrings")))
        return Book(archive, workbook_path, sheets, names, epoch, styles, shared)
    except UnreadableWorkbook:
        raise
    except (zipfile.BadZipFile, KeyError, ET.ParseError, ValueError, OSError, EOFError) as exc:
        raise UnreadableWorkbook(type(exc).__name__) from None


def range_bounds(ref: str) -> tuple[int, int, int, int]:
    """(min_col, min_row, max_col, max_row) of an A1 range such as ``A1:AD40`` (or one cell)."""
    first, _, last = ref.replace("$", "").partition(":")
    last = last or first
    c1, r1 = split_ref(first)
    c2, r2 = split_ref(last)
    return c1, r1, c2, r2


def split_ref(ref: str) -> tuple[int, int]:
    """(column, row) of an A1 cell address."""
    letters = ref.rstrip("0123456789")
    return column_number(letters), int(ref[len(letters):])


def _read(archive: zipfile.ZipFile, path: str | None) -> bytes | None:
    if path is None:
        return None
    try:
        return archive.read(path)
    except KeyError:
        return None


def rels_path(part: str) -> str:
    """Where the relationships of zip member ``part`` are kept."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _rels(archive: zipfile.ZipFile, path: str) -> dict[str, tuple[str, str, str | None]]:
    """A part's relationships: id -> (type, target resolved to a zip path, target mode)."""
    data = _read(archive, path)
    if data is None:
        return {}
    base = posixpath.dirname(posixpath.dirname(path))
    out = {}
    for el in ET.fromstring(data):
        target, mode = el.get("Target", ""), el.get("TargetMode")
        if mode != "External":
            target = (
                target[1:]
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(base, target))
            )
        out[el.get("Id")] = (el.get("Type", ""), target, mode)
    return out


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


def _shared_strings(data: bytes | None) -> list[str]:
    if not data:
        return []
    out = []
    for _, el in ET.iterparse(io.BytesIO(data)):
        if el.tag == _M + "si":
            # openpyxl drops this escape prefix from shared strings; reading the same needs it.
            out.append(_text(el).replace("x005F_", ""))
            el.clear()
    return out


def _parse_sheet(book: Book, name: str, path: str) -> Sheet:
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
    return Sheet(name, path, rows, book.sheet_tables(name, rels), links, rels, positional)


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


def _table(book: Book, path: str) -> TablePart | None:
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
