"""The Excel register: read people's edits, write the worker's columns, lay it out.

Bytes in, bytes out: the worker gets and puts the workbook through the Storage port.

- ``read_register(data)`` -> ``RegisterSnapshot`` (cases, sign-offs, cell problems), read
  straight from the file's XML (``sheetxml``), without loading the workbook.
- ``update_register(data, cases, signoffs, ...)`` -> new bytes, or None when no cell would
  change: a few changed cells are patched into the XML (``edits``, ``patch``); a new register,
  a layout to upgrade or new rows go through openpyxl (``write``), which keeps everything else.
- ``register_edits(...)`` -> the same change as cell edits, for the Graph workbook API while
  people have the file open.

Text is always stored as text (never a formula). Characters XML 1.0 cannot hold (C0 control
characters other than tab, line feed and carriage return; U+FFFE, U+FFFF) are removed, unpaired
surrogates become U+FFFD, and text is cut at Excel's 32,767 characters per cell.
"""

from o365flow.register.model import CellEdit, CellProblem, Link, RegisterEdits, RegisterSnapshot, RowAppend
from o365flow.register.read.snapshot import read_register
from o365flow.register.update import register_edits, update_register

__all__ = [
    "CellEdit",
    "CellProblem",
    "Link",
    "RegisterEdits",
    "RegisterSnapshot",
    "RowAppend",
    "read_register",
    "register_edits",
    "update_register",
]
