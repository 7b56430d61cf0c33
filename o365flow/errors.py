"""One exception tree for the whole project.

::

    O365flowError                  every error o365flow raises on purpose
    ├── ConfigError                bad or missing configuration        -> exit 2
    ├── InputError                 one bad document, row or message    -> reported, skipped
    │   ├── DocumentError          a .docx that cannot be read or rendered
    │   ├── RegisterError          the register workbook cannot be read or written
    │   │   └── RegisterUnreadable a corrupt register, or a sheet or column people need gone
    │   └── MailError              a message that cannot be read or sent
    ├── BackendError               a backend (disk, mail server, Microsoft 365) failed -> exit 3
    │   └── LockHeld               another pass is running            -> exit 3
    └── ConflictError              a file changed under us; re-read and merge
        ├── FileLocked             open for editing elsewhere: change it cell by cell, or later
        └── FileCheckedOut         checked out to a person in SharePoint: left until checked in

Backends translate library errors into these at their boundary; the CLI turns them into a
one-line message (a traceback only with ``--verbose``). Messages never carry personal data:
they name files, cells, keys and references, never a subject's name or circumstances.
"""

from __future__ import annotations


class O365flowError(Exception):
    """Base of every error raised on purpose. ``hint`` says how to fix it."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ConfigError(O365flowError):
    """Configuration or workflow definitions are invalid. ``problems`` lists each one."""

    def __init__(self, message: str, problems: list[str] | None = None, hint: str | None = None):
        super().__init__(message, hint)
        self.problems = list(problems or [])


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


class LockHeld(BackendError):
    """Another pass holds the lock."""


class ConflictError(O365flowError):
    """A file changed while the worker was working on it; re-read, merge and retry."""


class FileLocked(ConflictError):
    """The file is open for editing elsewhere (Excel, Word, a sync client): its content cannot be
    replaced whole now. On SharePoint a workbook can still be changed cell by cell with
    ``update_workbook``; otherwise leave it for the next pass."""


class FileCheckedOut(ConflictError):
    """The file is checked out to a person in SharePoint: nothing can change it, neither a
    new version nor the workbook API, until it is checked in. Name it in the digest."""
