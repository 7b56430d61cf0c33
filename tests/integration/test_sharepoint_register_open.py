"""The register on SharePoint while a coordinator has it open all day, or has checked it out:
the pass changes it cell by cell, or leaves it and says so. Nothing is lost either way."""

from __future__ import annotations

from datetime import date

import pytest

CPR = "DRSB-CPR-2026-001"
REGISTER = ("Register", "Practice Review Register.xlsx")
sharepoint_board = pytest.mark.parametrize("board", ["sharepoint"], indirect=True)


@sharepoint_board
def test_a_register_open_in_excel_is_updated_cell_by_cell(board, m365):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Notes="typed by a coordinator")
    m365.lock_item(*REGISTER)  # open in Excel for the web: replacing the file answers 423
    before = len(m365.log)
    board.run("2026-03-11")
    calls = [r for r in m365.log[before:] if "/workbook/" in r.path]
    assert any(r.path.endswith("/createSession") for r in calls) and any("range(" in r.path for r in calls)
    assert not [r for r in m365.log[before:] if r.method == "PUT" and "Register" in r.path and r.status == 200]
    row = board.case(CPR)
    assert row["Stage"] == "In review" and row["Notes"] == "typed by a coordinator"
    assert row["Folder"]  # the case folder, linked
    # Still open the next day, and the coordinator types in it (co-authoring saves as they go).
    m365.lock_item(*REGISTER, locked=False)
    board.set_case(CPR, Welsh_Government_notified=date(2026, 3, 12))
    m365.lock_item(*REGISTER)
    board.run("2026-03-12")
    assert board.case(CPR)["Welsh Government notified"].date() == date(2026, 3, 12)
    assert board.case(CPR)["Next deadline is"] == "Review completed"


@sharepoint_board
def test_a_checked_out_register_is_named_and_brought_up_to_date_once_checked_in(board, m365):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    m365.check_out_item(*REGISTER)
    result = board.run("2026-03-11", expect=1)
    assert "checked out in SharePoint" in result.stderr
    assert board.files("Reviews", CPR)  # the rest of the pass went on: the case folder is made
    m365.check_out_item(*REGISTER, checked_out=False)
    board.run("2026-03-12")
    assert board.case(CPR)["Stage"] == "In review"
    digest = board.outbox()[-1].get_body(("plain",)).get_content()
    assert "checked out in SharePoint" in digest
