"""Mail held in memory: a ``Mailer`` and an ``IncrementalInbox`` with no folder and no server, for
fast tests of the worker and as the reference the contract suite holds the real backends to.

``MemoryMailer`` keeps each message as the bytes every other mailer sends (``compose``), once per
Message-ID. ``MemoryInbox`` is filled with ``deliver`` (raw RFC 5322 bytes, as a Maildir file
or Graph's MIME would be), reads them with ``parse_incoming`` as the others do, by cursor, and
marks a processed message the way a server mailbox does (``marked``), never removing it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from o365flow.errors import MailError
from o365flow.mail.base import InboxChanges, IncomingMail, OutgoingMail
from o365flow.mail.compose import build_message, message_bytes
from o365flow.mail.incoming import parse_incoming


class MemoryMailer:
    """Sends into ``sent`` (the message bytes), each Message-ID once."""

    def __init__(self, clock: Callable[[], datetime] | None = None):
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.sent: list[bytes] = []
        self._ids: set[str] = set()

    def send(self, mail: OutgoingMail) -> None:
        """Keep ``mail`` unless its Message-ID was sent already; ``MailError`` for a bad one."""
        data = message_bytes(build_message(mail, date=self.clock()))  # validates, as every mailer does
        if mail.message_id in self._ids:
            return
        self._ids.add(mail.message_id)
        self.sent.append(data)


class MemoryInbox:
    """An inbox of delivered messages, read in arrival order. A cursor is how many had arrived."""

    def __init__(self) -> None:
        self._raw: list[bytes] = []
        self.marked: set[str] = set()  # keys marked processed

    def deliver(self, data: bytes) -> None:
        self._raw.append(bytes(data))

    def _read(self, start: int) -> tuple[list[IncomingMail], list[str]]:
        messages, problems, keys = [], [], set()
        for n, data in enumerate(self._raw[start:], start=start):
            try:
                mail = parse_incoming(data, f"memory:{n}")
            except MailError as exc:
                problems.append(f"memory inbox: message {n + 1}: not a readable message: {exc}")
                continue
            if mail.key not in keys and mail.key not in self.marked:
                keys.add(mail.key)
                messages.append(mail)
        return messages, problems

    def fetch(self) -> tuple[list[IncomingMail], list[str]]:
        """Every readable message not yet marked processed, each key once."""
        return self._read(0)

    def changes(self, cursor: str | None) -> InboxChanges:
        """What arrived since ``cursor`` (None: everything not yet marked processed)."""
        start = int(cursor) if cursor else 0
        messages, problems = self._read(min(start, len(self._raw)))
        return InboxChanges(messages, problems, str(len(self._raw)))

    def mark_processed(self, key: str) -> bool:
        known = any(m.key == key for m in self._read(0)[0]) or key in self.marked
        if known:
            self.marked.add(key)
        return known

    def probe(self) -> str:
        return f"memory inbox: {len(self._raw)} message(s)"
