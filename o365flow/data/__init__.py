"""The files o365flow ships inside its package: the Word and mail templates (``templates/``) and
the workflow definitions (``workflows/``). A board's own folders override them file by file."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    """``shipped("templates")`` or ``shipped("workflows")``: a folder inside the installed package."""
    folder = _HERE / name
    if not folder.is_dir():
        raise FileNotFoundError(f"the shipped '{name}' folder is missing from this installation")
    return folder
