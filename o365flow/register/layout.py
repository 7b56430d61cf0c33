"""How the register is laid out, as data every way of writing it shares: which sheets and
columns, how wide each column is, and how tall a row must be for the text it holds.

The quick XML patch, the openpyxl rewrite and the Graph workbook API all size a row from
``row_height`` when they write it, so a row is never shorter than its wrapped text, whichever
way it was written. Neither Excel nor LibreOffice fits a row to its text when it opens a file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from o365flow.core.columns import DATE_COLUMNS
from o365flow.register.sheets import SHEETS

# Bumped whenever what a new register looks like changes (rules, dropdowns, widths, print
# setup), so an existing register is brought up to date once by the full rewrite. Kept on the
# hidden Lists sheet, which the quick path compares cell by cell.
LAYOUT_VERSION = "3"  # 3: the Themes dropdown on Cases

# The table sheets (``register.sheets``, one module each), as the writers and readers look them up.
TABLE_SHEETS = tuple(spec.name for spec in SHEETS)
TABLE_NAMES = {spec.name: spec.table for spec in SHEETS}
SHEET_ORDER = {spec.name: spec.columns for spec in SHEETS}
WORKER_COLUMNS = {spec.name: spec.worker for spec in SHEETS}
REQUIRED = {spec.name: spec.required for spec in SHEETS if spec.required}
KEYS = {spec.name: spec.keys for spec in SHEETS}
PAGES_WIDE = {spec.name: spec.pages_wide for spec in SHEETS}
FREEZE = {spec.name: spec.freeze for spec in SHEETS}
# Date-times (the Audit's "When"), shown with the time of day.
DATETIME_COLUMNS = frozenset({"When"})
# What an action's Progress says once it is done: such an action is never flagged overdue.
DONE_WORDS = ("complete", "completed", "done", "green")
# Data validation and colour rules cover the whole column below the header, so rows a person
# adds in Excel or LibreOffice (or the worker appends) get them too.
LAST_ROW = 1048576
# Short codes and single words, centred; everything else reads from the left.
CENTRED = frozenset({"Kind", "RAG", "Agency", "Item"})

# Column widths (in widths of the digit "0") chosen for what each column usually holds; longer
# text wraps onto more lines and the row grows to fit (``row_height``).
WIDTHS = {
    "Reference": 19,
    "Kind": 7,
    "Subject initials": 9,
    "Referring agency": 22,
    "Decision": 16,
    "Stage": 18,
    "Next deadline is": 26,
    "RAG": 8,
    "Sign-offs outstanding": 18,
    "Timelines returned": 16,
    "Reviewers": 18,
    "Panel members": 20,
    "Hold reason": 18,
    "Folder": 19,
    "Notes": 36,
    "Agency": 12,
    "Agency name": 30,
    "Signed off by": 28,
    "How": 16,
    "Item": 6,
    "Recommendation": 32,
    "Action": 36,
    "Lead agency": 12,
    "Lead officer": 16,
    "Progress": 13,
    "Evidence of outcome": 30,
    "When": 17,
    "What": 48,
    "Why": 40,
    "Mail": 36,  # a message's key: kind/reference/agency/date, on one line
}
DATE_WIDTH = 12
DEFAULT_WIDTH = 14
HEADER_HEIGHT = 46.0  # points: three lines of wrapped header text
LINE_HEIGHT = 15.0  # points: one line of 11-point Calibri, as Excel spaces it
MAX_HEIGHT = 409.0  # the tallest row Excel allows


def column_width(header: str) -> float:
    """The width a new column headed ``header`` gets: what it usually holds, and at least its
    header's longest word (headers wrap between words, never inside one)."""
    if header in DATETIME_COLUMNS:
        width = WIDTHS[header]
    elif header in DATE_COLUMNS:
        width = DATE_WIDTH
    else:
        width = WIDTHS.get(header, DEFAULT_WIDTH)
    longest = max((_text_px(word, bold=True) for word in header.split()), default=0)
    return max(width, math.ceil((longest + _MARGIN_PX) / _PX_PER_WIDTH))


# Advance widths of Calibri (and its metric twin Carlito) in thousandths of an em, for the
# characters registers hold most; anything else counts as a wide letter.
_EM = {
    **dict(zip("abcdefghijklmnopqrstuvwxyz",
               (479, 525, 423, 525, 498, 305, 471, 525, 229, 239, 455, 229, 799,
                525, 527, 525, 525, 349, 391, 335, 525, 452, 715, 433, 453, 395))),
    **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
               (579, 544, 533, 615, 488, 459, 631, 623, 252, 319, 520, 420, 855,
                646, 662, 517, 673, 543, 459, 487, 642, 567, 890, 519, 487, 468))),
    **dict.fromkeys("0123456789", 507),
    " ": 226, ",": 250, ".": 252, "-": 306, "/": 386, "(": 303, ")": 303, ":": 268, ";": 268,
    "'": 221, '"': 401, "&": 682, "_": 498, "@": 899, "%": 715, "…": 750,
}
_WIDE = 620
# Pixels at 96 dpi: 11-point type is 14.67 px per em; a column of width w is about 7w px wide,
# less the cell's margins, and a little is kept back for the renderer's rounding.
_PX_PER_EM = 14.67
_PX_PER_WIDTH = 7.0
_MARGIN_PX = 7.0


def _text_px(text: str, bold: bool = False) -> float:
    """The width of ``text`` in pixels in 11-point Calibri (bold about 5% wider)."""
    return sum(_EM.get(ch, _WIDE) for ch in text) * _PX_PER_EM / 1000 * (1.06 if bold else 1.0)


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` wide (words kept whole where
    they fit, a word longer than the column broken, line breaks kept)."""
    room = max(width * _PX_PER_WIDTH - _MARGIN_PX, _PX_PER_WIDTH) * 1000 / _PX_PER_EM
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            size = sum(_EM.get(ch, _WIDE) for ch in word)
            gap = _EM[" "] if used else 0
            if used and used + gap + size <= room:
                used += gap + size
                continue
            if used:
                lines += 1
            # A word wider than the column runs on to further lines.
            extra = math.ceil(size / room) - 1 if size > room else 0
            lines += extra
            used = size - extra * room
    return lines


def row_height(values: Mapping[str, object], widths: Mapping[str, float]) -> float | None:
    """The height (points) a row holding ``values`` (header -> value) needs with its text
    wrapped in columns ``widths`` wide; None when one line is enough (the default height)."""
    lines = 1
    for header, value in values.items():
        value = getattr(value, "text", value)  # a Link shows its text
        if isinstance(value, str) and value:
            lines = max(lines, text_lines(value, widths.get(header) or DEFAULT_WIDTH))
    if lines <= 1:
        return None
    return min(MAX_HEIGHT, LINE_HEIGHT * lines)


_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def uk_dates(text: str) -> str:
    """``text`` with each ISO date in it (2026-08-03) written the UK way (03/08/2026), as
    every date in the register reads."""
    return _ISO_DATE.sub(lambda m: f"{m.group(3)}/{m.group(2)}/{m.group(1)}", text) if "-" in text else text
