"""Cell styles derived in ``xl/styles.xml`` text: the same style with a date format, with or
without the quote prefix that keeps "=..." text as text, or with the link font.

Existing styles keep their index and bytes; a derived style reuses an equal one when the file
has it and is appended to ``cellXfs`` otherwise (as Excel does when a format is applied).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import quoteattr

from o365flow.register.read.fastcells import unescape

_XFS = re.compile(r"(<cellXfs\b[^>]*?)(?:/>|>(.*?)</cellXfs>)", re.DOTALL)
_FONTS = re.compile(r"(<fonts\b[^>]*?)(?:/>|>(.*?)</fonts>)", re.DOTALL)
_NUMFMTS = re.compile(r"(<numFmts\b[^>]*?)(?:/>|>(.*?)</numFmts>)", re.DOTALL)
_ELEMENT = {
    name: re.compile(rf"<{name}\b[^>]*?(?:/>|>.*?</{name}>)", re.DOTALL)
    for name in ("xf", "font", "numFmt")
}
_ATTRS = re.compile(r"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_START = re.compile(r"<(\w+)\b([^>]*?)(/?)>")
# Link font as openpyxl writes values.LINK_FONT.
LINK_FONT_XML = '<font><name val="Calibri"/><color rgb="000563C1"/><sz val="11"/><u val="single"/></font>'
_LINK_FONT = {"name": "Calibri", "sz": "11", "color": "0563C1", "u": "single"}


def _attrs(start: str) -> dict[str, str]:
    return {k: unescape(a if a else b) for k, a, b in _ATTRS.findall(start)}


class StyleEditor:
    """Derive cell styles in a styles part; ``xml()`` gives the part with any styles added."""

    def __init__(self, xml: str):
        self.source = xml
        self.changed = False
        m = _XFS.search(xml)
        if m is None:
            raise ValueError("the styles part has no cellXfs")
        self.xfs = _ELEMENT["xf"].findall(m.group(2) or "")
        self.known = {_canonical(x): i for i, x in reversed(list(enumerate(self.xfs)))}
        m = _FONTS.search(xml)
        self.fonts = _ELEMENT["font"].findall(m.group(2) or "") if m else []
        m = _NUMFMTS.search(xml)
        self.numfmts = [_attrs(x) for x in _ELEMENT["numFmt"].findall(m.group(2) or "")] if m else []
        self.new_xfs: list[str] = []
        self.new_fonts: list[str] = []
        self.new_numfmts: list[tuple[int, str]] = []
        self.cache: dict[tuple, int] = {}

    def number_format(self, style: int) -> str | None:
        """The custom format code of ``style`` (None for a built-in one)."""
        xf = self._xf(style)
        fmt_id = _attrs(_START.match(xf).group(2)).get("numFmtId", "0")
        for fmt in self.numfmts:
            if fmt.get("numFmtId") == fmt_id:
                return fmt.get("formatCode")
        for new_id, code in self.new_numfmts:
            if str(new_id) == fmt_id:
                return code
        return None

    def derive(
        self, style: int, *, number_format: str | None = None, quote: bool | None = None, link: bool = False
    ) -> int:
        """The index of ``style`` changed as asked (``quote`` None: left as it is)."""
        key = (style, number_format, quote, link)
        if key in self.cache:
            return self.cache[key]
        xf = self._xf(style)
        m = _START.match(xf)
        attrs = _attrs(m.group(2))
        want = dict(attrs)
        if number_format is not None and self.number_format(style) != number_format:
            want["numFmtId"] = str(self._numfmt_id(number_format))
            want["applyNumberFormat"] = "1"
        if quote is not None and _true(attrs.get("quotePrefix")) != quote:
            if quote:
                want["quotePrefix"] = "1"
            else:
                want.pop("quotePrefix", None)
        if link:
            font = self._link_font()
            if attrs.get("fontId", "0") != str(font):
                want["fontId"] = str(font)
                want["applyFont"] = "1"
        if want == attrs:
            result = style if style < len(self.xfs) + len(self.new_xfs) else 0
        else:
            start = "<xf" + "".join(f" {k}={quoteattr(v)}" for k, v in want.items())
            new = start + ("/>" if m.group(3) else ">" + xf[m.end():])
            result = self._add_xf(new)
        self.cache[key] = result
        return result

    def xml(self) -> str:
        """The styles part with the derived styles, fonts and formats added."""
        xml = self.source
        if self.new_numfmts:
            added = "".join(
                f"<numFmt numFmtId=\"{i}\" formatCode={quoteattr(code)}/>" for i, code in self.new_numfmts
            )
            count = len(self.numfmts) + len(self.new_numfmts)
            xml = _extend(xml, _NUMFMTS, "numFmts", added, count, first_child=True)
        if self.new_fonts:
            xml = _extend(xml, _FONTS, "fonts", "".join(self.new_fonts), len(self.fonts) + len(self.new_fonts))
        if self.new_xfs:
            xml = _extend(xml, _XFS, "cellXfs", "".join(self.new_xfs), len(self.xfs) + len(self.new_xfs))
        return xml

    def _xf(self, style: int) -> str:
        all_xfs = self.xfs + self.new_xfs
        return all_xfs[style] if 0 <= style < len(all_xfs) else all_xfs[0]

    def _add_xf(self, xf: str) -> int:
        canonical = _canonical(xf)
        if canonical in self.known:
            return self.known[canonical]
        self.new_xfs.append(xf)
        self.changed = True
        index = len(self.xfs) + len(self.new_xfs) - 1
        self.known[canonical] = index
        return index

    def _numfmt_id(self, code: str) -> int:
        for fmt in self.numfmts:
            if fmt.get("formatCode") == code:
                return int(fmt["numFmtId"])
        for new_id, new_code in self.new_numfmts:
            if new_code == code:
                return new_id
        used = [int(f.get("numFmtId", "0")) for f in self.numfmts] + [i for i, _ in self.new_numfmts]
        new_id = max([163, *used]) + 1
        self.new_numfmts.append((new_id, code))
        self.changed = True
        return new_id

    def _link_font(self) -> int:
        for i, font in enumerate(self.fonts + self.new_fonts):
            if _font_props(font) == _LINK_FONT:
                return i
        self.new_fonts.append(LINK_FONT_XML)
        self.changed = True
        return len(self.fonts) + len(self.new_fonts) - 1


def _true(value: str | None) -> bool:
    return value in ("1", "true")


def _canonical(xf: str) -> tuple:
    """An xf as compared: attributes that only repeat a default or say "apply" ignored."""
    m = _START.match(xf)
    attrs = {
        k: v
        for k, v in _attrs(m.group(2)).items()
        if not k.startswith("apply") and not (k in ("quotePrefix", "pivotButton") and not _true(v))
    }
    body = "" if m.group(3) else xf[m.end():]
    return tuple(sorted(attrs.items())), body


def _font_props(font: str) -> dict[str, str]:
    props = {}
    for tag, attrs, _ in _START.findall(font):
        values = _attrs(attrs)
        if tag == "font":
            continue
        if tag == "color":
            props["color"] = values.get("rgb", values.get("theme", ""))[-6:].upper()
        elif tag == "u":
            props["u"] = values.get("val", "single")
        elif tag in ("b", "i", "strike", "outline", "shadow", "condense", "extend"):
            if _true(values.get("val", "1")):
                props[tag] = "1"
        elif tag in ("name", "sz", "vertAlign"):
            props[tag] = values.get("val", "")
    return props


def _extend(xml: str, pattern: re.Pattern, tag: str, added: str, count: int, first_child: bool = False) -> str:
    m = pattern.search(xml)
    if m is None:
        # Only numFmts may be missing in a valid styles part; it is the first child.
        assert first_child
        root = re.search(r"<styleSheet\b[^>]*?>", xml)
        return xml[: root.end()] + f'<{tag} count="{count}">{added}</{tag}>' + xml[root.end():]
    start = re.sub(r'\scount\s*=\s*"[^"]*"', "", m.group(1)) + f' count="{count}"'
    return xml[: m.start()] + f"{start}>{m.group(2) or ''}{added}</{tag}>" + xml[m.end():]
