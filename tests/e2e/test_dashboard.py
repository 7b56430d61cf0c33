"""The register's Dashboard after real passes, as LibreOffice calculates it, says what
``status --json`` says. The passes run up to the real today, because the Dashboard's formulas use
the spreadsheet's own TODAY()."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from o365flow.core.model import Stage
from tests.unit.test_register_office import (
    RECALCULATED,
    SOFFICE,
    convert,
    dashboard_figures,
    expected_figures,
)

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(
        SOFFICE is None, reason="LibreOffice (soffice) is not installed"
    ),
]


def _rows_from_status(cases: list[dict]) -> tuple[list[dict], list[dict]]:
    """The register's rows as ``status --json`` describes the cases: stage words, dates."""
    day = lambda text: date.fromisoformat(text) if text else None
    rows, signoffs = [], []
    for case in cases:
        stage = Stage(case["stage"]).label + (" (on hold)" if case["on_hold"] else "")
        rows.append(
            {
                "Reference": case["reference"],
                "Kind": case["kind"],
                "Stage": stage,
                "Next deadline": day(case["next_deadline"]),
                "RAG": case["rag"],
                "Final report date": day(case["final_report_date"]),
                "Review due": day(case["review_due"]),
            }
        )
        for agency, signed in case["signoffs"].items():
            signoffs.append(
                {
                    "Reference": case["reference"],
                    "Agency": agency,
                    "Signed off": day(signed),
                    "Due": day(case["signoff_due"]),
                }
            )
    return rows, signoffs


def test_the_dashboard_agrees_with_status(board, tmp_path):
    today = date.today()
    ago = lambda n: (today - timedelta(days=n)).isoformat()
    board.run(ago(200))
    refs = {r["Kind"]: r["Reference"] for r in board.rows()}
    assert set(refs) == {"CPR", "APR", "MAPF", "SUSR"}

    # A concise review whose final report is in (sign-offs asked for), an extended review on
    # hold, a forum already held; the SUSR still waits for the Chair.
    board.set_case(
        refs["CPR"],
        Decision="Concise review",
        Decision_date=today - timedelta(days=190),
    )
    board.set_case(
        refs["APR"],
        Decision="Extended review",
        Decision_date=today - timedelta(days=185),
    )
    board.set_case(
        refs["MAPF"],
        Decision="Forum",
        Decision_date=today - timedelta(days=100),
        Learning_event_date=today - timedelta(days=5),
    )
    board.run(ago(180))
    board.set_case(refs["CPR"], Final_report_date=today - timedelta(days=20))
    board.set_case(
        refs["APR"], On_hold_from=today - timedelta(days=10), Hold_reason="Inquest"
    )
    board.run(ago(20))
    board.edit(
        "Sign-offs",
        {"Reference": refs["CPR"], "Agency": "DCC"},
        {"Signed off": today - timedelta(days=3)},
    )
    board.run(today.isoformat())

    result = board.cli("status", "--json", "--all", "--now", today.isoformat())
    assert result.exit_code == 0, result.output
    cases = json.loads(result.output)
    stages = {c["reference"]: c["stage"] for c in cases}
    assert (
        stages[refs["CPR"]] == "action_plan_signoff"
        and stages[refs["MAPF"]] == "forum_held"
    )
    rows, signoffs = _rows_from_status(cases)
    want = expected_figures(rows, signoffs, [], today)
    assert want["glance"]["Action plan sign-offs outstanding"] == 5
    assert want["glance"]["Open cases"] == 4
    assert want["glance"]["Overdue: next deadline before today"] >= 1

    calculated = convert(tmp_path, board.register.read_bytes(), RECALCULATED)
    assert dashboard_figures(calculated) == want
