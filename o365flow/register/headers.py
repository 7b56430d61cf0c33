"""Finding a sheet's header row and its columns by their text.

People reorder columns, add their own, or insert a title row above the table, so nothing here
trusts a position: the header row is the first of the top rows holding a ``Reference`` cell, and
each column is found by its header text (case and spacing ignored).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# How far down a title block may push the header row.
HEADER_SCAN_ROWS = 20


def header_key(value: object) -> str:
    """A header as compared: case, line breaks and repeated spaces ignored."""
    return " ".join(str(value).split()).casefold() if value is not None else ""


@dataclass
class HeaderRow:
    """Where a sheet's headers are: the row, each header's column (1-based), the last one."""

    row: int
    columns: dict[str, int]
    last_column: int

    def column(self, header: str) -> int | None:
        return self.columns.get(header_key(header))


def find_header(rows: Iterable[tuple[object, ...]]) -> HeaderRow | None:
    """The header row among the first rows given (values only), or None when there is none."""
    for number, values in enumerate(rows, start=1):
        if number > HEADER_SCAN_ROWS:
            break
        keys = [header_key(v) for v in values]
        if "reference" not in keys:
            continue
        columns: dict[str, int] = {}
        last = 0
        for index, key in enumerate(keys, start=1):
            if key:
                columns.setdefault(
                    key, index
                )  # a repeated header: the first one counts
                last = index
        return HeaderRow(number, columns, last)
    return None
