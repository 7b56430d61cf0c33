"""A message held in apply (an attachment that may name someone): the register follows what
happened, not what was planned -- no Requested date for a request that did not go, so a lost
state store never counts it as sent -- and the coordinator hears of it in that same day's digest."""

from __future__ import annotations

import shutil
from datetime import date

from tests.e2e.test_susr_journey import _action_plan, digest_text
from tests.helpers import requests_for

CPR = "DRSB-CPR-2026-001"
PLAN = f"{CPR}/08 Action plan/{CPR} Action plan.docx"


def digests(board) -> list:
    return [m for m in board.outbox() if "daily summary" in str(m["Subject"])]


def held_board(board):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Welsh_Government_notified=date(2026, 3, 11))
    board.run("2026-03-12")
    board.save_file("Reviews", PLAN, _action_plan("Training for the team that worked with A.B."))
    board.set_case(CPR, Final_report_date=date(2026, 8, 3))
    before = len(digests(board))
    out = board.run("2026-08-03", expect=1).output
    assert "held: an attachment may identify someone" in out
    assert requests_for(board, CPR) == {}
    assert len(digests(board)) == before + 1  # this pass's digest went
    return board


def test_a_held_request_has_no_requested_date_and_is_told_the_same_day(board):
    held_board(board)
    rows = [r for r in board.rows("Sign-offs") if r["Reference"] == CPR]
    assert all(r["Requested"] is None for r in rows), rows
    text = digest_text(board)
    assert f"{CPR}: the request to DCC, EDU, POLICE, PROBATION, UHB, WAST was held: an attachment may identify someone" in text
    assert "A.B." not in text and "sign-off requested" not in text  # not said to be done
    assert "to deal with" in text.split("Today:", 1)[1].split("\n", 1)[0]

    # The state store lost while the request is held: it is still not sent, and not counted as
    # sent; put right, the requests go, dated the day they went.
    shutil.rmtree(board.root / "state")
    board.run("2026-08-04", expect=1)
    assert requests_for(board, CPR) == {}
    board.save_file("Reviews", PLAN, _action_plan("Training for the team that worked with the child."))
    board.run("2026-08-05")
    assert len(requests_for(board, CPR)) == 6
    rows = [r for r in board.rows("Sign-offs") if r["Reference"] == CPR]
    assert rows and all(r["Requested"].date() == date(2026, 8, 5) for r in rows)


def test_a_held_request_is_told_each_day_until_put_right(board):
    held_board(board)
    board.run("2026-08-03", expect=1)  # the same day again: the digest has gone; no second one
    sent = len(digests(board))
    board.run("2026-08-04", expect=1)
    assert len(digests(board)) == sent + 1
    assert f"{CPR}: the request to DCC was held on the last pass" in digest_text(board)
