"""The embedded default mailer: each message becomes an RFC 5322 ``.eml`` file in a folder.

A person (or a mail client, or a later relay) picks the files up; Outlook and Thunderbird open
them as messages. File names are ``YYYYMMDD-HHMMSS-<12 hex of sha256(Message-ID)>.eml``: sorted
by time, and the hash lets a retry see that this Message-ID was already written.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Callable

from o365flow.errors import BackendError
from o365flow.mail.base import OutgoingMail
from o365flow.mail.compose import build_message, message_bytes

# The local site ignores files with this prefix, so a half-written message is never listed.
_TEMP_PREFIX = ".o365flow-"


def message_hash(message_id: str) -> str:
    """The 12 hex characters that name a Message-ID's file in the outbox."""
    return hashlib.sha256(message_id.encode("utf-8")).hexdigest()[:12]


class OutboxMailer:
    """Writes each message once to ``folder`` as an ``.eml`` file, atomically."""

    def __init__(self, folder: Path, clock: Callable[[], datetime]):
        self.folder = Path(folder)
        self.clock = clock

    def path_for(self, message_id: str) -> Path | None:
        """The file already holding ``message_id``, or None."""
        suffix = f"-{message_hash(message_id)}.eml"
        try:
            names = sorted(os.listdir(self.folder))
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise BackendError(f"cannot list outbox folder {self.folder}: {exc.strerror}") from exc
        for name in names:
            if name.endswith(suffix) and not name.startswith(_TEMP_PREFIX):
                return self.folder / name
        return None

    def send(self, mail: OutgoingMail) -> None:
        """Write ``mail`` to the outbox unless a file for its Message-ID is already there.

        The file appears whole or not at all (temporary file, fsync, ``os.replace``), so a pass
        killed mid-write leaves no half message, and the rerun writes it once.
        Raises ``MailError`` for a bad message, ``BackendError`` when the folder cannot be written."""
        now = self.clock()
        msg = build_message(mail, date=now)  # validate before touching the disk
        if self.path_for(mail.message_id) is not None:
            return
        data = message_bytes(msg)
        name = f"{now:%Y%m%d-%H%M%S}-{message_hash(mail.message_id)}.eml"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=_TEMP_PREFIX, suffix=".tmp", dir=self.folder)
        except OSError as exc:
            raise BackendError(
                f"cannot write to outbox folder {self.folder}: {exc.strerror}",
                hint="check that the folder exists and is writable",
            ) from exc
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.folder / name)
        except OSError as exc:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise BackendError(
                f"cannot write {name} in outbox folder {self.folder}: {exc.strerror}"
            ) from exc
