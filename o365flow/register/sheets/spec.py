"""What the register knows about one table sheet. Pure data."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SheetSpec:
    """One table sheet of the register.

    ``columns`` are its headers in the order a new register shows them; ``worker`` the ones
    o365flow writes (a person's edit there is put back); ``keys`` the columns a row is found by
    (none: rows are only ever added); ``required`` the columns people type in that the register
    cannot do without (never replaced by an empty one); ``dropdowns`` header -> (list on the
    Lists sheet, what Excel does with another value: "stop" or "information").
    """

    name: str
    table: str
    columns: tuple[str, ...]
    worker: frozenset[str]
    keys: tuple[str, ...]
    freeze: str
    required: tuple[str, ...] = ()
    pages_wide: int = 1
    dropdowns: dict[str, tuple[str, str]] = field(default_factory=dict)
    note: str | None = None  # the header note of every column, when the sheet is all o365flow's
