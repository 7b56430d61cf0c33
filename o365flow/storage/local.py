"""The local site: each top-level folder of a directory is a document library.

Writes go to a temporary file in the same folder, then ``os.replace`` -- atomic on Windows and
POSIX -- so a reader (or an interrupted pass) never sees half a document.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from o365flow.errors import BackendError, ConflictError
from o365flow.storage.base import Changes, Entry, FileLocked

# Files that office suites and sync clients leave beside documents; never treated as content.
_IGNORED_PREFIXES = ("~$", ".~lock.", ".o365flow-")
_IGNORED_NAMES = {"desktop.ini", "thumbs.db", ".ds_store"}


def is_ignored(name: str) -> bool:
    """Lock files, temporary files and OS clutter that are not documents."""
    lower = name.lower()
    return name.startswith(_IGNORED_PREFIXES) or lower in _IGNORED_NAMES or lower.endswith(".tmp")


def _etag(st: os.stat_result) -> str:
    return f"{st.st_mtime_ns:x}-{st.st_size:x}"


def _ts(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


class LocalStorage:
    """Storage over a folder on disk (or a synced OneDrive/SharePoint folder)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    # -- helpers -----------------------------------------------------------------------------
    def _path(self, library: str, path: str = "") -> Path:
        rel = Path(*[p for p in path.split("/") if p]) if path else Path()
        if any(part in ("..",) for part in rel.parts) or rel.is_absolute():
            raise BackendError(f"path '{path}' leaves library '{library}'")
        return self.root / library / rel

    def _entry(self, library: str, full: Path) -> Entry:
        st = full.stat()
        rel = full.relative_to(self.root / library).as_posix()
        # st_ctime is creation time on Windows, inode change time on POSIX: take the earlier
        # of it and mtime so "created" never postdates the content.
        created = min(st.st_ctime, st.st_mtime)
        return Entry(
            path=rel,
            is_folder=full.is_dir(),
            size=0 if full.is_dir() else st.st_size,
            created=_ts(created),
            modified=_ts(st.st_mtime),
            etag="" if full.is_dir() else _etag(st),
        )

    # -- the port ----------------------------------------------------------------------------
    def list(self, library: str, folder: str = "", recursive: bool = False) -> list[Entry]:
        base = self._path(library, folder)
        if not base.is_dir():
            return []
        found: list[Entry] = []
        try:
            if recursive:
                for dirpath, dirnames, filenames in os.walk(base):
                    dirnames[:] = [d for d in dirnames if not is_ignored(d)]
                    for name in dirnames + filenames:
                        if not is_ignored(name):
                            found.append(self._entry(library, Path(dirpath) / name))
            else:
                for child in base.iterdir():
                    if not is_ignored(child.name):
                        found.append(self._entry(library, child))
        except FileNotFoundError:
            pass  # removed while listing: it will be seen on the next pass
        except OSError as exc:
            raise BackendError(f"cannot list '{library}/{folder}': {exc.strerror}") from exc
        return sorted(found, key=lambda e: e.path)

    def changes(self, library: str, cursor: str | None) -> Changes:
        # A folder walk is cheap for the few hundred files a board has; the caller diffs it.
        return Changes(self.list(library, recursive=True), [], "", complete=True)

    def stat(self, library: str, path: str) -> Entry | None:
        full = self._path(library, path)
        try:
            return self._entry(library, full)
        except FileNotFoundError:
            return None

    def read(self, library: str, path: str) -> bytes:
        try:
            return self._path(library, path).read_bytes()
        except OSError as exc:
            raise BackendError(f"cannot read '{library}/{path}': {exc.strerror}") from exc

    def write(self, library, path, data, *, if_match=None, create_only=False) -> Entry:
        full = self._path(library, path)
        full.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".o365flow-", suffix=".tmp", dir=full.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            # Check as late as possible so the window for a concurrent edit is tiny.
            if create_only and full.exists():
                raise ConflictError(f"'{library}/{path}' already exists")
            if if_match is not None:
                current = self.stat(library, path)
                if current is None or current.etag != if_match:
                    raise ConflictError(f"'{library}/{path}' changed since it was read")
            try:
                os.replace(tmp, full)
            except PermissionError as exc:
                # Windows refuses to replace a file another program holds open.
                raise FileLocked(
                    f"'{library}/{path}' is open in another program",
                    hint="it will be written on the next pass once closed",
                ) from exc
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        return self._entry(library, full)

    def make_folder(self, library: str, path: str) -> None:
        try:
            self._path(library, path).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackendError(f"cannot create folder '{library}/{path}': {exc.strerror}") from exc

    def make_folders(self, library: str, paths: list[str]) -> None:
        for path in paths:
            self.make_folder(library, path)

    def delete(self, library: str, path: str) -> None:
        try:
            self._path(library, path).unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise BackendError(f"cannot delete '{library}/{path}': {exc.strerror}") from exc

    def link(self, library: str, path: str) -> str:
        return self._path(library, path).resolve().as_uri()

    def restrict_access(self, library: str, folder: str, principals: list[str]) -> bool:
        return False
