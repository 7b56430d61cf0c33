"""A site held in memory: the Storage port with no disk and no network, for fast tests of the
worker (gather, apply, a whole pass) and as the reference the contract suite holds the real
backends to.

It behaves as the others do where the port says so: paths are cleaned and may not leave their
library, office lock files and clutter are never listed, every write gives a new etag, change
tracking is incremental (a cursor is a sequence number), and a file can be marked open in
another program (``lock``) so writing or deleting it raises ``FileLocked``. ``log`` records
every call that reads or changes something, for tests that count them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote

from o365flow.errors import BackendError, ConflictError, FileLocked
from o365flow.storage.base import Changes, Entry
from o365flow.storage.local import is_ignored


@dataclass
class _Item:
    is_folder: bool
    data: bytes
    etag: str
    created: datetime
    modified: datetime
    seq: int  # when it last changed


def _clean(library: str, path: str) -> str:
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise BackendError(f"path '{path}' leaves library '{library}'")
    return "/".join(parts)


def _hidden(path: str) -> bool:
    return any(is_ignored(part) for part in path.split("/"))


class MemoryStorage:
    """Libraries of folders and files in dictionaries. ``clock`` stamps created/modified."""

    def __init__(self, libraries: tuple[str, ...] = (), clock: Callable[[], datetime] | None = None):
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self._libraries: dict[str, dict[str, _Item]] = {name: {} for name in libraries}
        self._deleted: dict[str, list[tuple[int, str]]] = {}
        self._seq = 0
        self.locked: set[tuple[str, str]] = set()
        self.access: dict[tuple[str, str], tuple[str, ...]] = {}  # what restrict_access was given
        self.log: list[tuple[str, str, str]] = []  # (operation, library, path)

    # -- test controls -------------------------------------------------------------------------
    def lock(self, library: str, path: str, locked: bool = True) -> None:
        """Mark a file as open in another program: writing or deleting it raises FileLocked."""
        (self.locked.add if locked else self.locked.discard)((library, _clean(library, path)))

    # -- helpers -------------------------------------------------------------------------------
    def _tick(self) -> int:
        self._seq += 1
        return self._seq

    def _entry(self, path: str, item: _Item) -> Entry:
        return Entry(path, item.is_folder, 0 if item.is_folder else len(item.data), item.created, item.modified,
                     "" if item.is_folder else item.etag)

    def _folder(self, library: str, path: str) -> None:
        items = self._libraries.setdefault(library, {})
        parts = path.split("/")
        for n in range(1, len(parts) + 1):
            folder = "/".join(parts[:n])
            current = items.get(folder)
            if current is None:
                now = self.clock()
                items[folder] = _Item(True, b"", "", now, now, self._tick())
            elif not current.is_folder:
                raise BackendError(f"cannot create folder '{library}/{folder}': a file has that name")

    # -- the port ------------------------------------------------------------------------------
    def list(self, library: str, folder: str = "", recursive: bool = False) -> list[Entry]:
        self.log.append(("list", library, folder))
        folder = _clean(library, folder)
        items = self._libraries.get(library, {})
        if folder and not (folder in items and items[folder].is_folder):
            return []
        prefix = folder + "/" if folder else ""
        found = []
        for path, item in items.items():
            rest = path[len(prefix):]
            if path.startswith(prefix) and rest and (recursive or "/" not in rest) and not _hidden(rest):
                found.append(self._entry(path, item))
        return sorted(found, key=lambda e: e.path)

    def changes(self, library: str, cursor: str | None, *, descend=None) -> Changes:
        # ``descend`` is a hint for backends that walk folders; a change feed ignores it.
        self.log.append(("changes", library, cursor or ""))
        items = self._libraries.get(library, {})
        if not cursor:
            entries = [self._entry(p, i) for p, i in items.items() if not _hidden(p)]
            return Changes(sorted(entries, key=lambda e: e.path), [], str(self._seq), complete=True)
        since = int(cursor)
        entries = [self._entry(p, i) for p, i in items.items() if i.seq > since and not _hidden(p)]
        gone = {p for seq, p in self._deleted.get(library, []) if seq > since and p not in items and not _hidden(p)}
        return Changes(sorted(entries, key=lambda e: e.path), sorted(gone), str(self._seq), complete=False)

    def stat(self, library: str, path: str) -> Entry | None:
        self.log.append(("stat", library, path))
        path = _clean(library, path)
        item = self._libraries.get(library, {}).get(path)
        return None if item is None else self._entry(path, item)

    def read(self, library: str, path: str) -> bytes:
        self.log.append(("read", library, path))
        item = self._libraries.get(library, {}).get(_clean(library, path))
        if item is None or item.is_folder:
            raise BackendError(f"cannot read '{library}/{path}': not found")
        return item.data

    def write(self, library, path, data, *, if_match=None, create_only=False) -> Entry:
        self.log.append(("write", library, path))
        path = _clean(library, path)
        items = self._libraries.setdefault(library, {})
        current = items.get(path)
        if current is not None and current.is_folder:
            raise BackendError(f"cannot write '{library}/{path}': a folder has that name")
        if create_only and current is not None:
            raise ConflictError(f"'{library}/{path}' already exists")
        if if_match is not None and (current is None or current.etag != if_match):
            raise ConflictError(f"'{library}/{path}' changed since it was read")
        if (library, path) in self.locked:
            raise FileLocked(f"'{library}/{path}' is open in another program",
                             hint="it will be written on the next pass once closed")
        if "/" in path:
            self._folder(library, path.rsplit("/", 1)[0])
        now, seq = self.clock(), self._tick()
        items[path] = _Item(False, bytes(data), f"m{seq}", current.created if current else now, now, seq)
        return self._entry(path, items[path])

    def make_folder(self, library: str, path: str) -> None:
        self.make_folders(library, [path])

    def make_folders(self, library: str, paths: list[str]) -> None:
        for path in paths:
            self.log.append(("make_folder", library, path))
            path = _clean(library, path)
            if path:
                self._folder(library, path)

    def delete(self, library: str, path: str) -> None:
        self.log.append(("delete", library, path))
        path = _clean(library, path)
        if not path:
            raise BackendError(f"refusing to delete the root of library '{library}'")
        if (library, path) in self.locked:
            raise FileLocked(f"'{library}/{path}' is open in another program")
        items = self._libraries.get(library, {})
        gone = [p for p in items if p == path or p.startswith(path + "/")]
        if gone:
            seq = self._tick()
            for p in gone:
                del items[p]
            self._deleted.setdefault(library, []).extend((seq, p) for p in gone)

    def link(self, library: str, path: str) -> str:
        return f"memory://{quote(library)}/{quote(_clean(library, path))}"

    def restrict_access(self, library: str, folder: str, principals: list[str]) -> bool:
        self.log.append(("restrict_access", library, folder))
        folder = _clean(library, folder)
        item = self._libraries.get(library, {}).get(folder)
        if item is None or not item.is_folder:
            raise BackendError(f"cannot restrict '{library}/{folder}': folder not found")
        self.access[(library, folder)] = tuple(sorted({p.strip().lower() for p in principals if p.strip()}))
        return True
