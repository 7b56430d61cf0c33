"""Cell values in and out: what a cell may hold, how text is kept as text, and when an old
cell already holds the value the worker wants to write (so nothing is written)."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from o365flow.register.model import Link

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
LINK_FONT = Font(name="Calibri", size=11, color="0563C1", underline="single")

# XML 1.0 cannot hold C0 control characters other than tab, line feed and carriage return, nor
# U+FFFE/U+FFFF or unpaired surrogates. They are removed (surrogates become U+FFFD) rather than
# failing the whole pass over one pasted character.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Excel reads "_x0041_" inside a string as an escaped character; "_x005F_" escapes the "_".
ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x005[Ff]_(?=x[0-9A-Fa-f]{4}_)")
# Excel's limit for one cell; a longer text would make Excel "repair" the file.
MAX_TEXT = 32767
# What Excel or LibreOffice would take as the start of a formula when a person edits the cell.
_FORMULA_START = ("=", "+", "-", "@")


def clean_text(text: str) -> str:
    """The text a cell can hold: illegal XML characters removed, at most 32,767 characters."""
    text = _SURROGATE.sub("\ufffd", _ILLEGAL.sub("", text))
    return text[:MAX_TEXT]


def decode_text(text: str) -> str:
    """Undo the ``_x005F_`` escape written by ``write_value`` (openpyxl keeps it on read)."""
    return _ESCAPED.sub("_", text) if "_x005" in text else text


def write_value(cell: Cell, value: object) -> None:
    """Put ``value`` in ``cell``: dates as real dates shown dd/mm/yyyy, text always as text."""
    if isinstance(value, Link):
        _write_text(cell, value.text)
        cell.hyperlink = value.url
        cell.font = LINK_FONT
        return
    if cell.hyperlink is not None:
        cell.hyperlink = None
    if value is None:
        cell.value = None
        cell.quotePrefix = False
    elif isinstance(value, str):
        _write_text(cell, value)
    elif isinstance(value, datetime):
        value = value.replace(tzinfo=None)
        if value.time() == time():
            cell.value, cell.number_format = value.date(), DATE_FORMAT
        else:
            cell.value, cell.number_format = value, DATETIME_FORMAT
        cell.quotePrefix = False
    elif isinstance(value, date):
        cell.value, cell.number_format = value, DATE_FORMAT
        cell.quotePrefix = False
    elif isinstance(value, (int, float)):
        cell.value = value
        cell.quotePrefix = False
    else:
        raise ValueError(
            f"cannot write a {type(value).__name__} to register cell {cell.coordinate}"
        )


def _write_text(cell: Cell, text: str) -> None:
    text = clean_text(text)
    if not text:
        cell.value = None
        return
    cell.value = ESCAPE_LIKE.sub("_x005F_", text)
    # openpyxl turns a string starting with "=" into a formula; a shared or inline string with
    # quotePrefix is what Excel itself saves for text typed as '=... and keeps it text on edit.
    cell.data_type = "s"
    cell.quotePrefix = text.startswith(_FORMULA_START)


def same_value(cell: Cell, value: object) -> bool:
    """Whether ``cell`` already holds ``value`` as ``write_value`` would write it."""
    old = cell.value
    if isinstance(value, Link):
        link = cell.hyperlink
        return (
            link is not None
            and link.target == value.url
            and _same_text(cell, value.text)
        )
    if value is None:
        return old is None or old == ""
    if isinstance(value, str):
        if not clean_text(value):
            return old is None or old == ""
        return _same_text(cell, value)
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
        if value.time() == time():
            value = value.date()
    if isinstance(value, datetime):
        return isinstance(old, datetime) and old == value
    if isinstance(value, date):
        if isinstance(old, datetime):
            return old == datetime.combine(value, time())
        return isinstance(old, date) and old == value
    if isinstance(value, bool):
        return isinstance(old, bool) and old == value
    if isinstance(value, (int, float)):
        return (
            isinstance(old, (int, float)) and not isinstance(old, bool) and old == value
        )
    return False


def _same_text(cell: Cell, text: str) -> bool:
    old = cell.value
    return (
        cell.data_type == "s"
        and isinstance(old, str)
        and decode_text(old) == clean_text(text)
    )
