"""The site is the record: lose the state store at any stage of a review (or put back an older
copy of it) and the next passes end with the same register, folders and mail as a run that lost
nothing -- no reference reused, no folder or document made twice, no request sent twice, no
reminder missed, no worker-owned date rewritten."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest

from tests.helpers import requests_for

CPR = "DRSB-CPR-2026-001"


def intake(board):
    board.run("2026-03-02")


def decision(board):
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    board.run("2026-03-16")


def final_report(board):
    final = f"{CPR}/07 Final report"
    board.copy("Reviews", board.files("Reviews", CPR, "*report (draft).docx")[0], f"{final}/Final report.docx")
    board.run("2026-08-03")


def replies(board):
    requests = requests_for(board, CPR)
    board.reply(requests["safeguarding.reviews@council.example.org"], "jo.jones@council.example.org",
                "Approved on behalf of the council.", when="Tue, 04 Aug 2026 10:00:00 +0100", name="Jo Jones")
    board.run("2026-08-05")


def reminder_day(board):
    board.run("2026-08-24")


def day_after(board):
    board.run("2026-08-25")


def signed_off(board):
    for agency in ("EDU", "POLICE", "PROBATION", "UHB", "WAST"):
        board.edit("Sign-offs", {"Reference": CPR, "Agency": agency}, {"Signed off": date(2026, 8, 28)})
    board.run("2026-08-29")


def published(board):
    board.set_case(CPR, Published_date=date(2026, 10, 1))
    board.run("2026-10-02")


def closed(board):
    board.set_case(CPR, Closed_date=date(2026, 12, 1))
    board.run("2026-12-02")
    board.run("2026-12-03")


STEPS = [intake, decision, final_report, replies, reminder_day, day_after, signed_off, published, closed]


def record(board) -> dict:
    """What the board shows: the register's Cases and Sign-offs, the files, and the mail (a
    digest by its Message-ID only: it says what the pass did, a rebuild included)."""
    mail = []
    for m in board.outbox():
        digest = "daily summary" in str(m["Subject"])
        body = "" if digest else re.sub(r"\S+/Reviews/", "<site>/Reviews/", m.get_body(("plain",)).get_content())
        mail.append((str(m["Message-ID"]), str(m["To"]), str(m["Subject"]), str(m["In-Reply-To"]), body))
    return {
        "cases": board.rows("Cases"),
        "signoffs": board.rows("Sign-offs"),
        "files": board.files("Reviews") + board.files("Referrals"),
        "mail": sorted(mail),
    }


def journey(board, lose_after=None, restore=None):
    """Run every step; after step ``lose_after`` the state folder is deleted, or, with ``restore``
    = (saved after, put back after), a copy saved after one step is put back after a later one."""
    state, saved = board.root / "state", board.root / "state-copy"
    for step in STEPS:
        step(board)
        if step is lose_after:
            shutil.rmtree(state)
        if restore and step is restore[0]:
            shutil.copytree(state, saved)
        if restore and step is restore[1]:
            shutil.rmtree(state)
            shutil.copytree(saved, state)
    return record(board)


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """The journey on a board that never lost its state (local site; the SharePoint runs are
    compared with it too: the same files, rows and messages)."""
    from tests.conftest import new_board

    return journey(new_board(tmp_path_factory.mktemp("uninterrupted") / "board"))


def same(board, expected):
    got = journey_result = board.result
    assert got["files"] == expected["files"]
    assert got["mail"] == expected["mail"]
    assert got["signoffs"] == expected["signoffs"]
    assert got["cases"] == expected["cases"]
    return journey_result


@pytest.mark.parametrize("lose_after", [intake, decision, final_report, replies, reminder_day, published],
                         ids=lambda s: s.__name__)
def test_state_lost_after_each_stage(board, uninterrupted, lose_after):
    board.result = journey(board, lose_after=lose_after)
    same(board, uninterrupted)


@pytest.mark.parametrize("board", ["sharepoint"], indirect=True)
@pytest.mark.parametrize("lose_after", [decision, final_report], ids=lambda s: s.__name__)
def test_state_lost_on_sharepoint(board, uninterrupted, lose_after):
    board.result = journey(board, lose_after=lose_after)
    same(board, uninterrupted)


@pytest.mark.parametrize("restore", [(intake, final_report), (final_report, reminder_day)], ids=lambda r: f"{r[0].__name__}-at-{r[1].__name__}")
def test_an_older_copy_put_back(board, uninterrupted, restore):
    board.result = journey(board, restore=restore)
    same(board, uninterrupted)
