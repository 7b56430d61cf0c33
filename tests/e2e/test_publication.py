"""Before a review is published its final report is checked for names; a hit holds it."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import docx

CPR = "DRSB-CPR-2026-001"
AGENCIES = ("DCC", "POLICE", "UHB", "PROBATION", "WAST", "EDU")


def report(*paragraphs: str, cell: str = "") -> bytes:
    doc = docx.Document()
    doc.add_heading("Child Practice Review report", 1)
    for text in paragraphs:
        doc.add_paragraph(text)
    if cell:
        doc.add_table(rows=1, cols=2).rows[0].cells[1].text = cell
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def signed_off_review(board) -> None:
    """The demo CPR taken to the point of publication: decided, reported, every agency signed off."""
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    board.run("2026-03-11")
    board.save_file("Reviews", f"{CPR}/07 Final report/Final report.docx",
                    report("The review considered the practice of agencies.", cell="Learning point 1"))
    board.run("2026-08-03")
    for code in AGENCIES:
        board.edit("Sign-offs", {"Reference": CPR, "Agency": code}, {"Signed off": date(2026, 8, 10)})
    board.run("2026-08-11")
    assert board.case(CPR)["Stage"] == "Signed off"


def test_a_report_naming_the_subject_holds_publication_until_it_is_corrected(board):
    signed_off_review(board)
    board.save_file("Reviews", f"{CPR}/07 Final report/Final report.docx",
                    report("Practice was reviewed.", cell="Contact with A.B. lapsed in May."))
    board.set_case(CPR, Board_approval_date=date(2026, 9, 1), Published_date=date(2026, 9, 2))
    held = board.run("2026-09-02", expect=1)
    assert "publication is held" in held.stderr and "A.B." not in held.stderr
    assert "table 1 row 1 cell 2" in held.stderr and "the subject's initials" in held.stderr
    assert board.case(CPR)["Stage"] == "Signed off"
    digest = [m for m in board.outbox() if "daily summary" in str(m["Subject"])][-1].get_body(("plain",)).get_content()
    assert "publication is held" in digest and "A.B." not in digest

    check = board.cli("check-report", CPR)
    assert check.exit_code == 1 and "the subject's initials" in check.output and "A.B." not in check.output

    board.save_file("Reviews", f"{CPR}/07 Final report/Final report.docx", report("Practice was reviewed."))
    assert board.cli("check-report", CPR).exit_code == 0
    board.run("2026-09-03")
    assert board.case(CPR)["Stage"] == "Published"
    # Once cleared, it stays published (the check is not made again).
    board.run("2026-09-04")
    assert board.case(CPR)["Stage"] == "Published"


def test_names_on_the_case_list_are_found_and_a_person_can_clear_by_hand(board):
    signed_off_review(board)
    names = docx.Document()
    names.add_paragraph("Jane Example")
    out = BytesIO()
    names.save(out)
    board.save_file("Reviews", f"{CPR}/01 Referral and decision/{CPR} Names not to publish (restricted).docx", out.getvalue())
    board.save_file("Reviews", f"{CPR}/07 Final report/Final report.docx", report("Jane said the plan was unclear."))
    board.set_case(CPR, Published_date=date(2026, 9, 2))
    held = board.run("2026-09-02", expect=1)
    assert "name 1 on the names not to publish list" in held.stderr and "Jane" not in held.stderr
    board.set_case(CPR, Anonymisation_cleared=date(2026, 9, 3))
    board.run("2026-09-03")
    assert board.case(CPR)["Stage"] == "Published"


def test_check_report_names_an_unknown_reference(board):
    board.run("2026-03-02")
    result = board.cli("check-report", "DRSB-CPR-2026-999")
    assert result.exit_code == 2 and "DRSB-CPR-2026-999" in result.output
