"""A Single Unified Safeguarding Review from referral to the Case Review Group's sign-off, and the
dates workflows carry: a CPR referred after 1 October 2024 is flagged with SUSR suggested; a
hold never hides an overdue Welsh Government notification."""

from __future__ import annotations

import pytest

import json
from datetime import date

from tests.helpers import remarked, requests_for

SUSR = "DRSB-SUSR-2026-001"
CPR = "DRSB-CPR-2026-001"
def configure(board) -> None:
    """The board's Case Review Group members and submission addresses, as a coordinator types them."""
    config = board.root / "o365flow.toml"
    text = config.read_text(encoding="utf-8")
    for old, new in (
        ("members = []", 'members = ["crg.chair@board.example.org", "crg.member@health.example.org"]'),
        ('welsh_ministers = ""', 'welsh_ministers = "safeguarding.reviews@gov.wales.example"'),
        ('nisb = ""', 'nisb = "nisb@gov.wales.example"'),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    config.write_text(text, encoding="utf-8")


def digest_text(board) -> str:
    digest = [m for m in board.outbox() if "daily summary" in str(m["Subject"])][-1]
    return digest.get_body(("plain",)).get_content()


def status(board, now):
    result = board.cli("status", "--now", now, "--json", "--all")
    assert result.exit_code == 0, result.output
    return {c["reference"]: c for c in json.loads(result.output)}


@pytest.mark.parametrize("board", ["local", "sharepoint"], indirect=True)
def test_susr_referral_to_case_review_group_signoff(board):
    configure(board)

    # Referral: a SUSR is suggested as a SUSR (no concise/extended split); the CPR referred in
    # 2026 is flagged, SUSR suggested, and the Chair still decides.
    out = board.run("2026-03-02").output
    assert f"register referral" in out
    text = digest_text(board)
    assert f"{SUSR}: (Single Unified Safeguarding Review) registered" in text
    susr_line = next(line for line in text.splitlines() if SUSR in line and "registered" in line)
    assert "suggested: SUSR" in susr_line and "concise" not in susr_line
    assert "a Child Practice Review referral received 2 March 2026: no new CPR starts since 1 October 2024; SUSR suggested instead" in text

    # The referrer is told the reference, and nothing else about the case.
    ack = [m for m in board.outbox() if str(m["Subject"]) == f"[{SUSR}] Referral received – Single Unified Safeguarding Review"]
    assert [str(m["To"]) for m in ack] == ["safeguarding@ambulance.example.org"]
    body = ack[0].get_body(("plain",)).get_content()
    assert SUSR in body and "2 March 2026" in body and "G.H." not in body

    # The Chair decides: a SUSR. The referrer gets a letter with the reference and the decision.
    board.set_case(SUSR, Decision="SUSR", Decision_date=date(2026, 3, 10), Welsh_Government_notified=date(2026, 3, 11))
    board.run("2026-03-12")
    letter = [m for m in board.outbox() if str(m["Subject"]) == f"[{SUSR}] Decision on your referral"]
    assert [str(m["To"]) for m in letter] == ["safeguarding@ambulance.example.org"]
    body = letter[0].get_body(("plain",)).get_content()
    assert "on 10 March 2026 decided that there will be a Single Unified Safeguarding Review" in body
    assert "G.H." not in body
    board.run("2026-03-13")
    assert len([m for m in board.outbox() if "Decision on your referral" in str(m["Subject"])]) == 1
    assert board.case(SUSR)["Stage"] == "In review"
    docs = board.files("Reviews", SUSR, "*.docx")
    assert any("Case Review Group membership" in d for d in docs)

    # The final report: one request, to the Case Review Group's members, with the action plan and
    # the final report attached; no agency is asked, and no folder is pointed at.
    final = f"{SUSR}/07 Final report/{SUSR} Final report.docx"
    board.copy("Reviews", board.files("Reviews", SUSR, "*Review report (draft).docx")[0], final)
    board.run("2026-08-03")
    requests = requests_for(board, SUSR)
    assert list(requests) == ["crg.chair@board.example.org, crg.member@health.example.org"]
    request = requests["crg.chair@board.example.org, crg.member@health.example.org"]
    attached = sorted(p.get_filename() for p in request.iter_attachments())
    assert attached == [f"{SUSR} Action plan (draft).docx", f"{SUSR} Final report.docx"]
    body = request.get_body(("plain",)).get_content()
    assert "Case Review Group" in body and "file://" not in body and "case folder" not in body
    assert "G.H." not in body
    row = board.case(SUSR)
    assert row["Stage"] == "Action plan sign-off"
    assert row["Sign-offs outstanding"] == "CRG"
    assert row["Action plan sign-off due"].date() == date(2026, 8, 31)
    signs = {r["Agency"]: r for r in board.rows("Sign-offs") if r["Reference"] == SUSR}
    assert list(signs) == ["CRG"] and signs["CRG"]["Agency name"] == "Case Review Group"

    # A reply from someone outside the group records nothing; one from a member signs it off.
    board.reply(request, "someone@council.example.org", "Approved")
    board.run("2026-08-04")
    assert board.case(SUSR)["Stage"] == "Action plan sign-off"
    board.reply(request, "crg.member@health.example.org", "Approved by the Case Review Group on 5 August.",
                when="Wed, 05 Aug 2026 10:00:00 +0100")
    board.run("2026-08-06")
    signs = {r["Agency"]: r for r in board.rows("Sign-offs") if r["Reference"] == SUSR}
    assert signs["CRG"]["Signed off"].date() == date(2026, 8, 5)
    assert board.case(SUSR)["Stage"] == "Signed off"
    assert status(board, "2026-08-06")[SUSR]["signoffs"] == {"CRG": "2026-08-05"}

    # Board approval: the report and the action plan go to the Welsh Ministers and the NISB,
    # attached, and the Audit sheet records each with its date.
    board.set_case(SUSR, Board_approval_date=date(2026, 9, 1))
    board.run("2026-09-02")
    sent = {str(m["To"]): m for m in board.outbox() if str(m["Subject"]).startswith(f"[{SUSR}] Final report and action plan")}
    assert sorted(sent) == ["nisb@gov.wales.example", "safeguarding.reviews@gov.wales.example"]
    for msg in sent.values():
        assert sorted(p.get_filename() for p in msg.iter_attachments()) == [f"{SUSR} Action plan (draft).docx", f"{SUSR} Final report.docx"]
        assert "approved on 1 September 2026" in msg.get_body(("plain",)).get_content()
    audit = [r for r in board.rows("Audit") if r["Reference"] == SUSR and r["What"] == "submission sent"]
    assert len(audit) == 2 and all(r["When"].date() == date(2026, 9, 2) for r in audit)
    assert "the National Independent Safeguarding Board" in " ".join(r["Why"] for r in audit)
    board.run("2026-09-03")
    assert len([m for m in board.outbox() if "Final report and action plan" in str(m["Subject"])]) == 2

    # Published: the briefing saved to share still carries its "not for onward circulation"
    # marking, so it is not sent, and the coordinator is told why.
    draft = board.read_file("Reviews", board.files("Reviews", SUSR, "*7 minute briefing (draft).docx")[0])
    shared = f"{SUSR}/10 Ready to share/{SUSR} 7 minute briefing.docx"
    board.save_file("Reviews", shared, draft)
    board.set_case(SUSR, Published_date=date(2026, 10, 1))
    board.run("2026-10-02")  # the report is checked for names; the published date then counts
    assert board.case(SUSR)["Stage"] == "Published"
    held = board.run("2026-10-03", expect=1).output
    assert "is marked \u201cnot for onward circulation\u201d in its header" in held
    assert not [m for m in board.outbox() if "Learning to share" in str(m["Subject"])]
    board.run("2026-10-04", expect=1)
    assert "the dissemination to DCC was held on the last pass" in digest_text(board)
    # The marking changed to OFFICIAL, as the briefing's guidance says: shared, and the pack made.
    board.save_file("Reviews", shared, remarked(draft))
    board.run("2026-10-05")
    assert len([m for m in board.outbox() if "Learning to share" in str(m["Subject"])]) == 6
    pack = f"{SUSR}/09 Publication/Wales Safeguarding Repository pack"
    assert sorted(p.rsplit("/", 1)[-1] for p in board.files("Reviews", pack)) == [
        "Checklist.txt", f"{SUSR} 7 minute briefing.docx", f"{SUSR} Action plan (draft).docx", f"{SUSR} Final report.docx",
        "metadata.json",
    ]
    meta = json.loads(board.read_file("Reviews", f"{pack}/metadata.json"))
    assert meta["reference"] == SUSR and meta["kind"] == "SUSR" and meta["decision"] == "SUSR"
    assert meta["dates"] == {"referral_received": "2026-03-02", "decision": "2026-03-10", "final_report": "2026-08-03",
                             "board_approval": "2026-09-01", "published": "2026-10-01"}
    assert "G.H." not in json.dumps(meta) and meta["agencies"]
    assert "NOT uploaded" in board.read_file("Reviews", f"{pack}/Checklist.txt").decode()

    # A second pass the same day changes no file and sends nothing.
    before = board.snapshot()
    assert "nothing to do" in board.run("2026-10-05").output
    assert board.snapshot() == before


def test_a_group_without_addresses_is_signed_off_in_the_register(board):
    board.run("2026-03-02")
    board.set_case(SUSR, Decision="SUSR", Decision_date=date(2026, 3, 10), Welsh_Government_notified=date(2026, 3, 11),
                   Final_report_date=date(2026, 8, 3))
    board.run("2026-08-03")
    assert requests_for(board, SUSR) == {}  # nobody to mail: the coordinator records it
    assert [r["Agency"] for r in board.rows("Sign-offs") if r["Reference"] == SUSR] == ["CRG"]
    board.edit("Sign-offs", {"Reference": SUSR, "Agency": "CRG"}, {"Signed off": date(2026, 8, 20)})
    board.run("2026-08-21")
    assert board.case(SUSR)["Stage"] == "Signed off"


def test_concise_review_is_not_a_susr_decision(board):
    board.run("2026-03-02")
    board.set_case(SUSR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    result = board.run("2026-03-11", expect=1)
    assert f"{SUSR}: Decision 'Concise review' does not fit a SUSR referral" in result.output + (result.stderr or "")
    assert not board.exists("Reviews", SUSR)


def test_a_hold_never_hides_an_overdue_notification(board):
    board.run("2026-03-02")
    # Decided 16/03: the Welsh Government notification was due 5 working days later (23/03);
    # the review went on hold on 01/05 for an inquest, and the notification is still not sent.
    board.set_case(SUSR, Decision="SUSR", Decision_date=date(2026, 3, 16), On_hold_from=date(2026, 5, 1),
                   Hold_reason="Inquest")
    board.run("2026-05-04")
    row = board.case(SUSR)
    assert row["Stage"] == "In review (on hold)"
    assert row["Next deadline is"] == "Welsh Government notified"
    assert row["Next deadline"].date() == date(2026, 3, 23)
    assert row["RAG"] == "Red"
    assert "Welsh Government not yet notified: was due 23 March 2026 (case on hold)" in digest_text(board)
    held = status(board, "2026-05-04")[SUSR]
    assert held["on_hold"] is True and held["rag"] == "Red" and held["review_due"] == "2026-09-19"
    # Once notified, the held review's own clock is paused, so nothing is Red any more.
    board.set_case(SUSR, Welsh_Government_notified=date(2026, 5, 5))
    board.run("2026-05-06")
    row = board.case(SUSR)
    assert row["RAG"] is None and row["Next deadline is"] == "Review completed"


def _action_plan(action: str) -> bytes:
    from io import BytesIO

    from docx import Document

    doc = Document()
    table = doc.add_table(rows=2, cols=5)
    for cell, text in zip(table.rows[0].cells, ("Recommendation", "Action", "Lead agency", "Target date", "Progress")):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("1. Training", action, "DCC", "01/12/2026", "")):
        cell.text = text
    data = BytesIO()
    doc.save(data)
    return data.getvalue()


def test_an_attachment_that_names_the_subject_is_held_and_the_coordinator_told(board):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Welsh_Government_notified=date(2026, 3, 11))
    board.run("2026-03-12")
    plan = f"{CPR}/08 Action plan/{CPR} Action plan.docx"
    board.save_file("Reviews", plan, _action_plan("Training for the team that worked with A.B."))
    board.set_case(CPR, Final_report_date=date(2026, 8, 3))
    first = board.run("2026-08-03", expect=1).output
    assert "held: an attachment may identify someone" in first and "A.B." not in first
    assert requests_for(board, CPR) == {}  # nothing leaves
    board.run("2026-08-04", expect=1)  # the hold was found as the pass sent: the next digest says so
    assert requests_for(board, CPR) == {}
    text = digest_text(board)
    assert f"{CPR}: the request to DCC was held on the last pass: an attachment may identify someone" in text
    assert "A.B." not in text and "Action plan.docx" in text
    # Put right (the initials replaced by a role): the requests go on the next pass.
    board.save_file("Reviews", plan, _action_plan("Training for the team that worked with the child."))
    board.run("2026-08-05")
    requests = requests_for(board, CPR)
    assert len(requests) == 6
    assert all([p.get_filename() for p in m.iter_attachments()] == [f"{CPR} Action plan.docx"] for m in requests.values())
