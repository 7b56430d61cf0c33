"""What a board keeps between passes about its Microsoft 365 tenant, so a pass with nothing to do
neither signs in nor looks the site up again: msal's token cache (the app-only access tokens,
valid about an hour) and the ids Graph gave the site and its libraries.

One JSON file beside the state store (``microsoft365-cache.json`` in the state folder), readable
by its owner only (0600): the tokens in it open the board's site and mailbox until they expire.
It is replaced whole and atomically; a missing, unreadable or foreign file is simply a cold cache
(the next request signs in and looks things up again), never an error.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FILE_NAME = "microsoft365-cache.json"
_VERSION = 1


class SessionCache:
    """The cache file of one board. ``scope`` (tenant, app, authority, Graph URL) keys what is
    kept: a change of any of them in the config starts afresh."""

    def __init__(self, path: Path | None, scope: str):
        self.path = Path(path) if path is not None else None
        self.scope = scope
        self._tokens: str | None = None
        self._ids: dict[str, Any] = {}
        self._loaded = False
        self._dirty = False

    @classmethod
    def in_folder(cls, folder: Path | None, scope: str) -> SessionCache:
        return cls(Path(folder) / FILE_NAME if folder is not None else None, scope)

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if self.path is None:
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.info("the Microsoft 365 cache %s is unreadable (%s); starting afresh", self.path, type(exc).__name__)
            return
        if not isinstance(data, dict) or data.get("version") != _VERSION or data.get("scope") != self.scope:
            return
        tokens, ids = data.get("tokens"), data.get("ids")
        self._tokens = tokens if isinstance(tokens, str) else None
        self._ids = ids if isinstance(ids, dict) else {}

    # -- msal's token cache ----------------------------------------------------------------------
    def tokens(self) -> str | None:
        """msal's serialized token cache, as last saved."""
        self._load()
        return self._tokens

    def set_tokens(self, serialized: str) -> None:
        self._load()
        if serialized != self._tokens:
            self._tokens, self._dirty = serialized, True
            self.save()

    # -- ids of the site and its libraries ---------------------------------------------------------
    def get(self, key: str) -> Any:
        self._load()
        return self._ids.get(key)

    def put(self, key: str, value: Any) -> None:
        self._load()
        if self._ids.get(key) != value:
            self._ids[key], self._dirty = value, True
            self.save()

    def forget(self, key: str) -> None:
        self._load()
        if self._ids.pop(key, None) is not None:
            self._dirty = True
            self.save()

    # -- the file ------------------------------------------------------------------------------------
    def save(self) -> None:
        """Write the file if anything changed: owner-only from its first byte, replaced whole."""
        if not self._dirty or self.path is None:
            return
        body = json.dumps({"version": _VERSION, "scope": self.scope, "tokens": self._tokens, "ids": self._ids})
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".o365flow-", suffix=".tmp", dir=self.path.parent)
        except OSError as exc:
            log.warning("cannot keep the Microsoft 365 cache in %s: %s", self.path.parent, exc.strerror)
            return
        try:
            os.chmod(tmp, 0o600)  # mkstemp creates it 0600 already; said again for clarity
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body)
            os.replace(tmp, self.path)
            self._dirty = False
        except OSError as exc:
            log.warning("cannot keep the Microsoft 365 cache %s: %s", self.path, exc.strerror)
            try:
                os.unlink(tmp)
            except OSError:
                pass
