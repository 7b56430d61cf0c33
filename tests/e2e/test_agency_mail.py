"""Agencies work by mail, never by the folder: timeline returns requested with the blank return
attached, reminded, and answered by a reply with the completed return attached, which is saved
into the case's timelines folder and merged."""

from __future__ import annotations

import pytest

import email.policy
from datetime import date
from email.message import EmailMessage
from io import BytesIO

from docx import Document

CPR = "DRSB-CPR-2026-001"
FOLDER = f"{CPR}/03 Agency timelines"


def timeline_requests(board) -> dict[str, EmailMessage]:
    return {str(m["To"]): m for m in board.outbox()
            if f"[{CPR}] Timeline return requested" in str(m["Subject"]) and not m["In-Reply-To"]}


def fill(blank: bytes, rows: list[tuple[str, str, str, str, str]]) -> bytes:
    doc = Document(BytesIO(blank))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text.strip() == "Date")
    for row, values in zip(table.rows[1:], rows):
        for cell, text in zip(row.cells, values):
            cell.text = text
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def reply_with(board, to: EmailMessage, sender: str, attachment: tuple[str, bytes] | None, text="Our return is attached."):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to["From"], "RE: " + str(to["Subject"])
    msg["Message-ID"] = f"<return-{abs(hash((sender, text)))}@agency.example.org>"
    msg["In-Reply-To"] = msg["References"] = to["Message-ID"]
    msg.set_content(text)
    if attachment:
        msg.add_attachment(attachment[1], maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename=attachment[0])
    (board.root / "mail" / "inbox" / "new" / f"{abs(hash(msg['Message-ID']))}.eml").write_bytes(msg.as_bytes(policy=email.policy.SMTP))


@pytest.mark.parametrize("board", ["local", "sharepoint"], indirect=True)
def test_timeline_returns_requested_reminded_and_answered_by_email(board):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Welsh_Government_notified=date(2026, 3, 11))
    board.run("2026-03-11")

    # One request per agency, with the blank return attached and the due date (4 weeks, [LOCAL]).
    requests = timeline_requests(board)
    assert len(requests) == 6
    council = requests["safeguarding.reviews@council.example.org"]
    body = council.get_body(("plain",)).get_content()
    assert "by 7 April 2026" in body and "case folder" not in body and "file://" not in body and "A.B." not in body
    (blank,) = list(council.iter_attachments())
    assert blank.get_filename() == f"{CPR} Agency timeline return (blank).docx"
    text = "\n".join(p.text for p in Document(BytesIO(blank.get_content())).paragraphs)
    assert "case folder" not in text and "Do not send it by email" not in text
    assert "by reply to the email that brought it" in text

    # The council replies with its return; a reply from elsewhere, or without one, saves nothing.
    filled = fill(blank.get_content(), [("02/03/2026", "10:00", "Strategy discussion held", "Social worker", "Case note 14")])
    reply_with(board, council, "someone@gmail.example.com", ("return.docx", filled))
    reply_with(board, requests["public.protection@police.example.org"], "public.protection@police.example.org", None,
               text="We will send it next week.")
    reply_with(board, council, "jo.jones@council.example.org", ("Council return.docx", filled))
    board.run("2026-03-20")
    assert board.files("Reviews", FOLDER, f"*DCC timeline return.docx") == [f"{FOLDER}/{CPR} DCC timeline return.docx"]
    board.run("2026-03-21")  # merged on the pass after it was saved
    assert board.case(CPR)["Timelines returned"] == "DCC"
    summary = Document(BytesIO(board.read_file("Reviews", f"{FOLDER}/{CPR} Summary timeline.docx")))
    cells = [c.text for t in summary.tables for r in t.rows for c in r.cells]
    assert "Strategy discussion held" in cells
    digest = [m for m in board.outbox() if "daily summary" in str(m["Subject"])]
    said = "\n".join(m.get_body(("plain",)).get_content() for m in digest)
    assert "someone@gmail.example.com, which is not DCC's configured address" in said
    assert "POLICE replied to the timeline request without a Word return attached" in said

    # Seven days before the due date, the five still outstanding are reminded, in thread; once
    # overdue the digest lists them.
    board.run("2026-03-31")
    reminders = [m for m in board.outbox() if "Reminder: timeline return due 7 April 2026" in str(m["Subject"])]
    assert len(reminders) == 5 and all(m["In-Reply-To"] == requests[str(m["To"])]["Message-ID"] for m in reminders)
    board.run("2026-04-01")
    assert len([m for m in board.outbox() if "Reminder: timeline return" in str(m["Subject"])]) == 5
    board.run("2026-04-08")
    said = [m for m in board.outbox() if "daily summary" in str(m["Subject"])][-1].get_body(("plain",)).get_content()
    assert "timeline return outstanding from EDU, POLICE, PROBATION, UHB, WAST (due 7 April 2026)" in said


