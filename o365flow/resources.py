"""Where the shipped templates and workflow files are: beside the package in a source checkout
(``templates/``, ``config/``), or inside it when installed from a wheel (``o365flow/_shipped``)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """``shipped("templates")`` or ``shipped("config")``."""
    for candidate in (_PACKAGE.parent / name, _PACKAGE / "_shipped" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the shipped '{name}' folder is missing from this installation")
