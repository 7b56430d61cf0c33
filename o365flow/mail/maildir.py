"""The embedded default inbox: replies read from a Maildir (``new/`` and ``cur/``).

Any mail client or fetcher (fetchmail, mbsync, Thunderbird's Maildir store) can fill it. The
worker only reads: it never moves, renames, flags or deletes a message, and remembers what it
has processed by ``IncomingMail.key`` in its own state.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from o365flow.errors import BackendError, MailError
from o365flow.mail.base import IncomingMail
from o365flow.mail.incoming import parse_incoming

#: Larger files are reported, not read: a reply with a signed PDF is a few MB, not this.
MAX_MESSAGE_BYTES = 50 * 1024 * 1024
# The info part a Maildir reader appends: ":2,FLAGS" (or "!2," where ':' is not allowed).
_INFO = re.compile(r"[:!;][12],[^:!;]*$")


def base_name(file_name: str) -> str:
    """A Maildir file name without its flags: stable while clients mark the message read."""
    return _INFO.sub("", file_name)


class MaildirInbox:
    """Reads ``folder/new`` and ``folder/cur``; a missing subfolder counts as empty."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _files(self) -> list[tuple[str, Path]]:
        if not self.folder.is_dir():
            raise BackendError(
                f"inbox folder {self.folder} does not exist",
                hint="create it with new/ and cur/ subfolders, or fix the inbox path in the config",
            )
        found: list[tuple[str, Path]] = []
        for sub in ("new", "cur"):
            try:
                names = os.listdir(self.folder / sub)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise BackendError(f"cannot list {self.folder / sub}: {exc.strerror}") from exc
            found.extend(
                (str(self.folder / sub / n), self.folder / sub / n)
                for n in names
                if not n.startswith(".")  # ".nfs...", editor and sync clutter
            )
        # Maildir names start with the delivery time: sorting by name is roughly arrival order.
        return sorted(found, key=lambda item: (item[1].name, item[0]))

    def mark_processed(self, key: str) -> bool:
        """A Maildir is never changed (the worker's state remembers what it handled): False."""
        return False

    def probe(self) -> str:
        """Read the Maildir as a pass would: how many messages, and how many unreadable."""
        messages, problems = self.fetch()
        extra = f", {len(problems)} unreadable" if problems else ""
        return f"mailbox readable ({len(messages)} message(s){extra})"

    def fetch(self) -> tuple[list[IncomingMail], list[str]]:
        """Every readable message, each key once, and a problem line per unreadable file."""
        messages: list[IncomingMail] = []
        problems: list[str] = []
        seen: set[str] = set()
        for label, path in self._files():
            try:
                if not path.is_file():
                    continue
                if path.stat().st_size > MAX_MESSAGE_BYTES:
                    limit = MAX_MESSAGE_BYTES // 2**20
                    problems.append(f"{label}: larger than {limit} MB, not read")
                    continue
                data = path.read_bytes()
            except FileNotFoundError:
                continue  # moved by a mail client between listing and reading; seen next pass
            except OSError as exc:
                problems.append(f"{label}: cannot be read ({exc.strerror})")
                continue
            try:
                mail = parse_incoming(data, f"file:{base_name(path.name)}")
            except MailError as exc:
                problems.append(f"{label}: not a readable message: {exc}")
                continue
            if mail.key not in seen:
                seen.add(mail.key)
                messages.append(mail)
        return messages, problems
