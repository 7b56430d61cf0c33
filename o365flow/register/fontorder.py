"""Font properties in the order the SpreadsheetML schema gives them.

openpyxl writes a font's properties name first (``<name/><b/><color/><sz/>``); the schema's
``CT_Font`` sequence is ``b, i, strike, condense, extend, outline, shadow, u, vertAlign, sz,
color, name, family, charset, scheme``, and a validator -- Excel's own file check among them --
reads any other order as a fault to repair. Every ``font`` in ``xl/styles.xml`` (the cell fonts
and the conditional formats' fonts alike) is put in that order before the register is saved.
"""

from __future__ import annotations

import re

ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color", "name",
         "family", "charset", "scheme")
_RANK = {name: i for i, name in enumerate(ORDER)}
# A font element and its children as openpyxl and Excel write them: empty elements, no nesting,
# an optional namespace prefix on every tag (``x:font``) kept as found.
_FONT = re.compile(r"<((?:\w+:)?font)(\s[^>]*)?>(.*?)</\1>", re.S)
_CHILD = re.compile(r"<((?:\w+:)?)(\w+)\b[^>]*?/>|<((?:\w+:)?)(\w+)\b[^>]*>.*?</\3\4>", re.S)


def in_order(styles_xml: str) -> str:
    """``styles_xml`` with every font's properties in schema order (unchanged when they are)."""
    return _FONT.sub(_ordered, styles_xml)


def _ordered(font: re.Match) -> str:
    body = font.group(3)
    children = list(_CHILD.finditer(body))
    if "".join(m.group(0) for m in children).strip() != re.sub(r">\s+<", "><", body).strip():
        return font.group(0)  # something this does not understand (text, comments): left alone
    names = [m.group(2) or m.group(4) for m in children]
    ranks = [_RANK.get(n, len(ORDER)) for n in names]
    if ranks == sorted(ranks):
        return font.group(0)
    ordered = [m.group(0) for _, _, m in sorted(zip(ranks, range(len(children)), children), key=lambda t: (t[0], t[1]))]
    return f"<{font.group(1)}{font.group(2) or ''}>{''.join(ordered)}</{font.group(1)}>"
