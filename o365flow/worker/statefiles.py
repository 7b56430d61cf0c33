"""Small helpers of the state store: private files and folders, and register values as JSON."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path


def private_folder(folder: Path) -> None:
    """Make ``folder`` (made as needed) readable by the worker's account only."""
    folder.mkdir(parents=True, exist_ok=True)
    _chmod(folder, 0o700)


def private_file(path: Path) -> None:
    if path.exists():
        _chmod(path, 0o600)


def _chmod(path: Path, mode: int) -> None:
    # A folder IT set up and owns (writable by the service account) may refuse a chmod: then
    # its own permissions stand, which is IT's decision (the IT guide says what to set).
    if os.name != "posix":
        return
    try:
        os.chmod(path, mode)
    except PermissionError:
        pass


def encode(value):
    """JSON-safe form of register values (dates tagged so they come back as dates)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if value is None or isinstance(value, (int, float, bool)):
        return value
    return str(value)


def decode(value):
    if isinstance(value, dict):
        if set(value) == {"$d"}:
            return date.fromisoformat(value["$d"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value
