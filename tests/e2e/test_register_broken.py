"""One bad register never stops the rest of the board. With the workbook unreadable or missing
a column people fill in, reminders and the digest still go from what was last read, new
referrals wait, nothing is written to the register (so nothing a person typed is lost), no case
goes back a stage, and every pass names the file, the sheet or column, and the fix, and exits 1
until it is put right."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

import openpyxl
import pytest

from tests.e2e.test_state_store import new_form
from tests.helpers import REGISTER_LIBRARY, REGISTER_PATH

CPR = "DRSB-CPR-2026-001"


def _edit(board, change) -> None:
    wb = openpyxl.load_workbook(BytesIO(board.register_bytes()))
    change(wb)
    out = BytesIO()
    wb.save(out)
    board.save_file(REGISTER_LIBRARY, REGISTER_PATH, out.getvalue())


def _rename(sheet: str, old: str, new: str):
    def change(wb):
        ws = wb[sheet]
        cell = next(c for c in ws[1] if c.value == old)
        cell.value = new
    return change


BREAKS = {
    "truncated": (lambda b: b.save_file(REGISTER_LIBRARY, REGISTER_PATH, b.register_bytes()[:2000]), "cannot be read"),
    "not a workbook": (lambda b: b.save_file(REGISTER_LIBRARY, REGISTER_PATH, b"Reference,Stage\n"), "cannot be read"),
    "renamed Reference": (lambda b: _edit(b, _rename("Cases", "Reference", "Ref")), "'Reference'"),
    "renamed Decision": (lambda b: _edit(b, _rename("Cases", "Decision", "Chair's decision")), "'Decision' column"),
    "deleted Sign-offs": (lambda b: _edit(b, lambda wb: wb.remove(wb["Sign-offs"])), "'Sign-offs' sheet"),
}


def status(board, now):
    result = board.cli("status", "--now", now, "--json", "--all")
    assert result.exit_code == 0, result.output
    return {c["reference"]: c for c in json.loads(result.output)}


@pytest.mark.parametrize("how", list(BREAKS))
def test_a_broken_register_holds_only_what_depends_on_it(board, how):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Notes="typed by a person")
    board.run("2026-03-16")
    final = f"{CPR}/07 Final report"
    board.copy("Reviews", board.files("Reviews", CPR, "*report (draft).docx")[0], f"{final}/Final report.docx")
    board.run("2026-08-03")
    good = board.register_bytes()
    sent = len(board.outbox())

    breaker, named = BREAKS[how]
    breaker(board)
    broken = board.register_bytes()
    new_form(board, "0 Referral (new child).docx", subject_initials="X.Y.")

    for day in ("2026-08-24", "2026-08-25"):
        result = board.run(day, expect=1)
        text = result.output + (result.stderr if result.stderr_bytes else "")
        assert f"{REGISTER_LIBRARY}/{REGISTER_PATH}" in text and named in text, text
        assert "version history" in text
        assert "register referral" not in text  # the new referral waits
        assert board.register_bytes() == broken  # nothing written: nothing a person typed is lost
        assert status(board, day)[CPR]["stage"] == "action_plan_signoff"  # never back a stage
    mail = board.outbox()[sent:]
    reminders = [m for m in mail if m["In-Reply-To"] and CPR in str(m["Subject"])]
    assert len(reminders) == 6  # the reminders went, from what was last read
    digests = [m for m in mail if "daily summary" in str(m["Subject"])]
    assert digests and all("version history" in d.get_body(("plain",)).get_content() for d in digests)

    # Put right (the previous version restored): the new referral is registered, nothing lost.
    board.save_file(REGISTER_LIBRARY, REGISTER_PATH, good)
    board.run("2026-08-26")
    rows = {r["Reference"]: r for r in board.rows()}
    assert rows["DRSB-CPR-2026-002"]["Subject initials"] == "X.Y."
    assert rows[CPR]["Stage"] == "Action plan sign-off" and rows[CPR]["Notes"] == "typed by a person"
    signs = [r for r in board.rows("Sign-offs") if r["Reference"] == CPR]
    assert len(signs) == 6 and all(r["Requested"].date() == date(2026, 8, 3) for r in signs)
    assert all(r["Last reminder"].date() == date(2026, 8, 24) for r in signs)
