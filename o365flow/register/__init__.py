"""The Excel register (openpyxl): read people's edits, write the worker's columns, lay it out.

Bytes in, bytes out: the worker gets and puts the workbook through the Storage port.

- ``read_register(data)`` -> ``RegisterSnapshot`` (cases, sign-offs, cell problems)
- ``update_register(data, cases, signoffs)`` -> new bytes, or None when no cell would change

Text is always stored as text (never a formula). Characters XML 1.0 cannot hold (C0 control
characters other than tab, line feed and carriage return; U+FFFE, U+FFFF) are removed, unpaired
surrogates become U+FFFD, and text is cut at Excel's 32,767 characters per cell.
"""

from o365flow.register.model import CellProblem, Link, RegisterSnapshot
from o365flow.register.read import read_register
from o365flow.register.write import update_register

__all__ = [
    "CellProblem",
    "Link",
    "RegisterSnapshot",
    "read_register",
    "update_register",
]
