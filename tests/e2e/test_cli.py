"""The command line as users and schedulers meet it: exit codes, errors, guarantees."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from o365flow.worker.lock import PassLock
from tests.helpers import Board


def test_init_never_overwrites(board):
    config = board.root / "o365flow.toml"
    config.write_text(config.read_text() + "\n# mine\n")
    result = board.runner.invoke(__import__("o365flow.cli", fromlist=["cli"]).cli, ["init", str(board.root), "--demo"])
    assert result.exit_code == 0 and "kept" in result.output
    assert config.read_text().endswith("# mine\n")


def test_check_passes_on_a_new_board_and_names_every_config_problem(board):
    assert board.cli("check").exit_code == 0
    assert board.cli("check", "--online").exit_code == 0
    cfg = board.root / "o365flow.toml"
    text = cfg.read_text().replace('code = "DRSB"', 'code = "drsb"').replace('timezone = "Europe/London"', 'timezone = "Mars/Olympus"')
    cfg.write_text(text + '\n[microsoft365]\nclient_secret = "s3cret"\n')
    result = board.cli("check")
    assert result.exit_code == 1
    assert "board.code" in result.output and "board.timezone" in result.output and "client_secret" in result.output
    assert "s3cret" not in result.output
    run = board.cli("run")
    assert run.exit_code == 2 and "Traceback" not in run.output


def test_check_names_a_template_variable_the_context_cannot_supply(board):
    from docx import Document

    doc = Document()
    doc.add_paragraph("{{ case.reference }} {{ subject_full_name }}")
    target = board.root / "templates" / "cpr" / "terms-of-reference.docx"
    target.parent.mkdir(parents=True)
    doc.save(target)
    result = board.cli("check")
    assert result.exit_code == 1 and "subject_full_name" in result.output and "terms-of-reference.docx" in result.output


def test_missing_config_is_a_usage_error(tmp_path):
    b = Board(tmp_path)
    result = b.cli("run")
    assert result.exit_code == 2 and "o365flow init" in result.output


def test_plan_changes_nothing(board):
    before = board.snapshot()
    result = board.cli("plan", "--now", "2026-03-02")
    assert result.exit_code == 0 and "register referral" in result.output
    assert board.snapshot() == before
    assert board.cli("plan", "--now", "2026-03-02").output == result.output
    assert "DRSB-CPR-2026-001" in board.run("2026-03-02").output


def test_a_bad_form_is_named_and_the_rest_go_on(board):
    (board.root / "site" / "Referrals" / "notes.docx").write_bytes(b"this is not a word document")
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=3, cols=2)
    for row, (label, value) in zip(table.rows, [("Review requested", "CPR"), ("Subject initials", ""), ("Referring agency", "Dyffryn Police")]):
        row.cells[0].text, row.cells[1].text = label, value
    doc.save(board.root / "site" / "Referrals" / "incomplete.docx")
    result = board.run("2026-03-02", expect=1)
    # Named by a short id of their path, never by their file name (people name forms after people).
    import hashlib

    ids = [hashlib.sha256(n.encode()).hexdigest()[:8] for n in ("notes.docx", "incomplete.docx")]
    assert all(i in result.output for i in ids) and "Subject initials" in result.output
    assert "notes.docx" not in result.output and "incomplete.docx" not in result.output
    assert "Traceback" not in result.output
    assert len(board.rows()) == 4  # the four good forms were registered
    # Fixed: picked up on the next pass.
    table.rows[1].cells[1].text = "X.Y."
    doc.save(board.root / "site" / "Referrals" / "incomplete.docx")
    os.utime(board.root / "site" / "Referrals" / "incomplete.docx", None)
    (board.root / "site" / "Referrals" / "notes.docx").unlink()
    result = board.run("2026-03-03")
    assert "DRSB-CPR-2026-002" in result.output
    assert len(board.rows()) == 5


def test_a_second_pass_exits_3_while_one_holds_the_lock(board):
    with PassLock(board.root / "state"):
        result = board.cli("run", "--now", "2026-03-02")
    assert result.exit_code == 3 and "another o365flow pass" in result.output
    assert board.cli("run", "--now", "2026-03-02").exit_code == 0


def test_a_killed_pass_leaves_no_lock_and_resumes(board, tmp_path):
    """A pass killed mid-way (SIGKILL) leaves nothing that blocks the next, nor anything made twice."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    cmd = [sys.executable, "-m", "o365flow", "--config", str(board.root / "o365flow.toml"), "run", "--now", "2026-03-02"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.6)
    proc.kill()
    proc.wait()
    board.run("2026-03-02")
    refs = sorted(r["Reference"] for r in board.rows())
    assert refs == ["DRSB-APR-2026-001", "DRSB-CPR-2026-001", "DRSB-MAPF-2026-001", "DRSB-SUSR-2026-001"]
    digests = [m for m in board.outbox() if "daily summary" in str(m["Subject"])]
    assert len(digests) == 1
    assert "nothing to do" in board.run("2026-03-02").output


def test_run_as_a_subprocess_prints_a_summary_and_status_json(board):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    base = [sys.executable, "-m", "o365flow", "--config", str(board.root / "o365flow.toml")]
    done = subprocess.run(base + ["run", "--now", "2026-03-02"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Pass at 02/03/2026" in done.stdout
    out = subprocess.run(base + ["status", "--now", "2026-03-30", "--json"], env=env, capture_output=True, text=True, timeout=60)
    import json

    cases = json.loads(out.stdout)
    assert {c["stage"] for c in cases} == {"awaiting_decision"}
    assert all(c["rag"] == "Red" and c["next_deadline"] == "2026-03-23" for c in cases)
    for key in ("reference", "kind", "stage", "on_hold", "referral_received", "decision", "decision_date", "review_due",
                "final_report_date", "signoff_due", "signoffs", "next_deadline", "next_deadline_is", "rag"):
        assert key in cases[0]


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGTERM")
def test_watch_stops_cleanly_on_sigterm(board):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "o365flow", "--config", str(board.root / "o365flow.toml"), "watch", "--interval", "1s"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not board.register.exists():
        time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Stopped." in out and "Traceback" not in err


def test_bad_now_is_a_usage_error(board):
    result = board.cli("run", "--now", "next tuesday")
    assert result.exit_code == 2 and "--now" in result.output


def test_person_edits_survive_and_invalid_cells_are_named(board):
    board.run("2026-03-02")
    board.set_case("DRSB-CPR-2026-001", Notes="=HYPERLINK(\"http://x\")", Decision="Maybe", Decision_date="next week")
    result = board.run("2026-03-03", expect=1)
    assert "Decision" in result.output and "DRSB-CPR-2026-001" in result.output
    row = board.case("DRSB-CPR-2026-001")
    assert row["Notes"] == '=HYPERLINK("http://x")' and row["Decision"] == "Maybe"
    assert row["Stage"] == "Awaiting decision"
