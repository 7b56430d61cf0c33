"""The messages the register's Audit sheet records as sent, by their keys.

Each message o365flow sends is an Audit row whose ``Mail`` cell holds its key (what, which case,
to whom: ``escalation/NWSB-CPR-2026-001/POLICE``; no name). A state store that was lost is
rebuilt from them: with mail sent over SMTP there is no Sent Items folder to look in, so the
register is where the record of what went is kept. Read only when the store is rebuilt.
"""

from __future__ import annotations

from o365flow.core.columns import AUDIT_SHEET
from o365flow.register.headers import HEADER_SCAN_ROWS, find_header
from o365flow.register.read.book import UnreadableWorkbook, open_book
from o365flow.register.values import decode_text


def sent_mail_keys(data: bytes | None) -> set[str]:
    """The ``Mail`` keys on the Audit sheet of the workbook ``data``; an empty set when there is
    no register, no Audit sheet, no ``Mail`` column (a register written before it) or the
    workbook cannot be read (the register's own read names that problem)."""
    if not data:
        return set()
    try:
        book = open_book(data)
        if AUDIT_SHEET not in book.sheet_paths:
            return set()
        ws = book.sheet(AUDIT_SHEET)
        header = find_header(book.row_values(ws, n) for n in range(1, HEADER_SCAN_ROWS + 1))
        col = header.column("Mail") if header else None
        if col is None:
            return set()
        keys = set()
        for number, cells in ws.rows.items():
            if number <= header.row:
                continue
            value = book.value(cells.get(col))[0]
            if isinstance(value, str) and value.strip():
                keys.add(decode_text(value).strip())
        return keys
    except (UnreadableWorkbook, ValueError):
        return set()
