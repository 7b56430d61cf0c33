"""The files o365flow ships inside its package: the Word and mail templates (``templates/``) and
the workflow definitions (``workflows/``). A board's own folders override them file by file.

They are found with ``importlib.resources``, so they are wherever the installer put the package
(a wheel in a venv, pipx, an editable checkout), never relative to a working directory. The
packaging (``pyproject.toml``: ``package-data``) carries them into the wheel and the sdist; CI
builds the wheel and runs a board from it (``make package-check``).
"""

from __future__ import annotations

import atexit
import functools
import sys
from contextlib import ExitStack
from importlib import resources
from pathlib import Path

from o365flow.errors import InstallationError

#: What ``shipped`` may be asked for.
FOLDERS = ("templates", "workflows")

_extracted = ExitStack()  # folders unpacked from a zipped install, removed when the process ends
atexit.register(_extracted.close)


@functools.cache
def shipped(name: str) -> Path:
    """``shipped("templates")`` or ``shipped("workflows")``: a folder inside the installed package,
    as a real path (the template engine and ``zipfile`` open files by path).

    Raises ``InstallationError`` (exit 3) when the installation lacks it."""
    if name not in FOLDERS:
        raise ValueError(f"o365flow ships no '{name}' folder; it ships {', '.join(FOLDERS)}")
    folder = resources.files(__package__) / name
    if not folder.is_dir():
        raise InstallationError(
            f"this installation of o365flow lacks its shipped '{name}' folder (o365flow/data/{name})",
            hint="reinstall o365flow from its wheel: pip install --force-reinstall o365flow-*.whl",
        )
    if isinstance(folder, Path):
        return folder
    if sys.version_info >= (3, 12):  # a zipped install: unpack once (as_file takes folders from 3.12)
        return _extracted.enter_context(resources.as_file(folder))
    raise InstallationError(
        "o365flow is installed as a zip archive, which Python 3.11 cannot open templates from",
        hint="install it unpacked (pip install o365flow-*.whl) or use Python 3.12 or newer",
    )
