"""Rows a person deletes from the register by mistake are put back with their values, and said so."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import openpyxl
from openpyxl.utils import range_boundaries, get_column_letter

from tests.helpers import REGISTER_LIBRARY, REGISTER_PATH

CPR = "DRSB-CPR-2026-001"


def delete_row(board, sheet: str, match: dict) -> None:
    """As Excel does it: the row goes and the table shrinks by one."""
    wb = openpyxl.load_workbook(BytesIO(board.register_bytes()))
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        values = {h: c.value for h, c in zip(header, row)}
        if all(values.get(k) == v for k, v in match.items()):
            ws.delete_rows(row[0].row)
            break
    else:
        raise AssertionError(f"no row {match} on {sheet}")
    for table in ws.tables.values():
        c1, r1, c2, r2 = range_boundaries(table.ref)
        table.ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{max(r2 - 1, r1 + 1)}"
        if table.autoFilter is not None:
            table.autoFilter.ref = table.ref
    out = BytesIO()
    wb.save(out)
    board.save_file(REGISTER_LIBRARY, REGISTER_PATH, out.getvalue())


def test_a_deleted_case_row_comes_back_with_the_coordinators_values(board):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Notes="Inquest expected in June")
    board.run("2026-03-11")
    delete_row(board, "Cases", {"Reference": CPR})
    assert CPR not in {r["Reference"] for r in board.rows()}
    board.run("2026-03-12")
    row = board.case(CPR)
    assert row["Decision"] == "Concise review" and row["Decision date"].date() == date(2026, 3, 10)
    assert row["Notes"] == "Inquest expected in June" and row["Stage"] == "In review"
    digest = [m for m in board.outbox() if "daily summary" in str(m["Subject"])][-1].get_body(("plain",)).get_content()
    assert f"the row of {CPR} on 'Cases' was deleted; it has been put back" in digest
    # Put back once: the next pass has nothing to say about it and writes nothing.
    before = board.register_bytes()
    board.run("2026-03-12T12:00")
    assert board.register_bytes() == before


def test_a_deleted_signoff_row_keeps_the_date_a_person_typed(board):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Final_report_date=date(2026, 8, 3))
    board.run("2026-08-03")
    board.edit("Sign-offs", {"Reference": CPR, "Agency": "WAST"}, {"Signed off": date(2026, 8, 5), "How": "Letter"})
    board.run("2026-08-06")
    delete_row(board, "Sign-offs", {"Reference": CPR, "Agency": "WAST"})
    board.run("2026-08-07")
    row = next(r for r in board.rows("Sign-offs") if r["Reference"] == CPR and r["Agency"] == "WAST")
    assert row["Signed off"].date() == date(2026, 8, 5) and row["How"] == "Letter"
