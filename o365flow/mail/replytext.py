"""The new text of a reply: HTML turned into text, the quoted original cut off.

A sign-off is decided on the first line a person typed, so everything a mail client adds below
it -- ``>`` quotes, "On ... wrote:", Outlook's ``From:/Sent:`` block or its underscore
separator, "-----Original Message-----" -- is removed. Only the stdlib is used.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul",
}
_SKIP = {"head", "script", "style", "title", "template", "noscript"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
# Outlook draws its reply separator as a line of underscores in text and an <hr> in HTML.
_SEPARATOR = "_" * 32


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP:
            self.skip += tag not in _VOID
        elif tag == "hr":
            self.out.append(f"\n{_SEPARATOR}\n")
        elif tag in _BLOCK:
            self.out.append("\n")
            if tag == "blockquote":
                # quoted original in Gmail, Apple Mail, Thunderbird: mark it like a text quote
                self.out.append("\x00")
        if tag == "pre":
            self.pre += 1

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.out.append("\n")
            if tag == "blockquote":
                self.out.append("\x01")
        if tag == "pre":
            self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if not self.pre:
            data = re.sub(r"[ \t\r\n\f]+", " ", data)
        self.out.append(data)


def html_to_text(html: str) -> str:
    """Readable text of an HTML body; text inside ``<blockquote>`` comes out as ``> `` lines."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient, but never let odd markup stop a pass
        pass
    raw = "".join(parser.out).replace("\xa0", " ")
    lines: list[str] = []
    depth = 0
    for chunk in re.split(r"(\x00|\x01)", raw):
        if chunk == "\x00":
            depth += 1
        elif chunk == "\x01":
            depth = max(0, depth - 1)
        else:
            for line in chunk.split("\n"):
                line = line.strip()
                lines.append(("> " + line) if depth and line else line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_ON_WROTE = re.compile(r"^\s*(on\s.+wrote|ar\s.+ysgrifennodd.*)\s*:\s*$", re.IGNORECASE)
_ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(original message|neges wreiddiol|forwarded message)\s*-{2,}\s*$", re.IGNORECASE
)
_FROM = re.compile(r"^\s*\*?(from|oddi wrth|gan)\s*:\*?\s", re.IGNORECASE)
_SENT = re.compile(r"^\s*\*?(sent|date|anfonwyd|dyddiad)\s*:", re.IGNORECASE)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"


def _is_quote_header(lines: list[str], i: int) -> bool:
    line = lines[i]
    if _ORIGINAL.match(line) or _UNDERSCORES.match(line):
        return True
    if _ON_WROTE.match(line):
        return True
    if line.lstrip().lower().startswith(("on ", "ar ")):
        # Gmail wraps a long attribution: "On Mon, 9 Mar 2026 at 10:02, Name <addr>\nwrote:"
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _ON_WROTE.match(f"{line} {nxt}"):
            return True
    if _FROM.match(line):
        following = [s for s in lines[i + 1 : i + 4] if s.strip()]
        return bool(following) and bool(_SENT.match(following[0]))
    return False


def new_text(text: str) -> str:
    """The part of a reply its sender wrote: lines up to the first quote header, without
    ``>`` lines, a leading BOM or invisible characters, and surrounding blank space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.strip(_INVISIBLE).rstrip() for line in text.split("\n")]
    kept: list[str] = []
    for i, line in enumerate(lines):
        if _is_quote_header(lines, i):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip(_INVISIBLE + " \t\n")


def first_line(text: str) -> str:
    """The first non-blank line of ``new_text`` output, stripped."""
    for line in text.split("\n"):
        if line.strip():
            return line.strip().strip(_INVISIBLE).strip()
    return ""
