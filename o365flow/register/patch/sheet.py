"""One worksheet's XML patched as text: cells set, rows added, hyperlinks and the ranges that
follow a table's end stretched. Everything not touched keeps its bytes."""

from __future__ import annotations

import re
from xml.sax.saxutils import quoteattr

from o365flow.register.read.book import DOC_REL, PKG_REL, range_bounds
from o365flow.register.read.fastcells import sheet_data_span
from o365flow.register.read.xlsxvalues import column_letter, column_number

_ROW_START = re.compile(r"<row\b([^>]*?)(/?)>")
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_R = re.compile(r"""\sr\s*=\s*["']([A-Z]*)([0-9]+)["']""")
_S = re.compile(r"""\ss\s*=\s*["']([0-9]*)["']""")
_SPANS = re.compile(r"""\sspans\s*=\s*["']([0-9]+):([0-9]+)["']""")
_HYPERLINKS = re.compile(r"<hyperlinks\b[^>]*?(?:/>|>(.*?)</hyperlinks>)", re.DOTALL)
_HYPERLINK = re.compile(r"<hyperlink\b([^>]*?)(?:/>|>.*?</hyperlink>)", re.DOTALL)
_REF = re.compile(r"""\sref\s*=\s*["']([^"']*)["']""")
_LINK_ID = re.compile(r"""\s\w+:id\s*=\s*["']([^"']*)["']""")
_RELATIONSHIP = re.compile(r"<Relationship\b([^>]*?)(?:/>|>.*?</Relationship>)", re.DOTALL)
_REL_ID = re.compile(r"""\sId\s*=\s*["']([^"']*)["']""")
_SQREF_ATTR = re.compile(r"""(<(?:conditionalFormatting|dataValidation)\b[^>]*?\ssqref=")([^"]*)(")""")
_SQREF_ELEMENT = re.compile(r"(<xm:sqref>)([^<]*)(</xm:sqref>)")
_DIMENSION = re.compile(r"""(<dimension\b[^>]*?\sref=")([^"]*)(")""")
# Elements a worksheet may hold after <hyperlinks>, in schema order.
_AFTER_LINKS = (
    "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
    "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
    "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
    "tableParts", "extLst",
)
HYPERLINK_TYPE = DOC_REL + "/hyperlink"


class PatchError(ValueError):
    """The edits do not fit the workbook as written (no such sheet or table, rows or cells
    without their addresses): the full rewrite handles it."""


