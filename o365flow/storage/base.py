"""The Storage port, as the storage adapters see it: defined in ``o365flow.ports`` (with the
other ports) and re-exported here, with the errors a backend raises for a file in use."""

from __future__ import annotations

from o365flow.errors import ConflictError, FileCheckedOut, FileLocked
from o365flow.ports import Changes, Entry, Storage, WorkbookEditor

__all__ = ["Changes", "ConflictError", "Entry", "FileCheckedOut", "FileLocked", "Storage", "WorkbookEditor"]
