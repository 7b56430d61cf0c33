"""Applying ``RegisterEdits`` to the workbook's XML in place, in a fraction of the time a full
openpyxl load and save takes.

Only the edited sheets' XML, their relationships (hyperlinks) and tables, the styles part (when
a cell needs a style the file lacks) and the workbook's calculation flag change; every other zip
member is copied as it is, and within a sheet every cell not edited keeps its bytes. Values are
written as ``values.write_value`` writes them: text always as text (an inline string, with the
quote prefix when it starts like a formula), dates as serial numbers shown dd/mm/yyyy, a ``Link``
as a hyperlink relationship in the link font.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime, time
from math import isinf, isnan
from xml.sax.saxutils import escape

from o365flow.register.model import CellEdit, Link, RegisterEdits, RowAppend, RowHeight
from o365flow.register.patch.sheet import PatchError, SheetPatcher
from o365flow.register.fontorder import in_order
from o365flow.register.patch.styles import StyleEditor
from o365flow.register.patch.zipcopy import replace_members
from o365flow.register.read.book import (
    DOC_REL,
    Book,
    open_book,
    rels_path,
    split_ref,
)
from o365flow.register.read.xlsxvalues import to_excel
from o365flow.register.values import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    ESCAPE_LIKE,
    clean_text,
)

_FORMULA_START = ("=", "+", "-", "@")
_CALC = re.compile(r"<calcPr\b([^>]*?)(/?)>")


def apply_edits(data: bytes, edits: RegisterEdits) -> bytes:
    """The workbook ``data`` with ``edits`` applied (``data`` itself when there are none)."""
    if not edits:
        return data
    book = open_book(data)
    styles_path = _styles_path(book)
    styles_xml = book.part(styles_path)
    if styles_xml is None:
        raise PatchError("the workbook has no styles part")
    styles = StyleEditor(styles_xml.decode("utf-8"))
    cells: dict[str, list[CellEdit]] = defaultdict(list)
    rows: dict[str, list[RowAppend]] = defaultdict(list)
    heights: dict[str, list[RowHeight]] = defaultdict(list)
    for edit in edits.cells:
        cells[edit.sheet].append(edit)
    for append in edits.rows:
        rows[append.sheet].append(append)
    for height in edits.heights:
        heights[height.sheet].append(height)
    parts: dict[str, bytes] = {}
    for sheet in dict.fromkeys([*cells, *rows, *heights]):
        if sheet not in book.sheet_paths:
            raise PatchError(f"the register has no sheet {sheet!r}")
        patcher = _patch_sheet(book, sheet, cells.get(sheet, []), rows.get(sheet, []), styles, parts)
        for height in heights.get(sheet, []):
            patcher.set_height(height.row, height.height)
        _render(book, sheet, patcher, parts)
    ordered = in_order(styles.xml())  # a register an older version saved is put right too
    if styles.changed or ordered != styles_xml.decode("utf-8"):
        parts[styles_path] = ordered.encode("utf-8")
    workbook = book.part(book.workbook_path).decode("utf-8")
    if _full_calc(workbook) != workbook:
        parts[book.workbook_path] = _full_calc(workbook).encode("utf-8")
    return replace_members(data, parts)


def _patch_sheet(book: Book, sheet: str, cells, appends, styles: StyleEditor, parts: dict) -> SheetPatcher:
    """A patcher for ``sheet`` with its cells set and rows appended (its tables' parts
    stretched into ``parts``)."""
    path = book.sheet_paths[sheet]
    rels_part = rels_path(path)
    rels_xml = book.part(rels_part)
    patcher = SheetPatcher(
        book.part(path).decode("utf-8"),
        rels_xml.decode("utf-8") if rels_xml is not None else None,
    )
    for edit in cells:
        col, row = split_ref(edit.cell)
        patcher.set_cell(row, col, *_cell(edit.value, patcher.base_style(row, col), styles, book.epoch))
    if appends:
        tables = {t.display_name: t for t in book.sheet_tables(sheet)}
        by_table: dict[str, list[RowAppend]] = defaultdict(list)
        for append in appends:
            if append.table not in tables:
                raise PatchError(f"the register sheet {sheet!r} has no table {append.table!r}")
            by_table[append.table].append(append)
        for name, items in by_table.items():
            table = tables[name]
            min_col, min_row, max_col, max_row = table.bounds
            for offset, append in enumerate(items, start=1):
                row = max_row + offset
                if len(append.values) != max_col - min_col + 1:
                    raise PatchError(f"a row for table {name!r} needs {max_col - min_col + 1} values")
                for col, value in enumerate(append.values, start=min_col):
                    base = patcher.style_at(max_row, col)
                    patcher.set_cell(row, col, *_cell(value, base, styles, book.epoch))
                patcher.set_height(row, append.height)
            new_last = max_row + len(items)
            patcher.stretch(min_col, min_row, max_col, max_row, new_last)
            parts[table.path] = _stretch_table(book.part(table.path).decode("utf-8"), max_row, new_last).encode(
                "utf-8"
            )
    return patcher


def _render(book: Book, sheet: str, patcher: SheetPatcher, parts: dict) -> None:
    path = book.sheet_paths[sheet]
    parts[path] = patcher.xml().encode("utf-8")
    if patcher.rels_changed:
        parts[rels_path(path)] = patcher.rels_xml().encode("utf-8")


def _cell(value: object, style: int, styles: StyleEditor, epoch) -> tuple[str, int, str | None]:
    """(the cell's content XML and type attribute, its style, its hyperlink or None) for
    ``value``, as ``values.write_value`` writes it."""
    if isinstance(value, Link):
        text = clean_text(value.text)
        shown = text or value.url  # openpyxl shows the address when the link has no text
        quote = text.startswith(_FORMULA_START) if text else None
        style = styles.derive(style, quote=quote, link=True)
        return _text_xml(shown if not text else ESCAPE_LIKE.sub("_x005F_", text)), style, value.url
    if value is None:
        return "", styles.derive(style, quote=False), None
    if isinstance(value, str):
        text = clean_text(value)
        if not text:
            return "", style, None
        style = styles.derive(style, quote=text.startswith(_FORMULA_START))
        return _text_xml(ESCAPE_LIKE.sub("_x005F_", text)), style, None
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
        # A time-stamp column (the Audit sheet's When) keeps its time even at midnight.
        keeps_time = styles.number_format(style) == DATETIME_FORMAT
        fmt = DATE_FORMAT if value.time() == time() and not keeps_time else DATETIME_FORMAT
        style = styles.derive(style, number_format=fmt, quote=False)
        return _number_xml(to_excel(value, epoch)), style, None
    if isinstance(value, date):
        style = styles.derive(style, number_format=DATE_FORMAT, quote=False)
        return _number_xml(to_excel(value, epoch)), style, None
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v>', styles.derive(style, quote=False), None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (isnan(value) or isinf(value)):
            return "", styles.derive(style, quote=False), None
        return _number_xml(value), styles.derive(style, quote=False), None
    raise PatchError(f"cannot write a {type(value).__name__} to the register")


def _text_xml(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    body = escape(text).replace("\r", "&#13;")
    return f' t="inlineStr"><is><t{space}>{body}</t></is>'


def _number_xml(number: float) -> str:
    return f"><v>{'%.16g' % number}</v>"


def _stretch_table(xml: str, old_last: int, new_last: int) -> str:
    """The table part with its range (and its filter's) reaching row ``new_last``."""

    def stretch(m: re.Match) -> str:
        ref = m.group(2)
        first, _, last = ref.partition(":")
        letters = last.rstrip("0123456789")
        if last and int(last[len(letters):]) == old_last:
            ref = f"{first}:{letters}{new_last}"
        return f"{m.group(1)}{ref}{m.group(3)}"

    return re.sub(r'(<(?:table|autoFilter|sortState)\b[^>]*?\sref=")([^"]*)(")', stretch, xml)


def _full_calc(xml: str) -> str:
    """Ask Excel to recalculate every formula on opening: cells they use have changed."""
    m = _CALC.search(xml)
    if m is None:
        at = xml.rfind("</workbook>")
        for tag in ("<oleSize", "<customWorkbookViews", "<pivotCaches", "<smartTagPr", "<smartTagTypes",
                    "<webPublishing", "<fileRecoveryPr", "<webPublishObjects", "<extLst"):
            found = xml.find(tag)
            if found >= 0:
                at = min(at, found)
        return xml[:at] + '<calcPr fullCalcOnLoad="1"/>' + xml[at:]
    attrs = re.sub(r'\sfullCalcOnLoad\s*=\s*"[^"]*"', "", m.group(1))
    return xml[: m.start()] + f'<calcPr{attrs} fullCalcOnLoad="1"{m.group(2)}>' + xml[m.end():]


def _styles_path(book: Book) -> str:
    for typ, target, _ in book.part_rels(book.workbook_path).values():
        if typ == DOC_REL + "/styles":
            return target
    raise PatchError("the workbook has no styles part")
