"""What reading the register gives back, and the one value type writing it accepts beyond
plain dates, numbers and text. Pure data."""

from __future__ import annotations

from dataclasses import dataclass, field

from o365flow.errors import one_line


@dataclass(frozen=True)
class Link:
    """A cell showing ``text`` that opens ``url`` (a case folder, usually)."""

    text: str
    url: str


@dataclass(frozen=True)
class CellProblem:
    """One cell a person filled in that o365flow cannot use, and how to put it right.

    ``cell`` is an A1 address (``G5``), or a row range (``1:1``) for a missing header.
    The message never repeats more than a short excerpt of what was typed.
    """

    sheet: str
    cell: str
    column: str
    reference: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.column, self.reference) if part)
        where = f" ({where})" if where else ""
        # Every part came from the workbook (a sheet name, a typed reference): shown escaped, on one line.
        return one_line(f"Register '{self.sheet}'!{self.cell}{where}: {self.message}")


@dataclass(frozen=True)
class RegisterSnapshot:
    """The register as read: one dict per case and per sign-off, keyed by header.

    ``cases`` maps a reference to every contract column of the ``Cases`` sheet;
    ``signoffs`` maps ``(reference, agency code)`` to every column of ``Sign-offs``.
    Person-owned dates are ``date`` objects (or None when blank or invalid; invalid ones are
    in ``problems``). Worker-owned columns are as the file holds them, so a caller can see
    that a person changed one. ``unknown_rows`` names rows with content but no key.
    """

    exists: bool
    cases: dict[str, dict[str, object]] = field(default_factory=dict)
    signoffs: dict[tuple[str, str], dict[str, object]] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)
    unknown_rows: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CellEdit:
    """Set one cell: ``value`` is None (blank), ``str`` (always stored as text, never a formula),
    ``int``/``float``, ``date``/``datetime``, or a ``Link``."""

    sheet: str
    cell: str  # A1 address, e.g. "G5"
    value: object


@dataclass(frozen=True)
class RowAppend:
    """Add one row at the end of a sheet's table; ``values`` follow the table's columns in order
    (None for a blank cell), with the same value types as ``CellEdit``. ``height`` (points) is
    what its wrapped text needs; None: the default height."""

    sheet: str
    table: str  # the table's name (displayName), e.g. "Cases"
    values: tuple
    height: float | None = None


@dataclass(frozen=True)
class RowHeight:
    """Make row ``row`` of ``sheet`` ``height`` points tall (None: the default height), as its
    wrapped text needs now that cells in it change."""

    sheet: str
    row: int
    height: float | None


@dataclass(frozen=True)
class RegisterEdits:
    """What must change in an existing register, cell by cell: applied either to the file's XML
    (the file is not open) or through the Graph workbook API (someone has it open). Empty edits
    mean nothing changes; ``plan_edits`` returns None instead when only a full rewrite will do
    (a new register, an older layout to upgrade, a sheet missing)."""

    cells: tuple[CellEdit, ...] = ()
    rows: tuple[RowAppend, ...] = ()
    heights: tuple[RowHeight, ...] = ()  # only ever for rows whose cells change

    def __bool__(self) -> bool:
        return bool(self.cells or self.rows)
