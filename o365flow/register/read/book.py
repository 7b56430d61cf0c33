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
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field

from o365flow.register.read.parts import (  # noqa: F401 - the names the reader's users take from here
    _M,
    _RID,
    DOC_REL,
    FORMULA,
    KIND,
    MAIN,
    OFFICE_DOCUMENT,
    PKG_REL,
    STYLE,
    VALUE,
    Hyperlink,
    RawCell,
    Sheet,
    TablePart,
    UnreadableWorkbook,
    range_bounds,
    rels_path,
    split_ref,
)
from o365flow.register.read.sheetparse import parse_sheet, parse_table, shared_strings
from o365flow.register.read.xlsxvalues import (
    MAC_EPOCH,
    WINDOWS_EPOCH,
    Styles,
    convert,
    parse_styles,
)


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
                table = parse_table(self, target)
                if table is not None:
                    tables.append(table)
        return tables

    def sheet(self, name: str) -> Sheet:
        """The sheet called ``name`` (KeyError when there is none), parsed on first use."""
        if name not in self._sheets:
            self._sheets[name] = parse_sheet(self, name, self.sheet_paths[name])
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
        shared = shared_strings(_read(archive, by_type.get("sharedStrings")))
        return Book(archive, workbook_path, sheets, names, epoch, styles, shared)
    except UnreadableWorkbook:
        raise
    except (zipfile.BadZipFile, KeyError, ET.ParseError, ValueError, OSError, EOFError) as exc:
        raise UnreadableWorkbook(type(exc).__name__) from None



def _read(archive: zipfile.ZipFile, path: str | None) -> bytes | None:
    if path is None:
        return None
    try:
        return archive.read(path)
    except KeyError:
        return None



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


