"""Stored cell text to Python values and back, the way openpyxl does it, without importing it:
which number formats are dates, Excel serial numbers, column letters, and the cell styles
(``cellXfs``) that say which cells hold dates.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

WINDOWS_EPOCH = datetime(1899, 12, 30)
MAC_EPOCH = datetime(1904, 1, 1)
SECS_PER_DAY = 86400

_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Built-in number formats that show dates or times (ids 14-22, 45-47); 46 is a duration.
BUILTIN_DATE_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
BUILTIN_TIMEDELTA_IDS = frozenset({46})
BUILTIN_MAX = 164
# openpyxl's rules: quoted literals and [locale] blocks do not make a format a date one.
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CHAR = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(
    r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE
)


@dataclass(frozen=True)
class Styles:
    """What the register needs of ``xl/styles.xml``: each cell style's number format id and
    font, the custom formats, and which styles show dates (or durations)."""

    formats: dict[int, str]  # custom numFmtId -> format code
    xf_formats: tuple[int, ...]  # cellXfs index -> numFmtId
    xf_fonts: tuple[int, ...]  # cellXfs index -> fontId
    date_styles: frozenset[int]
    timedelta_styles: frozenset[int]

    def number_format(self, style: int) -> str | None:
        """The custom format code of a cell style (None for a built-in format)."""
        fmt_id = self.xf_formats[style] if 0 <= style < len(self.xf_formats) else 0
        return self.formats.get(fmt_id)


def is_date_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    fmt = _STRIP.sub("", fmt.split(";")[0])
    return _DATE_CHAR.search(fmt) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    return fmt is not None and _TIMEDELTA.search(fmt.split(";")[0]) is not None


def parse_styles(data: bytes | None) -> Styles:
    """The cell styles of a workbook's styles part (None: a workbook without one)."""
    if not data:
        return Styles({}, (), (), frozenset(), frozenset())
    root = ET.fromstring(data)
    formats = {
        int(el.get("numFmtId")): el.get("formatCode", "")
        for el in root.iterfind(f"{_M}numFmts/{_M}numFmt")
    }
    xf_formats, xf_fonts, dates, durations = [], [], set(), set()
    for index, xf in enumerate(root.iterfind(f"{_M}cellXfs/{_M}xf")):
        fmt_id = int(xf.get("numFmtId", "0"))
        xf_formats.append(fmt_id)
        xf_fonts.append(int(xf.get("fontId", "0")))
        if fmt_id in formats:
            fmt = formats[fmt_id]
            date_like, duration = is_date_format(fmt), is_timedelta_format(fmt)
        else:
            date_like, duration = fmt_id in BUILTIN_DATE_IDS, fmt_id in BUILTIN_TIMEDELTA_IDS
        if date_like:
            dates.add(index)
        if duration:
            durations.add(index)
    return Styles(formats, tuple(xf_formats), tuple(xf_fonts), frozenset(dates), frozenset(durations))


def cast_number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


def convert(value: str | None, kind: str, style: int, styles: Styles, epoch) -> tuple[object, str]:
    """(Python value, openpyxl data type) of a stored cell value."""
    if value is None:
        return None, kind
    if kind == "n":
        if style in styles.date_styles:
            return _date(value, epoch, style in styles.timedelta_styles)
        return cast_number(value), "n"
    if kind == "s" or kind == "e":
        return value, kind
    if kind == "b":
        return bool(int(value)), "b"
    if kind == "d":
        from openpyxl.utils.datetime import (
            from_ISO8601,  # rare: dates stored as ISO text
        )

        return from_ISO8601(value), "d"
    return value, kind


@lru_cache(maxsize=8192)
def _date(text: str, epoch, duration: bool) -> tuple[object, str]:
    # Cached: a register holds the same few hundred dates over and over.
    try:
        return from_excel(cast_number(text), epoch, duration), "d"
    except (OverflowError, ValueError):
        return "#VALUE!", "e"


def from_excel(value: float, epoch=WINDOWS_EPOCH, duration: bool = False):
    """An Excel serial number as a datetime (a time for fractions of day 0), like openpyxl."""
    if duration:
        td = timedelta(days=value)
        if td.microseconds:
            td = timedelta(
                seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3)
            )
        return td
    day, fraction = divmod(value, 1)
    diff = timedelta(milliseconds=round(fraction * SECS_PER_DAY * 1000))
    if 0 <= value < 1 and diff.days == 0:
        mins, seconds = divmod(diff.seconds, 60)
        hours, mins = divmod(mins, 60)
        return time(hours, mins, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1  # Excel counts a 29 February 1900 that never was
    return epoch + timedelta(days=day) + diff


def to_excel(value: date | datetime, epoch=WINDOWS_EPOCH) -> float:
    """A date or datetime as an Excel serial number, like openpyxl writes it."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    days = (value - epoch).days
    if 0 < days <= 60 and epoch == WINDOWS_EPOCH:
        days -= 1
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    return days + seconds / SECS_PER_DAY


_COLUMNS: dict[str, int] = {}


def column_number(letters: str) -> int:
    """1 for ``A``, 27 for ``AA`` (case-insensitive)."""
    try:
        return _COLUMNS[letters]
    except KeyError:
        pass
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"{letters!r} is not a column")
        n = n * 26 + ord(ch) - 64
    if not 1 <= n <= 16384:
        raise ValueError(f"{letters!r} is not a column")
    _COLUMNS[letters] = n
    return n


def column_letter(n: int) -> str:
    """``A`` for 1, ``AA`` for 27."""
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
