"""Nothing changed, nothing written: after each kind of write, the same rows again change no cell,
so the file (and its version history on SharePoint) is left alone, whichever way it was written:
a new register, the full rewrite (an older layout brought up to date), the XML patch (cells
changed, rows added, actions replaced, audit rows added) and the cell edits the Graph workbook
API would send."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from o365flow.register import Link, register_edits, update_register
from o365flow.register.lists import LISTS_SHEET

AGENCIES = ("DCC", "POLICE", "PROBATION")


def _cases(stage: str = "In review", n: int = 3) -> list[dict]:
    return [
        {
            "Reference": f"DRSB-CPR-2026-{i:03d}",
            "Kind": "CPR",
            "Stage": stage,
            "Next deadline": date(2026, 9, 1),
            "Next deadline is": "Review due",
            "RAG": "Green",
            "Sign-offs outstanding": "DCC, POLICE, PROBATION",
            "Folder": Link(f"DRSB-CPR-2026-{i:03d}", f"https://example.org/Reviews/{i}"),
            "Last updated": date(2026, 8, 3),
        }
        for i in range(1, n + 1)
    ]


def _signoffs(n: int = 3) -> list[dict]:
    return [
        {"Reference": f"DRSB-CPR-2026-{i:03d}", "Agency": code, "Agency name": code.title(),
         "Requested": date(2026, 8, 3), "Due": date(2026, 8, 31)}
        for i in range(1, n + 1)
        for code in AGENCIES
    ]


ACTIONS = [
    {"Reference": "DRSB-CPR-2026-001", "Item": 1, "Recommendation": "Share the plan", "Action": "Write it down",
     "Lead agency": "DCC", "Target date": date(2026, 12, 1), "Progress": "Not started"},
]
AUDIT = [{"When": datetime(2026, 8, 3, 8), "Reference": "DRSB-CPR-2026-001",
          "What": "final report date 2026-08-03 recorded", "Why": "the final report is dated"}]
OPTIONS = {"agencies": AGENCIES, "board": "Dyfryn Regional Safeguarding Board"}


def _same_again(data: bytes, cases, signoffs, **more) -> None:
    assert update_register(data, cases, signoffs, **OPTIONS, **more) is None
    edits = register_edits(data, cases, signoffs, agencies=AGENCIES, **more)
    assert edits is not None and not edits  # the workbook API would send nothing either


def test_a_new_register_written_again_the_same_writes_nothing():
    data = update_register(None, _cases(), _signoffs(), actions=ACTIONS, audit=AUDIT, **OPTIONS)
    _same_again(data, _cases(), _signoffs(), actions=ACTIONS)


@pytest.mark.parametrize(
    "change",
    ["cells", "new rows", "actions", "audit"],
)
def test_after_each_kind_of_quick_write_the_same_rows_again_write_nothing(change):
    data = update_register(None, _cases(), _signoffs(), actions=ACTIONS, audit=AUDIT, **OPTIONS)
    cases, signoffs, more = _cases(), _signoffs(), {}
    if change == "cells":
        cases = _cases("Action plan sign-off, a longer stage name that wraps onto a second line")
    elif change == "new rows":
        cases, signoffs = _cases(n=5), _signoffs(n=5)
    elif change == "actions":
        more = {"actions": [{**ACTIONS[0], "Progress": "Under way: the plan is being written with the family"}]}
    else:
        more = {"audit": [{**AUDIT[0], "When": datetime(2026, 8, 4, 8), "What": "sign-off request sent to DCC"}]}
    edits = register_edits(data, cases, signoffs, agencies=AGENCIES, **more)
    assert edits  # the quick path takes it
    changed = update_register(data, cases, signoffs, **OPTIONS, **more)
    assert changed is not None
    more.pop("audit", None)  # audit rows are added once: the next pass has none to add
    _same_again(changed, cases, signoffs, **more)


def test_an_older_layout_is_laid_out_once_then_left_alone():
    data = update_register(None, _cases(), _signoffs(), **OPTIONS)
    wb = load_workbook(io.BytesIO(data))
    lists = wb[LISTS_SHEET]
    layout_col = next(c for c in range(1, lists.max_column + 1) if lists.cell(1, c).value == "Layout")
    lists.cell(2, layout_col).value = "1"  # as a register from before this layout
    out = io.BytesIO()
    wb.save(out)
    upgraded = update_register(out.getvalue(), _cases(), _signoffs(), **OPTIONS)
    assert upgraded is not None
    _same_again(upgraded, _cases(), _signoffs())
