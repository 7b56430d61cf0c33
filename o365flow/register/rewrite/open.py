"""Opening workbook bytes in openpyxl for the full rewrite."""

from __future__ import annotations

import warnings
import zipfile
from io import BytesIO

from o365flow.register.problems import unreadable


def open_workbook(data: bytes, *, read_only: bool, source: str | None = None):
    """The workbook in openpyxl; bytes it cannot read raise ``RegisterUnreadable``."""
    # Imported here: reading the register does not need openpyxl, and it is slow to import.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it does not model (slicers, some extensions);
            # they are not the register's concern and would only clutter the pass log.
            warnings.simplefilter("ignore", UserWarning)
            return load_workbook(BytesIO(data), read_only=read_only, data_only=read_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, OSError) as exc:
        # Named by its kind only: a library's message could quote what a cell holds.
        raise unreadable(source, type(exc).__name__) from None
