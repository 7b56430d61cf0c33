"""The Storage port: what the worker needs from a site of document libraries.

Paths are relative to a library's root, ``/``-separated, never starting with ``/``:
``"NWSB-CPR-2026-001/07 Final report/report.pdf"``. The root folder itself is ``""``.
Every implementation translates its library's errors into ``o365flow.errors`` at this boundary,
and a file someone has open or checked out into ``FileLocked`` or ``FileCheckedOut`` (below).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from o365flow.errors import ConflictError, FileCheckedOut, FileLocked  # noqa: F401 (re-exported)

if TYPE_CHECKING:
    from o365flow.register.model import RegisterEdits


@dataclass(frozen=True)
class Entry:
    """A file or folder in a library."""

    path: str
    is_folder: bool
    size: int
    created: datetime  # timezone-aware (UTC)
    modified: datetime  # timezone-aware (UTC)
    etag: str  # changes whenever the content changes; "" for folders where unknown

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Changes:
    """What changed in a library since a cursor.

    ``complete`` means ``entries`` is the whole current listing (the first call, a resync, or a
    backend without change tracking): the caller replaces what it knew. Otherwise ``entries``
    are the added or changed items and ``deleted`` the paths removed since the cursor."""

    entries: list[Entry]
    deleted: list[str]
    cursor: str
    complete: bool


@runtime_checkable
class Storage(Protocol):
    """A site: named document libraries holding folders and files."""

    def list(self, library: str, folder: str = "", recursive: bool = False) -> list[Entry]:
        """Entries in ``folder`` (all below it when ``recursive``), sorted by path.
        A missing folder gives ``[]``."""

    def changes(self, library: str, cursor: str | None) -> Changes:
        """Files and folders changed since ``cursor`` (None: everything), recursively, with a new
        cursor to pass next time. SharePoint uses a delta query: one request when nothing changed."""

    def stat(self, library: str, path: str) -> Entry | None:
        """The entry at ``path``, or None when there is none."""

    def read(self, library: str, path: str) -> bytes:
        """A file's bytes. Raises ``BackendError`` when it cannot be read."""

    def write(
        self,
        library: str,
        path: str,
        data: bytes,
        *,
        if_match: str | None = None,
        create_only: bool = False,
    ) -> Entry:
        """Replace or create a file whole and at once (readers never see half a file).

        ``if_match``: only if the current etag is this one, else ``ConflictError``.
        ``create_only``: only if no file is there yet, else ``ConflictError``.
        Missing parent folders are created. A file open elsewhere raises ``FileLocked``, one
        checked out raises ``FileCheckedOut`` (both ``ConflictError``)."""

    def make_folder(self, library: str, path: str) -> None:
        """Create a folder and its parents; a folder already there is success."""

    def delete(self, library: str, path: str) -> None:
        """Remove a file; one already gone is success."""

    def link(self, library: str, path: str) -> str:
        """Where a person opens ``path``: a ``file://`` URI locally, a web URL on SharePoint."""

    def restrict_access(self, library: str, folder: str, principals: list[str]) -> bool:
        """Make ``folder`` readable only by ``principals`` (e-mail addresses or group names).
        Returns False where the backend cannot (the local site leaves file-system permissions
        to the server's administrator), True when done."""

    def update_workbook(
        self, library: str, path: str, edits: "RegisterEdits", *, if_match: str | None = None
    ) -> Entry:
        """Change an Excel workbook in place, cell by cell, while people have it open.

        Each ``CellEdit`` sets one cell; each ``RowAppend`` adds a row at the end of a table.
        Text stays text whatever it starts with, dates are real dates shown dd/mm/yyyy, a
        ``Link`` is a clickable cell. Other cells (people's edits made meanwhile) are untouched.
        Returns the file's entry afterwards (its new etag).

        ``if_match``: only if the file is still at this etag, else ``ConflictError`` (re-read and
        merge). A checked-out file raises ``FileCheckedOut``. The local site cannot do this (a
        file open in another program can only be replaced whole, later): it raises
        ``FileLocked``. Used by the register write when ``write`` raised ``FileLocked``."""
