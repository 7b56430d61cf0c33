"""``status`` and ``plan`` as a coordinator reads them: the register's words, the kind, the day
they are for, what goes next; ``--now`` in the date forms used everywhere else."""

from __future__ import annotations

import json
from datetime import date

import pytest

CPR = "DRSB-CPR-2026-001"


@pytest.fixture
def decided(board):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Final_report_date=date(2026, 8, 3),
                   Welsh_Government_notified=date(2026, 3, 12))
    board.run("2026-08-04")
    return board


@pytest.mark.parametrize("now", ["31/08/2026", "31 August 2026", "2026-08-31", "2026-08-31T09:30", "31/08/2026 09:30"])
def test_now_takes_every_date_form(decided, now):
    result = decided.cli("status", "--json", "--now", now)
    assert result.exit_code == 0, result.output
    case = next(c for c in json.loads(result.output) if c["reference"] == CPR)
    assert case["rag"] == "Amber" and case["signoff_due"] == "2026-08-31"


def test_a_bad_now_is_named(decided):
    result = decided.cli("status", "--now", "31/13/2026")
    assert result.exit_code == 2 and "--now" in result.output and "31/08/2026" in result.output


def test_status_reads_as_the_register_does(decided):
    result = decided.cli("status", "--now", "24/08/2026")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Dyffryn Regional Safeguarding Board: cases as at 24 August 2026 00:00"
    head = next(line for line in lines if line.startswith("Reference"))
    assert "Kind" in head and "Next letter or reminder" in head
    row = next(line for line in lines if line.startswith(CPR))
    assert "Action plan sign-off" in row and "action_plan_signoff" not in row
    assert "  CPR  " in row
    assert "due by 31 August 2026" in row and "sign-off reminder to" in row and "on 24 August 2026" in row
    held = next(line for line in lines if line.startswith("DRSB-MAPF") or line.startswith("DRSB-SUSR"))
    assert "_" not in held.split()[2]  # a stage word, never an id


def test_plan_says_when_it_is_for_and_which_reminder(decided):
    result = decided.cli("plan", "--now", "24/08/2026 08:00")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Plan as at 24 August 2026 08:00:"
    reminders = [line for line in lines if "mail reminder" in line]
    assert reminders and all("(reminder 7 day(s) before the sign-off due date)" in line for line in reminders)
