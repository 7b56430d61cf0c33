"""The whole journey of a Child Practice Review through the CLI, as a coordinator lives it, on
the local site and on SharePoint (the Microsoft 365 stand-in): the same test body for both."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import requests_for

CPR = "DRSB-CPR-2026-001"

pytestmark = pytest.mark.parametrize("board", ["local", "sharepoint"], indirect=True)
WORKFLOWS = Path(__file__).resolve().parents[2] / "o365flow" / "data" / "workflows"


def commissioned(workflow: str, ref: str) -> list[str]:
    """The documents a workflow file says a decision generates, as paths in the case folder."""
    data = tomllib.loads((WORKFLOWS / f"{workflow}.toml").read_text(encoding="utf-8"))
    return sorted(f"{ref}/{d['folder']}/{d['name'].replace('{reference}', ref)}" for d in data["documents"])


def status(board, now):
    result = board.cli("status", "--now", now, "--json", "--all")
    assert result.exit_code == 0, result.output
    return {c["reference"]: c for c in json.loads(result.output)}


def test_referral_to_publication(board):
    # 1. Referral: the demo's four forms become four cases with references.
    out = board.run("2026-03-02").output
    assert "DRSB-CPR-2026-001" in out and "DRSB-APR-2026-001" in out
    cases = {r["Reference"]: r for r in board.rows()}
    assert set(cases) == {"DRSB-CPR-2026-001", "DRSB-APR-2026-001", "DRSB-MAPF-2026-001", "DRSB-SUSR-2026-001"}
    assert cases[CPR]["Stage"] == "Awaiting decision"
    assert cases[CPR]["Referral received"].date() == date(2026, 3, 2)
    assert cases[CPR]["Subject initials"] == "A.B."
    digest = board.outbox()[-1]
    assert "daily summary" in str(digest["Subject"])
    assert "A.B." not in digest.get_body(("plain",)).get_content()

    # 2. The Chair decides: a concise review. The next pass makes the folder and documents.
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Welsh_Government_notified=date(2026, 3, 12))
    board.run("2026-03-16")
    docs = board.files("Reviews", CPR, "*.docx")
    assert docs == commissioned("cpr", CPR) and any("Terms of reference" in d for d in docs)
    final = f"{CPR}/07 Final report"
    assert board.is_folder("Reviews", final) and not board.children("Reviews", final)
    row = board.case(CPR)
    assert row["Stage"] == "In review"
    assert row["Review due"].date() == date(2026, 9, 10)
    assert status(board, "2026-03-16")[CPR]["review_due"] == "2026-09-10"

    # 3. On hold for an inquest for 30 days: the review due date moves by the hold.
    board.set_case(CPR, On_hold_from=date(2026, 4, 1), Hold_reason="Inquest")
    held = status(board, "2026-04-11")[CPR]
    assert held["on_hold"] is True and held["rag"] is None
    assert held["review_due"] == "2026-09-20"  # moves on with each day of the hold
    board.set_case(CPR, Resumed_on=date(2026, 5, 1))
    board.run("2026-05-04")
    assert board.case(CPR)["Review due"].date() == date(2026, 10, 10)

    # 4. The final report is saved in its folder: one sign-off request per agency.
    board.copy("Reviews", board.files("Reviews", CPR, "*report (draft).docx")[0], f"{final}/Final report.docx")
    board.run("2026-08-03")
    requests = requests_for(board, CPR)
    assert len(requests) == 6
    for msg in requests.values():
        body = msg.get_body(("plain",)).get_content()
        assert "A.B." not in body and "Infant" not in body and CPR in body
    row = board.case(CPR)
    assert row["Final report date"].date() == date(2026, 8, 3)
    assert row["Action plan sign-off due"].date() == date(2026, 8, 31)
    assert row["Stage"] == "Action plan sign-off"

    # 5. A genuine reply from the council is recorded; a spoofed one for the police is not.
    board.reply(requests["safeguarding.reviews@council.example.org"], "jo.jones@council.example.org",
                "Approved on behalf of the council.", when="Tue, 04 Aug 2026 10:00:00 +0100", name="Jo Jones")
    board.reply(requests["public.protection@police.example.org"], "someone@gmail.example.com", "Approved")
    board.run("2026-08-05")
    signs = {r["Agency"]: r for r in board.rows("Sign-offs") if r["Reference"] == CPR}
    assert signs["DCC"]["Signed off"].date() == date(2026, 8, 4)
    assert "jo.jones@council.example.org" in signs["DCC"]["Signed off by"]
    assert signs["POLICE"]["Signed off"] is None
    digest = [m for m in board.outbox() if "daily summary" in str(m["Subject"])][-1]
    text = digest.get_body(("plain",)).get_content()
    assert "someone@gmail.example.com" in text and "nothing recorded" in text

    # 6. Seven days before the due date, the agencies still outstanding are reminded, in thread.
    board.run("2026-08-24")
    signoff_mail = lambda m: m["In-Reply-To"] and CPR in str(m["Subject"]) and "sign-off" in str(m["Subject"])  # noqa: E731
    reminders = [m for m in board.outbox() if signoff_mail(m)]
    assert len(reminders) == 5  # everyone but the council
    assert all(m["In-Reply-To"] == requests[str(m["To"])]["Message-ID"] for m in reminders)
    board.run("2026-08-25")
    assert len([m for m in board.outbox() if signoff_mail(m)]) == 5  # no second reminder

    # 7. The coordinator types the rest of the sign-offs in the register.
    for agency in ("EDU", "POLICE", "PROBATION", "UHB", "WAST"):
        board.edit("Sign-offs", {"Reference": CPR, "Agency": agency}, {"Signed off": date(2026, 8, 28)})
    board.run("2026-08-29")
    assert board.case(CPR)["Stage"] == "Signed off"
    assert status(board, "2026-08-29")[CPR]["stage"] == "signed_off"
    signs = {r["Agency"]: r for r in board.rows("Sign-offs") if r["Reference"] == CPR}
    assert signs["EDU"]["Signed off"].date() == date(2026, 8, 28)  # a person's date is kept

    # 8. Published, then closed.
    board.set_case(CPR, Published_date=date(2026, 10, 1))
    board.run("2026-10-02")
    assert board.case(CPR)["Stage"] == "Published"
    board.set_case(CPR, Closed_date=date(2026, 12, 1))
    board.run("2026-12-02")
    assert board.case(CPR)["Stage"] == "Closed"
    assert CPR not in {c["reference"] for c in json.loads(board.cli("status", "--now", "2026-12-02", "--json").output)}

    # 9. A second identical pass changes no file and sends nothing.
    before = board.snapshot()
    result = board.run("2026-12-02")
    assert "nothing to do" in result.output
    assert board.snapshot() == before


def test_no_review_closes_the_case(board):
    board.run("2026-03-02")
    board.set_case("DRSB-APR-2026-001", Decision="No review", Decision_date=date(2026, 3, 5))
    board.run("2026-03-06")
    assert board.case("DRSB-APR-2026-001")["Stage"] == "Closed"
    assert not board.exists("Reviews", "DRSB-APR-2026-001")
    assert status(board, "2026-03-06")["DRSB-APR-2026-001"]["stage"] == "closed"


def test_forum_runs_its_own_stages(board):
    ref = "DRSB-MAPF-2026-001"
    board.run("2026-03-02")
    board.set_case(ref, Decision="Forum", Decision_date=date(2026, 3, 5), Learning_event_date=date(2026, 4, 20))
    board.run("2026-03-06")
    names = board.files("Reviews", ref, "*.docx")
    assert names == commissioned("forum", ref) and any("Learning summary" in n for n in names)
    assert board.case(ref)["Stage"] == "Forum arranged"
    board.run("2026-04-20")
    assert board.case(ref)["Stage"] == "Forum held"  # from the day itself
    assert status(board, "2026-04-20")[ref]["stage"] == "forum_held"
    assert not requests_for(board, ref)  # forums ask no agency to sign off
    board.set_case(ref, Closed_date=date(2026, 5, 30))
    board.run("2026-06-01")
    assert board.case(ref)["Stage"] == "Closed"