class SheetPatcher:
    """Collects cell writes on one sheet's XML (and its relationships) and renders the result."""

    def __init__(self, xml: str, rels: str | None):
        span = sheet_data_span(xml)
        if span is None:
            raise PatchError("the sheet has no sheetData")
        start, end = span
        element = xml[start:end]
        if element.endswith("/>"):
            self.open_tag, body = element[:-2] + ">", ""
        else:
            open_end = element.index(">") + 1
            self.open_tag, body = element[:open_end], element[open_end : -len("</sheetData>")]
        self.head, self.body, self.tail = xml[:start], body, xml[end:]
        self.rels = rels
        self.rels_changed = False
        self.rows: dict[int, tuple[int, int, bool]] = {}  # row -> (start, start-tag end, empty)
        for m in _ROW_START.finditer(body):
            r = re.search(r"""\sr\s*=\s*["']([0-9]+)["']""", m.group(1))
            if r is None:
                raise PatchError("a row without its number")
            self.rows[int(r.group(1))] = (m.start(), m.end(), bool(m.group(2)))
        self._cells: dict[int, dict[int, str]] = {}
        self.writes: dict[int, dict[int, str]] = {}
        self.links: dict[str, str | None] = {}
        self.heights: dict[int, float | None] = {}
        self.max_row = self.max_col = 0

    def style_at(self, row: int, col: int) -> int:
        """The style of an existing cell (0 when there is none)."""
        cell = self._row_cells(row).get(col)
        if cell is None:
            return 0
        s = _S.search(cell[: cell.find(">")])
        return int(s.group(1) or 0) if s else 0

    def base_style(self, row: int, col: int) -> int:
        """The style a value written at (row, col) starts from: the cell's own, or for a cell
        not there yet the one above it (the column's body style)."""
        if col in self._row_cells(row):
            return self.style_at(row, col)
        return self.style_at(row - 1, col) if row > 1 else 0

    def set_cell(self, row: int, col: int, content: str, style: int, link: str | None) -> None:
        """Write a cell: ``content`` is "" (blank) or its type attribute and children."""
        ref = f"{column_letter(col)}{row}"
        s = f' s="{style}"' if style else ""
        self.writes.setdefault(row, {})[col] = (
            f'<c r="{ref}"{s}{content}</c>' if content else f'<c r="{ref}"{s}/>'
        )
        self.links[ref] = link
        self.max_row, self.max_col = max(self.max_row, row), max(self.max_col, col)

    def set_height(self, row: int, height: float | None) -> None:
        """Give ``row`` a fixed height in points (None: the default height)."""
        self.heights[row] = height

    def stretch(self, min_col: int, min_row: int, max_col: int, old_last: int, new_last: int) -> None:
        """Make the conditional formats and validations that ended at the table's last row
        (``old_last``) reach ``new_last``, as Excel does when a table grows."""

        def fix(m: re.Match) -> str:
            refs = []
            for ref in m.group(2).split():
                c1, r1, c2, r2 = range_bounds(ref)
                if r2 == old_last and min_row < r1 <= old_last and c1 <= max_col and c2 >= min_col:
                    ref = f"{column_letter(c1)}{r1}:{column_letter(c2)}{new_last}"
                refs.append(ref)
            return m.group(1) + " ".join(refs) + m.group(3)

        self.tail = _SQREF_ELEMENT.sub(fix, _SQREF_ATTR.sub(fix, self.tail))

    def xml(self) -> str:
        """The sheet's XML with every write made."""
        return self._head() + self.open_tag + self._body() + "</sheetData>" + self._tail()

    def rels_xml(self) -> str:
        return self.rels

    def _row_cells(self, row: int) -> dict[int, str]:
        if row not in self._cells:
            cells: dict[int, str] = {}
            if row in self.rows:
                start, tag_end, empty = self.rows[row]
                if not empty:
                    end = self.body.index("</row>", tag_end)
                    for m in _CELL.finditer(self.body, tag_end, end):
                        r = _R.search(m.group(1))
                        if r is None:
                            raise PatchError(f"a cell without its address in row {row}")
                        cells[column_number(r.group(1))] = m.group(0)
            self._cells[row] = cells
        return self._cells[row]

    def _body(self) -> str:
        body = self.body
        changes: list[tuple[int, int, str]] = []
        later = sorted(self.rows)
        inserts: dict[int, list[str]] = {}
        for row in sorted({*self.writes, *self.heights}):
            cells = dict(self._row_cells(row))
            cells.update(self.writes.get(row, {}))
            inner = "".join(cells[c] for c in sorted(cells))
            if row in self.rows:
                start, tag_end, empty = self.rows[row]
                end = tag_end if empty else body.index("</row>", tag_end) + len("</row>")
                tag = _spans(body[start:tag_end], min(cells, default=1), max(cells, default=1))
            else:
                tag = f'<row r="{row}">'
            if row in self.heights:
                tag = _height(tag, self.heights[row])
            if row in self.rows:
                changes.append((start, end, tag + inner + "</row>"))
            else:
                at = next((self.rows[r][0] for r in later if r > row), len(body))
                inserts.setdefault(at, []).append(f"{tag}{inner}</row>")
        for at, rows in inserts.items():
            changes.append((at, at, "".join(rows)))
        pieces, pos = [], 0
        for start, end, text in sorted(changes, key=lambda c: (c[0], c[1])):
            pieces += [body[pos:start], text]
            pos = end
        pieces.append(body[pos:])
        return "".join(pieces)

    def _head(self) -> str:
        if not self.max_row:
            return self.head

        def grow(m: re.Match) -> str:
            c1, r1, c2, r2 = range_bounds(m.group(2))
            c2, r2 = max(c2, self.max_col), max(r2, self.max_row)
            return f"{m.group(1)}{column_letter(c1)}{r1}:{column_letter(c2)}{r2}{m.group(3)}"

        return _DIMENSION.sub(grow, self.head, count=1)

    def _tail(self) -> str:
        if not self.links:
            return self.tail
        tail = self.tail
        m = _HYPERLINKS.search(tail)
        kept, dropped = [], []
        if m is not None:
            for item in _HYPERLINK.finditer(m.group(1) or ""):
                ref = _REF.search(item.group(1))
                if ref is not None and ref.group(1) in self.links:
                    rid = _LINK_ID.search(item.group(1))
                    if rid:
                        dropped.append(rid.group(1))
                else:
                    kept.append(item.group(0))
        still = {r.group(1) for k in kept for r in [_LINK_ID.search(k)] if r}
        self._drop_rels([rid for rid in dropped if rid not in still])
        for ref, url in self.links.items():
            if url is not None:
                rid = self._add_rel(url)
                kept.append(f'<hyperlink ref="{ref}" r:id="{rid}" xmlns:r="{DOC_REL}"/>')
        element = f"<hyperlinks>{''.join(kept)}</hyperlinks>" if kept else ""
        if m is not None:
            return tail[: m.start()] + element + tail[m.end():]
        if not element:
            return tail
        return tail[: _links_position(tail)] + element + tail[_links_position(tail):]

    def _drop_rels(self, ids: list[str]) -> None:
        if not ids or self.rels is None:
            return

        def keep(m: re.Match) -> str:
            rid = _REL_ID.search(m.group(1))
            return "" if rid and rid.group(1) in ids else m.group(0)

        self.rels = _RELATIONSHIP.sub(keep, self.rels)
        self.rels_changed = True

    def _add_rel(self, url: str) -> str:
        if self.rels is None:
            self.rels = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Relationships xmlns="{PKG_REL}"></Relationships>'
            )
        used = set(_REL_ID.findall(self.rels))
        n = 1 + max((int(i[3:]) for i in used if i.startswith("rId") and i[3:].isdigit()), default=0)
        rid = f"rId{n}"
        rel = f'<Relationship Id="{rid}" Type="{HYPERLINK_TYPE}" Target={quoteattr(url)} TargetMode="External"/>'
        at = self.rels.rindex("</Relationships>")
        self.rels = self.rels[:at] + rel + self.rels[at:]
        self.rels_changed = True
        return rid