def _action_plan(rows) -> bytes:
    doc = Document()
    table = doc.add_table(rows=1 + len(rows), cols=5)
    for cell, text in zip(table.rows[0].cells, ("Recommendation", "Action", "Lead agency", "Target date", "Progress")):
        cell.text = text
    for row, values in zip(table.rows[1:], rows):
        for cell, text in zip(row.cells, values):
            cell.text = text
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def test_an_action_is_reminded_updated_by_reply_and_completed(board):
    susr = "DRSB-SUSR-2026-001"
    board.run("2026-03-02")
    board.set_case(susr, Decision="SUSR", Decision_date=date(2026, 3, 10), Welsh_Government_notified=date(2026, 3, 11))
    board.run("2026-03-12")
    board.save_file("Reviews", f"{susr}/08 Action plan/{susr} Action plan.docx", _action_plan([
        ("1. Information sharing", "Refresh training on information sharing for G.H.'s team", "DCC", "30/11/2026", "Amber"),
        ("2. Escalation", "Publish the escalation protocol", "Dyffryn Police", "31/12/2026", "Complete"),
    ]))
    board.set_case(susr, Final_report_date=date(2026, 8, 3))
    board.run("2026-08-03")
    board.edit("Sign-offs", {"Reference": susr, "Agency": "CRG"}, {"Signed off": date(2026, 8, 20)})
    board.run("2026-08-21")
    assert board.case(susr)["Stage"] == "Signed off"

    # A week before the target date, the lead agency of the open action is reminded; the
    # completed one is left alone, and the subject's initials never leave.
    board.run("2026-11-23")
    reminders = [m for m in board.outbox() if "Reminder: action due 30/11/2026" in str(m["Subject"])]
    assert [str(m["To"]) for m in reminders] == ["safeguarding.reviews@council.example.org"]
    body = reminders[0].get_body(("plain",)).get_content()
    assert "Refresh training on information sharing for [initials removed]'s team" in body and "G.H." not in body
    assert not [m for m in board.outbox() if "action 2" in str(m["Subject"])]

    # Progress by reply is recorded against the action on the Actions sheet.
    reply_with(board, reminders[0], "jo.jones@council.example.org", None, text="Training booked for 25 November.")
    board.run("2026-11-24")
    rows = {r["Item"]: r for r in board.rows("Actions") if r["Reference"] == susr}
    assert rows[1]["Progress"] == "Training booked for 25 November. (by email 24/11/2026)"

    # Overdue: reminded again the day after the target date, in its own message.
    board.run("2026-12-01")
    overdue = [m for m in board.outbox() if f"[{susr}] Action overdue" in str(m["Subject"])]
    assert len(overdue) == 1
    reply_with(board, overdue[0], "jo.jones@council.example.org", None,
               text="Complete: training delivered to 40 staff on 25 November.")
    board.run("2026-12-02")
    rows = {r["Item"]: r for r in board.rows("Actions") if r["Reference"] == susr}
    assert rows[1]["Progress"] == "Complete"
    assert "training delivered to 40 staff" in rows[1]["Evidence of outcome"]
    said = [m for m in board.outbox() if "daily summary" in str(m["Subject"])][-1].get_body(("plain",)).get_content()
    assert "2 December 2026" in said and f"{susr}: action 1" not in said  # no longer overdue, from the same pass
    board.run("2026-12-10")
    assert len([m for m in board.outbox() if f"[{susr}] Action overdue" in str(m["Subject"])]) == 1
