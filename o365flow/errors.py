"""One exception tree for the whole project.

::

    O365flowError                  every error o365flow raises on purpose
    ├── ConfigError                bad or missing configuration        -> exit 2
    ├── UsageError                 the command line asks the impossible -> exit 2
    ├── InputError                 one bad document, row or message    -> reported, skipped
    │   ├── DocumentError          a .docx that cannot be read or rendered
    │   ├── RegisterError          the register workbook cannot be read or written
    │   │   └── RegisterUnreadable a corrupt register, or a sheet or column people need gone
    │   └── MailError              a message that cannot be read or sent
    ├── BackendError               a backend (disk, mail server, Microsoft 365) failed -> exit 3
    │   ├── LockHeld               another pass is running            -> exit 3
    │   └── InstallationError      the installed package lacks a file  -> exit 3
    └── ConflictError              a file changed under us; re-read and merge
        ├── FileLocked             open for editing elsewhere: change it cell by cell, or later
        └── FileCheckedOut         checked out to a person in SharePoint: left until checked in

Backends translate library errors into these at their boundary; the CLI turns them into a
one-line message (a traceback only with ``--verbose``) and the exit code of ``exit_code``.
Messages never carry personal data: they name files, cells, keys and references, never a
subject's name or circumstances.

A message is always one line: a value it quotes is shown with ``quoted`` (control characters
escaped), and the message, hint and problems themselves pass through ``one_line``, so a value
such as ``'x@y\nBcc: evil@evil.example'`` cannot forge a line in a log or on a terminal.
"""

from __future__ import annotations

import re

#: C0 and C1 controls, DEL, the line and paragraph separators, and the bidirectional overrides
#: and isolates (which can make ``fdp.exe`` display as ``exe.pdf``).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    return _escaped_char(match.group())


def _escaped_char(ch: str) -> str:
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def one_line(text: object) -> str:
    """``text`` with every control, line-break and bidi character escaped (``\\n``, ``\\x1b``,
    ``\\u202e``): what is printed or logged is exactly one line, shown as it was."""
    text = _CONTROL.sub(_escape, str(text))
    if not text.isprintable():  # any other invisible or unassigned character: shown by its code
        text = "".join(c if c.isprintable() else _escaped_char(c) for c in text)
    return text


def quoted(value: object, limit: int = 120) -> str:
    """A value as an error message quotes it: in single quotes, control characters escaped,
    cut at ``limit`` characters (``…`` marks the cut). Use it for every value from a config,
    a document, a register cell or a mail that a message echoes."""
    text = one_line(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


class O365flowError(Exception):
    """Base of every error raised on purpose. ``hint`` says how to fix it."""

    #: The exit code the CLI gives when this error ends a command (see ``exit_code``).
    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        message = one_line(message)
        super().__init__(message)
        self.message = message
        self.hint = one_line(hint) if hint else hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ConfigError(O365flowError):
    """Configuration or workflow definitions are invalid. ``problems`` lists each one."""

    exit_code = 2

    def __init__(self, message: str, problems: list[str] | None = None, hint: str | None = None):
        super().__init__(message, hint)
        self.problems = [one_line(p) for p in problems or []]


class UsageError(O365flowError):
    """The command line asks for something that cannot be (an unknown reference)."""

    exit_code = 2


class InputError(O365flowError):
    """One piece of input (a document, a register row, a message) is bad; the rest goes on."""


class DocumentError(InputError):
    """A Word document could not be read or rendered."""


class RegisterError(InputError):
    """The register workbook could not be read or written."""


class RegisterUnreadable(RegisterError):
    """The register cannot be used as it is: not a readable workbook (truncated, not a workbook,
    bad sheet XML), or a sheet or a column people type in is missing or renamed. Nothing is
    written to it until a person puts it right. ``file``, ``sheet`` and ``column`` say where
    (None when not known); the message names them and the hint says how to fix it."""

    def __init__(self, message: str, hint: str, *, file: str | None = None, sheet: str | None = None,
                 column: str | None = None):
        super().__init__(message, hint)
        self.file, self.sheet, self.column = file, sheet, column


class MailError(InputError):
    """A message could not be read, composed or sent."""


class BackendError(O365flowError):
    """A backend could not be reached or refused the operation."""

    exit_code = 3


class LockHeld(BackendError):
    """Another pass holds the lock."""


class ConflictError(O365flowError):
    """A file changed while the worker was working on it; re-read, merge and retry."""


class FileLocked(ConflictError):
    """The file is open for editing elsewhere (Excel, Word, a sync client): its content cannot be
    replaced whole now. On SharePoint a workbook can still be changed cell by cell (the site's
    ``WorkbookEditor``); otherwise leave it for the next pass."""


class FileCheckedOut(ConflictError):
    """The file is checked out to a person in SharePoint: nothing can change it, neither a
    new version nor the workbook API, until it is checked in. Name it in the digest."""


class InstallationError(BackendError):
    """The installed package lacks one of its own files (templates, workflows): reinstall."""


#: The documented exit codes (contract: "Command line"), shown by ``o365flow --help``.
EXIT_CODES = {
    0: "all done",
    1: "the pass finished but some items failed (each named on stderr; the rest processed)",
    2: "usage or configuration error",
    3: "could not run at all (backend unreachable, another pass holds the lock)",
}


def exit_code(exc: BaseException) -> int:
    """The exit code for an error that ends a command: 2 for configuration and usage, 3 for a
    backend or the installation, 1 for one bad input; anything not raised on purpose (a disk
    that refuses, a bug) is 3: the command could not do its work."""
    return exc.exit_code if isinstance(exc, O365flowError) else 3