def _spans(tag: str, first: int, last: int) -> str:
    """A row's start tag whose ``spans`` hint (when it has one) covers its cells."""
    if tag.endswith("/>"):
        tag = tag[:-2] + ">"
    m = _SPANS.search(tag)
    if m is None:
        return tag
    lo, hi = min(int(m.group(1)), first), max(int(m.group(2)), last)
    return tag[: m.start()] + f' spans="{lo}:{hi}"' + tag[m.end():]


_HT = re.compile(r"""\s(?:ht|customHeight)\s*=\s*["'][^"']*["']""")


def _height(tag: str, height: float | None) -> str:
    """A row's start tag with its fixed height set (or removed: the default height)."""
    tag = _HT.sub("", tag)
    if height is None:
        return tag
    return tag[:-1] + f' ht="{height:g}" customHeight="1">'


def _links_position(tail: str) -> int:
    """Where a new <hyperlinks> element goes: before the first element the schema puts after it
    (looking past the formats and validations, which may hold an extLst of their own)."""
    start = max(tail.rfind("</conditionalFormatting>"), tail.rfind("</dataValidations>"), 0)
    best = tail.rindex("</worksheet>")
    for name in _AFTER_LINKS:
        m = re.compile(rf"<{name}\b").search(tail, start)
        if m is not None:
            best = min(best, m.start())
    return best
