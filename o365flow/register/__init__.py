"""The Excel register: read people's edits, write the worker's columns, lay it out.

Bytes in, bytes out: the worker gets and puts the workbook through the Storage port.

- ``read_register(data)`` -> ``RegisterSnapshot`` (cases, sign-offs, cell problems), read
  straight from the file's XML (``read/``), without loading the workbook.
- ``update_register(data, cases, signoffs, ...)`` -> new bytes, or None when no cell would
  change: changed cells and new rows are patched into the XML (``patch/``); a new register, a
  layout to upgrade, or what the patch does not handle goes through openpyxl (``rewrite/``),
  which keeps everything else. ``update.py`` chooses, for reasons it names.
- ``register_edits(...)`` -> the same change as cell edits, for the Graph workbook API while
  people have the file open (``workbook/``).
- Shared by all of them: ``layout`` (sheets, columns, widths, row heights), ``lists`` (the
  dropdowns), ``values`` (what a cell may hold), ``problems`` (the one error an unusable
  register raises: ``RegisterUnreadable``, naming the file, sheet, column and the fix).

Text is always stored as text (never a formula). Characters XML 1.0 cannot hold (C0 control
characters other than tab, line feed and carriage return; U+FFFE, U+FFFF) are removed, unpaired
surrogates become U+FFFD, and text is cut at Excel's 32,767 characters per cell.
"""

from o365flow.errors import RegisterUnreadable
from o365flow.register.model import (
    CellEdit,
    CellProblem,
    Link,
    RegisterEdits,
    RegisterSnapshot,
    RowAppend,
    RowHeight,
)
from o365flow.register.read.snapshot import read_register
from o365flow.register.update import register_edits, update_register

__all__ = [
    "CellEdit",
    "CellProblem",
    "Link",
    "RegisterEdits",
    "RegisterSnapshot",
    "RegisterUnreadable",
    "RowAppend",
    "RowHeight",
    "read_register",
    "register_edits",
    "update_register",
]
