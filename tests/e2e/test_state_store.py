"""The state store as a cache the site can rebuild: a lost store never gives a reference twice
or crosses two children's records; it keeps only what the worker needs, privately; and the
temporary files of a killed pass are cleaned up by the next one."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from datetime import date

import pytest

from o365flow.commands.init import DEMO_REFERRALS
from o365flow.data import shipped
from o365flow.documents.referral import fill_referral_form

CPR = "DRSB-CPR-2026-001"


def new_form(board, name: str, **values) -> None:
    template = (shipped("templates") / "referral-form.docx").read_bytes()
    fields = {**DEMO_REFERRALS[0][1], **values}
    board.save_file("Referrals", name, fill_referral_form(template, fields))


@pytest.mark.parametrize("board", ["local", "sharepoint"], indirect=True)
def test_a_new_referral_after_the_state_is_lost_gets_a_new_reference(board):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Notes="first child")
    shutil.rmtree(board.root / "state")
    # A new child's form whose name sorts before the first child's.
    new_form(board, "0 Referral (new child).docx", subject_initials="X.Y.")
    result = board.run("2026-03-16")
    assert "rebuilt from the site" in result.output
    rows = {r["Reference"]: r for r in board.rows()}
    assert rows[CPR]["Subject initials"] == "A.B." and rows[CPR]["Notes"] == "first child"
    assert rows[CPR]["Stage"] == "In review"
    assert rows["DRSB-CPR-2026-002"]["Subject initials"] == "X.Y."
    assert rows["DRSB-CPR-2026-002"]["Stage"] == "Awaiting decision"
    assert len([r for r in rows if r.startswith("DRSB-CPR-")]) == 2
    digest = [m for m in board.outbox() if "daily summary" in str(m["Subject"])][-1]
    assert "rebuilt" in digest.get_body(("plain",)).get_content()
    assert board.run("2026-03-17").output.count("register referral") == 0


def test_a_reference_is_never_given_again_even_when_its_row_and_the_state_are_gone(board):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    board.run("2026-03-16")
    # Someone deletes the case's row and its form, and the state store is lost: the case
    # folder still shows the reference was given.
    import openpyxl
    from io import BytesIO

    wb = openpyxl.load_workbook(BytesIO(board.register_bytes()))
    ws = wb["Cases"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == CPR:
            ws.delete_rows(row[0].row)
            break
    out = BytesIO()
    wb.save(out)
    board.save_file("Register", "Practice Review Register.xlsx", out.getvalue())
    os.remove(board.root / "site" / "Referrals" / DEMO_REFERRALS[0][0])
    shutil.rmtree(board.root / "state")
    board.run("2026-03-17")  # rebuilt from the other cases
    new_form(board, "Referral (another child).docx", subject_initials="Q.R.")
    board.run("2026-03-18")
    refs = {r["Reference"]: r for r in board.rows()}
    assert CPR not in refs and refs["DRSB-CPR-2026-002"]["Subject initials"] == "Q.R."


def test_the_state_store_keeps_no_circumstances_or_referrer_address_and_is_private(board):
    board.run("2026-03-02")
    state = board.root / "state" / "state.sqlite"
    data = state.read_bytes()
    for _, values in DEMO_REFERRALS:
        for key in ("circumstances", "referrer_email"):
            assert values[key].encode() not in data, key
    db = sqlite3.connect(state)
    kept = db.execute("SELECT referral FROM cases").fetchall()
    db.close()
    assert kept and all("circumstances" not in r and "referrer_email" not in r for (r,) in kept)
    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    assert stat.S_IMODE(state.stat().st_mode) == 0o600
    assert stat.S_IMODE(state.parent.stat().st_mode) == 0o700
    outbox = board.root / "mail" / "outbox"
    assert stat.S_IMODE(outbox.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in outbox.iterdir())


def test_an_older_store_loses_what_it_should_not_hold(board):
    board.run("2026-03-02")
    state = board.root / "state" / "state.sqlite"
    db = sqlite3.connect(state)
    db.execute("""UPDATE cases SET referral = json_set(referral, '$.circumstances', 'Infant admitted',
                  '$.referrer_email', 'someone@council.example.org')""")
    db.commit()
    db.close()
    board.run("2026-03-03")
    db = sqlite3.connect(state)
    kept = [r for (r,) in db.execute("SELECT referral FROM cases")]
    db.close()
    assert kept and not any("Infant" in r or "someone@" in r for r in kept)


def test_temporary_files_of_a_killed_pass_are_removed_by_the_next(board):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    board.run("2026-03-16")
    left = [
        board.root / "site" / "Reviews" / CPR / ".o365flow-abc123.tmp",
        board.root / "site" / "Register" / ".o365flow-def456.tmp",
        board.root / "mail" / "outbox" / ".o365flow-789.tmp",
    ]
    for path in left:
        path.write_bytes(b"half written")
    (board.root / "state" / "pass.finished").unlink()  # as the killed pass left it: never finished
    keep = board.root / "site" / "Reviews" / CPR / "notes.tmp"  # a person's file: not ours
    keep.write_bytes(b"mine")
    assert all(p.exists() for p in left)
    board.cli("plan", "--now", "2026-03-17")
    assert all(p.exists() for p in left)  # the dry run changes nothing
    board.run("2026-03-17")
    assert not any(p.exists() for p in left)
    assert keep.exists()


def test_after_a_pass_that_finished_the_site_is_not_walked_for_temporary_files(board):
    board.run("2026-03-02")
    assert (board.root / "state" / "pass.finished").exists()
    planted = board.root / "site" / "Register" / ".o365flow-cafe.tmp"
    planted.write_bytes(b"not from a pass of ours")
    board.run("2026-03-03")
    assert planted.exists()  # the last pass finished, so nothing of its can be left: no walk
    (board.root / "state" / "pass.finished").unlink()  # a pass killed before it finished
    board.run("2026-03-04")
    assert not planted.exists()


def test_check_reports_a_state_store_that_does_not_match_the_register(board):
    board.run("2026-03-02")
    result = board.cli("check")
    assert result.exit_code == 0, result.output
    assert "matches the register" in result.output
    saved = board.root / "state-copy"
    shutil.copytree(board.root / "state", saved)
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    board.run("2026-03-16")
    shutil.rmtree(board.root / "state")
    shutil.copytree(saved, board.root / "state")  # an older copy put back
    result = board.cli("check")
    assert result.exit_code == 1
    assert "does not match the register" in result.output and CPR in result.output
    assert "rebuilds it from the site" in result.output
    board.run("2026-03-17")
    assert board.cli("check").exit_code == 0


def test_a_form_that_could_be_two_cases_is_held_not_registered_again(board):
    # Two referrals for children with the same initials from the same agency, the same day.
    new_form(board, "Referral (twin).docx")
    board.run("2026-03-02")
    refs = sorted(r["Reference"] for r in board.rows() if r["Reference"].startswith("DRSB-CPR-"))
    assert refs == ["DRSB-CPR-2026-001", "DRSB-CPR-2026-002"]
    shutil.rmtree(board.root / "state")
    result = board.run("2026-03-03", expect=1)
    assert "held as possibly already registered" in result.output
    assert "Referral (twin).docx" in result.output and "not registered again" in result.output
    refs = sorted(r["Reference"] for r in board.rows() if r["Reference"].startswith("DRSB-CPR-"))
    assert refs == ["DRSB-CPR-2026-001", "DRSB-CPR-2026-002"]  # neither registered a third time
    assert "register referral" not in board.run("2026-03-04", expect=1).output


def test_status_after_the_state_is_lost_shows_the_cases_the_register_holds(board):
    import json

    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    board.run("2026-03-16")
    before = board.cli("status", "--now", "2026-03-17", "--json").output
    shutil.rmtree(board.root / "state")
    after = board.cli("status", "--now", "2026-03-17", "--json")
    assert after.exit_code == 0, after.output
    assert json.loads(after.output) == json.loads(before)
    assert not (board.root / "state" / "state.sqlite").exists()  # status only reads
