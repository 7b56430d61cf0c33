"""The local site: each top-level folder of a directory is a document library.

Writes go to a temporary file in the same folder, then ``os.replace`` -- atomic on Windows and
POSIX -- so a reader (or an interrupted pass) never sees half a document.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

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


def _entry_of(rel: str, is_dir: bool, st: os.stat_result) -> Entry:
    # st_ctime is creation time on Windows, inode change time on POSIX: take the earlier of it
    # and mtime so "created" never postdates the content.
    return Entry(
        path=rel,
        is_folder=is_dir,
        size=0 if is_dir else st.st_size,
        created=_ts(min(st.st_ctime, st.st_mtime)),
        modified=_ts(st.st_mtime),
        etag="" if is_dir else _etag(st),
    )


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
        return _entry_of(full.relative_to(self.root / library).as_posix(), full.is_dir(), st)

    def _walk(self, library: str, folder: str, descend: Callable[[str], bool] | None = None) -> list[Entry]:
        """Every entry below ``folder``; the contents of a subfolder only when ``descend(path)``.
        One ``scandir`` per folder and one ``stat`` per entry."""
        start = "/".join(p for p in folder.split("/") if p)
        found: list[Entry] = []
        stack = [(self._path(library, folder), start)]
        while stack:
            current, rel_dir = stack.pop()
            try:
                with os.scandir(current) as listing:
                    for item in listing:
                        if is_ignored(item.name):
                            continue
                        try:
                            is_dir, st = item.is_dir(), item.stat()
                        except FileNotFoundError:
                            continue  # removed while listing: seen on the next pass
                        rel = f"{rel_dir}/{item.name}" if rel_dir else item.name
                        found.append(_entry_of(rel, is_dir, st))
                        # A link to a folder is listed, never followed (as os.walk does).
                        if is_dir and not item.is_symlink() and (descend is None or descend(rel)):
                            stack.append((item.path, rel))
            except (FileNotFoundError, NotADirectoryError):
                continue  # gone since it was listed
            except OSError as exc:
                raise BackendError(f"cannot list '{library}/{folder}': {exc.strerror}") from exc
        return sorted(found, key=lambda e: e.path)

    # -- the port ----------------------------------------------------------------------------
    def list(self, library: str, folder: str = "", recursive: bool = False) -> list[Entry]:
        if not self._path(library, folder).is_dir():
            return []
        return self._walk(library, folder, None if recursive else (lambda path: False))

    def changes(self, library: str, cursor: str | None, *, descend: Callable[[str], bool] | None = None) -> Changes:
        # No change feed on disk: the whole listing each time (the caller diffs it), walking
        # only into the folders the caller needs below.
        if not self._path(library).is_dir():
            return Changes([], [], "", complete=True)
        return Changes(self._walk(library, "", descend), [], "", complete=True)

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
