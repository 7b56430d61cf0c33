"""A board that prefers PDF sends agencies the action plan as PDF: converted by SharePoint on
SharePoint, by LibreOffice on the local site; checked for names in the Word source first; held,
never sent as Word instead, when it cannot be converted."""

from __future__ import annotations

import os
from datetime import date

import pytest

from tests.conftest import office_available
from tests.helpers import requests_for

CPR = "DRSB-CPR-2026-001"

pytestmark = pytest.mark.skipif(not office_available(), reason="LibreOffice converts the documents (CI installs it)")


def prefer_pdf(board) -> None:
    config = board.root / "o365flow.toml"
    text = config.read_text(encoding="utf-8")
    assert "\n[mail]\n" in text
    config.write_text(text.replace("\n[mail]\n", '\n[mail]\nattachments = "pdf"\n', 1), encoding="utf-8")


@pytest.mark.parametrize("board", ["local", "sharepoint"], indirect=True)
def test_the_action_plan_goes_to_each_agency_as_pdf(board):
    prefer_pdf(board)
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Welsh_Government_notified=date(2026, 3, 11))
    board.run("2026-03-12")
    board.set_case(CPR, Final_report_date=date(2026, 8, 3))
    board.run("2026-08-03")
    requests = requests_for(board, CPR)
    assert len(requests) == 6
    for msg in requests.values():
        (part,) = list(msg.iter_attachments())
        assert part.get_filename() == f"{CPR} Action plan (draft).pdf"
        assert part.get_content_type() == "application/pdf"
        assert part.get_content().startswith(b"%PDF")
    if board.m365 is not None:
        assert board.m365.pdf_requests >= 1  # SharePoint converted it; nothing was converted here


def test_without_a_converter_the_request_is_held_not_sent_as_word(board, monkeypatch):
    prefer_pdf(board)
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Welsh_Government_notified=date(2026, 3, 11))
    board.run("2026-03-12")
    board.set_case(CPR, Final_report_date=date(2026, 8, 3))
    monkeypatch.setenv("PATH", os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if "nothing" in p))
    out = board.run("2026-08-03", expect=1).output
    assert "held:" in out and "LibreOffice is not installed" in out
    assert requests_for(board, CPR) == {}
    monkeypatch.undo()
    board.run("2026-08-04")
    assert len(requests_for(board, CPR)) == 6


def test_check_warns_when_pdf_is_chosen_and_nothing_can_convert(board, monkeypatch):
    prefer_pdf(board)
    monkeypatch.setenv("PATH", "")
    result = board.cli("check")
    assert "LibreOffice" in result.output
