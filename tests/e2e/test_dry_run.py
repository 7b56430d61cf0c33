"""``plan`` is read-only by construction: the state store is opened read-only and gather only
reads, so a dry run changes no byte, no modification time and no file anywhere -- the state
store included -- while it still lists what the next pass would do."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

CPR = "DRSB-CPR-2026-001"


def everything(board) -> dict:
    """Every path under the board (folders too) with its bytes and modification time, and every
    item of the SharePoint libraries (``Board.snapshot`` leaves the state store out; this does not)."""
    out = {}
    for p in sorted(board.root.rglob("*")):
        st = p.stat()
        out[str(p.relative_to(board.root))] = (st.st_mtime_ns, st.st_mode, p.read_bytes() if p.is_file() else None)
    out.update({k: v for k, v in board.snapshot().items() if k.startswith("sharepoint:")})
    return out


@pytest.mark.parametrize("board", ["local", "sharepoint"], indirect=True)
def test_plan_writes_nothing_anywhere(board):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    (board.root / "mail" / "inbox" / "new" / "garbled.eml").write_bytes(b"\xff\xfe not a message")
    state = board.root / "state" / "state.sqlite"
    assert state.is_file()
    before = everything(board)

    result = board.cli("plan", "--now", "2026-03-16")

    assert result.exit_code in (0, 1), result.output
    assert f"create folder {CPR}/" in result.output  # the dry run still says what a pass would do
    assert everything(board) == before
    assert sorted(p.name for p in state.parent.iterdir()) == sorted(Path(k).name for k in before if k.startswith("state/"))


def test_plan_before_the_first_pass_makes_no_state_store(board):
    state_dir = board.root / "state"
    before = everything(board)
    result = board.cli("plan", "--now", "2026-03-02")
    assert result.exit_code == 0, result.output
    assert "register referral" in result.output
    assert everything(board) == before
    assert not (state_dir / "state.sqlite").exists()


def test_a_pass_after_a_dry_run_does_what_the_dry_run_said(board):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    planned = [line.strip() for line in board.cli("plan", "--now", "2026-03-16").output.splitlines() if line.strip()]
    done = board.run("2026-03-16").output
    for line in planned:
        if line.startswith(("create folder", "generate ", "mail ")):
            assert line in done


def test_an_unreadable_message_is_reported_by_one_pass_only(board):
    board.run("2026-03-02")
    (board.root / "mail" / "inbox" / "new" / "garbled.eml").write_bytes(b"\x00\x01\x02")
    assert "garbled.eml" in board.cli("plan", "--now", "2026-03-03").output  # said, not recorded
    first = board.run("2026-03-03", expect=1)
    assert "garbled.eml: not a readable message" in first.output
    digest = board.outbox()[-1]
    assert "garbled.eml" in digest.get_body(("plain",)).get_content()
    second = board.run("2026-03-04")
    assert "garbled.eml" not in second.output  # reported once; it stays in the mailbox for a person
    assert (board.root / "mail" / "inbox" / "new" / "garbled.eml").exists()
