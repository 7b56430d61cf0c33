"""What reading the register gives back, and the one value type writing it accepts beyond
plain dates, numbers and text. Pure data."""

from __future__ import annotations

from dataclasses import dataclass, field


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
        return f"Register '{self.sheet}'!{self.cell}{where}: {self.message}"


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
