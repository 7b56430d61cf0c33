"""The ports: one small interface per side effect a pass has on the outside world.

::

    Storage          a site of document libraries      storage/local, storage/sharepoint, storage/memory
    WorkbookEditor   cells of an open Excel workbook   storage/sharepoint (the register's open-file path)
    Mailer           sends one message                 mail/outbox, mail/smtp, mail/graph, mail/memory
    Inbox            reads the replies                 mail/maildir, mail/graph, mail/memory
    IncrementalInbox an Inbox read by cursor           mail/graph, mail/memory

Every ability a backend may lack is still declared here, with what "cannot" looks like, so the
worker calls it without asking first: ``Storage.restrict_access`` returns False where the site
leaves permissions to its administrator, ``Inbox.mark_processed`` returns False where the
mailbox is never changed, ``Inbox.probe`` proves a mailbox can be opened. A site that cannot
change cells of an open workbook has no ``WorkbookEditor`` at all (``Services.workbook`` is None).

Paths are relative to a library's root, ``/``-separated, never starting with ``/``:
``"NWSB-CPR-2026-001/07 Final report/report.pdf"``; the root folder itself is ``""``. Every
backend translates its library's errors into ``o365flow.errors`` at this boundary.
"""

from __future__ import annotations

import builtins  # a port method is named `list`: its signatures mean the builtin
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable, Protocol, runtime_checkable

if TYPE_CHECKING:
    from o365flow.register.model import RegisterEdits


# -- storage -----------------------------------------------------------------------------------
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

    def changes(
        self, library: str, cursor: str | None, *, descend: Callable[[str], bool] | None = None
    ) -> Changes:
        """Files and folders changed since ``cursor`` (None: everything), recursively, with a new
        cursor to pass next time. SharePoint uses a delta query: one request when nothing changed.

        ``descend``: the folders (by path) whose contents the caller needs; a backend that walks
        folders (the local site) lists the others but not what is inside them. A hint only: a
        library-wide change feed (SharePoint's delta) may still report entries below them."""

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

    def make_folders(self, library: str, paths: builtins.list[str]) -> None:
        """``make_folder`` for each path, each folder created once (a case folder and its
        subfolders: SharePoint sends them in as few requests as Graph allows)."""

    def delete(self, library: str, path: str) -> None:
        """Remove a file; one already gone is success."""

    def link(self, library: str, path: str) -> str:
        """Where a person opens ``path``: a ``file://`` URI locally, a web URL on SharePoint."""

    def restrict_access(self, library: str, folder: str, principals: builtins.list[str]) -> bool:
        """Make ``folder`` readable only by ``principals`` (e-mail addresses or group names).
        Returns False where the backend cannot (the local site leaves file-system permissions
        to the server's administrator), True when done."""


@runtime_checkable
class WorkbookEditor(Protocol):
    """Changes cells of an Excel workbook in place while people have it open (the register's
    path when the file itself cannot be replaced). Only a site with an online spreadsheet
    service has one."""

    def update_workbook(
        self, library: str, path: str, edits: RegisterEdits, *, if_match: str | None = None
    ) -> Entry:
        """Apply ``edits`` cell by cell: each ``CellEdit`` sets one cell, each ``RowAppend`` adds
        a row at the end of a table. Text stays text, dates are real dates shown dd/mm/yyyy, a
        ``Link`` is a clickable cell; other cells (people's edits meanwhile) are untouched.
        Returns the file's entry afterwards (its new etag).

        ``if_match``: only if the file is still at this etag, else ``ConflictError`` (re-read and
        merge). A checked-out file raises ``FileCheckedOut``."""


# -- mail --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OutgoingMail:
    """One message the worker sends.

    ``message_id`` is chosen by the caller and deterministic (``"<...@domain>"``), so a message
    retried after a crash carries the same id and the outbox can refuse to write it twice.
    ``attachments`` are ``(filename, mime type, bytes)``, e.g. an ``.ics`` invitation."""

    message_id: str
    sender: str
    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    reply_to: str | None = None
    attachments: tuple[tuple[str, str, bytes], ...] = ()


@runtime_checkable
class Mailer(Protocol):
    """Sends messages."""

    def send(self, mail: OutgoingMail) -> None:
        """Send ``mail`` to every recipient, or to none.

        Raises ``MailError`` when the message itself is bad (a header that would inject another
        header, an address refused by the server) and ``BackendError`` when the server or folder
        fails (refused, unreachable, timed out); the caller retries those on the next pass."""


#: The most of a reply's new text that is kept; a sign-off needs only its first line.
BODY_LIMIT = 4000

#: The largest attachment kept from a received message.
ATTACHMENT_LIMIT = 20 * 1024 * 1024


@dataclass(frozen=True)
class IncomingMail:
    """One message read from an inbox, reduced to what the worker decides on.

    ``key`` identifies the message for "already processed": its Message-ID, else
    ``"file:<maildir file name without flags>"``. ``first_line`` and ``body_text`` come from the
    new text of a reply (the quoted original removed). Nothing here is trusted: ``sender`` is
    only what the From header says; ``authentication_failed`` reports what the receiving server
    found (DMARC or SPF fail)."""

    key: str
    message_id: str | None
    sender: str  # lower-cased bare address from From:
    sender_name: str  # display name ('' if none)
    subject: str
    date: datetime | None  # aware; None when missing or unreadable
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    first_line: str
    body_text: str  # at most BODY_LIMIT characters
    auto_submitted: bool
    authentication_failed: bool
    # Word documents attached, as (file name, bytes): an agency's timeline return sent back by
    # reply. Only .docx files up to ATTACHMENT_LIMIT bytes are kept.
    attachments: tuple[tuple[str, bytes], ...] = ()


@runtime_checkable
class Inbox(Protocol):
    """A mailbox of replies. Reading never moves or deletes a message."""

    def fetch(self) -> tuple[list[IncomingMail], list[str]]:
        """Every message in the inbox, and one problem line (naming the file or message) for
        each one that could not be read. One bad message never stops the others."""

    def mark_processed(self, key: str) -> bool:
        """Show in the mailbox that the message with ``IncomingMail.key`` was handled (a
        category or flag, never a move or delete). False where the mailbox is never changed
        (a Maildir) or the message is no longer there. Raises ``BackendError`` when the server
        fails; the worker's own record stays the authority."""

    def probe(self) -> str:
        """Prove the mailbox can be opened (``check --online``), reading as little as the
        backend allows: one line such as ``"Inbox of board@x: 12 message(s)"``. Raises
        ``BackendError`` naming the fix."""


@dataclass(frozen=True)
class InboxChanges:
    """What arrived since a cursor. ``cursor`` is opaque: store it once every message in
    ``messages`` has been processed and pass it to the next ``changes`` call; a pass that stops
    before that reads the same messages again (their keys make that harmless)."""

    messages: list[IncomingMail]
    problems: list[str]
    cursor: str | None


@runtime_checkable
class IncrementalInbox(Inbox, Protocol):
    """An inbox that reads only what changed since a cursor (a server mailbox, where reading
    everything on each pass would be slow). ``fetch()`` still works alone: it reads everything
    not yet marked processed."""

    def changes(self, cursor: str | None) -> InboxChanges:
        """Messages new since ``cursor`` (None: everything not yet marked processed)."""
