"""The mail ports: ``Mailer`` sends one message, ``Inbox`` reads the replies.

Implementations, one module each: ``outbox`` (RFC 5322 ``.eml`` files in a folder, the embedded
default), ``maildir`` (replies read from a Maildir), ``smtp`` (a mail server), ``graph`` (the
board's Exchange Online mailbox through Microsoft Graph: ``GraphMailer`` and ``GraphInbox``, an
``IncrementalInbox``). Every
implementation raises ``MailError`` for a message that cannot be composed, read or delivered to
one address, and ``BackendError`` when the server or folder itself fails; library errors never
leave this package.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable


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


#: The largest attachment kept from a received message.
ATTACHMENT_LIMIT = 20 * 1024 * 1024

#: The most of a reply's new text that is kept; a sign-off needs only its first line.
BODY_LIMIT = 4000


@runtime_checkable
class Inbox(Protocol):
    """A mailbox of replies. Reading never moves, flags or deletes a message."""

    def fetch(self) -> tuple[list[IncomingMail], list[str]]:
        """Every message in the inbox, and one problem line (naming the file or message) for
        each one that could not be read. One bad message never stops the others."""


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
    """An inbox that reads only what changed since a cursor and can mark a message processed
    (a server mailbox, where reading everything on each pass would be slow).

    ``fetch()`` still works alone: it reads everything not yet marked processed."""

    def changes(self, cursor: str | None) -> InboxChanges:
        """Messages new since ``cursor`` (None: everything not yet marked processed)."""

    def mark_processed(self, key: str) -> bool:
        """Mark the message with ``IncomingMail.key`` processed in the mailbox (a category or
        flag, never a move or delete). False when it is no longer there. Raises
        ``BackendError`` when the server fails; the worker's own record stays the authority."""
