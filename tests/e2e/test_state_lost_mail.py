"""No message goes twice after the state store is lost, whatever kind it is and however mail
leaves. Over SMTP there is no Sent Items folder to look in: the register's Audit sheet carries
each message's key and the rebuild reads them back. The journey sends every kind of message
(the referrer's acknowledgement and decision letter, timeline requests, reminders and
escalations, learning event invitations, sign-off requests, reminders and escalations, action
reminders, submissions to the Welsh Ministers and the NISB, learning shared, the digest); a run
that deletes the state folder after every step sends exactly what a run that never lost it
sends, message for message, and its register ends the same."""

from __future__ import annotations

import email
import email.policy
import re
import shutil
from collections import Counter
from datetime import date
from io import BytesIO

import docx
import pytest

from tests.conftest import new_board
from tests.helpers import remarked
from tests.integration.test_smtp import PASSWORD, USER, Recorder, start, tls  # noqa: F401 (fixture)

CPR = "DRSB-CPR-2026-001"
MAILBOX = "safeguarding.board@board.example.org"


def configure(board) -> None:
    path = board.root / "o365flow.toml"
    text = path.read_text(encoding="utf-8")
    for old, new in (('welsh_ministers = ""', 'welsh_ministers = "safeguarding.reviews@gov.wales.example"'),
                     ('nisb = ""', 'nisb = "nisb@gov.wales.example"')):
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def use_smtp(board, port: int) -> None:
    path = board.root / "o365flow.toml"
    text = re.sub(r'backend = "outbox"[^\n]*', (
        'backend = "smtp"\nsmtp_host = "127.0.0.1"\n'
        f"smtp_port = {port}\n"
        'smtp_security = "starttls"\nsmtp_username_env = "TEST_SMTP_USER"\nsmtp_password_env = "TEST_SMTP_PASSWORD"'
    ), path.read_text(encoding="utf-8"), count=1)
    path.write_text(text, encoding="utf-8")


def use_graph(board, m365) -> None:
    path = board.root / "o365flow.toml"
    text = path.read_text(encoding="utf-8").replace('backend = "outbox"', f'backend = "graph"\nmailbox = "{MAILBOX}"', 1)
    text += (
        "\n[microsoft365]\n"
        f'tenant_id = "{m365.tenant_id}"\nclient_id = "{m365.client_id}"\n'
        f'certificate_path = "{m365.pki.client_pem.as_posix()}"\ngraph_url = "{m365.base_url}"\n'
        f'authority_url = "{m365.base_url}"\nca_bundle = "{m365.pki.ca_path.as_posix()}"\n'
    )
    path.write_text(text, encoding="utf-8")


def action_plan() -> bytes:
    doc = docx.Document()
    head = ("Recommendation", "Action", "Lead agency", "Lead officer", "Target date", "Progress / RAG", "Evidence of outcome")
    table = doc.add_table(rows=1, cols=len(head))
    for cell, text in zip(table.rows[0].cells, head):
        cell.text = text
    for cell, text in zip(table.add_row().cells, ("1. Share information", "Audit attendance", "POLICE", "", "20/09/2026",
                                                   "Not started", "")):
        cell.text = text
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


# Each step, and the subject words of a kind of message it sends (a run that never lost its
# state must send at least one, or the journey would not test that kind).
def intake(board):
    board.run("2026-03-02")


def decision(board):
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Welsh_Government_notified=date(2026, 3, 11))
    board.run("2026-03-11")


def timeline_reminder(board):
    board.run("2026-03-31")


def timeline_escalation(board):
    board.run("2026-04-21")


def invitation(board):
    board.set_case(CPR, Learning_event_date=date(2026, 5, 20))
    board.run("2026-05-04")


def final_report(board):
    board.copy("Reviews", board.files("Reviews", CPR, "*report (draft).docx")[0], f"{CPR}/07 Final report/Final report.docx")
    board.save_file("Reviews", f"{CPR}/08 Action plan/{CPR} Action plan.docx", action_plan())
    board.run("2026-08-03")


def signoff_reminder(board):
    board.run("2026-08-24")


def escalation(board):
    board.run("2026-09-14")


def signed_off(board):
    for agency in ("DCC", "EDU", "POLICE", "PROBATION", "UHB", "WAST"):
        board.edit("Sign-offs", {"Reference": CPR, "Agency": agency}, {"Signed off": date(2026, 9, 14)})
    board.run("2026-09-15")


def approved(board):
    board.set_case(CPR, Board_approval_date=date(2026, 9, 16))
    board.run("2026-09-17")


def published(board):
    draft = board.read_file("Reviews", board.files("Reviews", CPR, "*7 minute briefing (draft).docx")[0])
    board.save_file("Reviews", f"{CPR}/10 Ready to share/{CPR} 7 minute briefing.docx", remarked(draft))
    board.set_case(CPR, Published_date=date(2026, 10, 1))
    board.run("2026-10-02")
    board.run("2026-10-03")


STEPS = [intake, decision, timeline_reminder, timeline_escalation, invitation, final_report, signoff_reminder, escalation,
         signed_off, approved, published]
KINDS = ("Referral received", "Decision on your referral", "Timeline return requested", "Reminder: timeline return due",
         "Timeline return overdue", "learning event", "sign-off requested", "Reminder: action plan sign-off due",
         "sign-off overdue by", "Reminder: action due", "Final report and action plan", "Learning to share",
         "daily summary")


def journey(board, sent, lose: bool) -> tuple[Counter, dict]:
    """Every step; with ``lose``, the state folder deleted after each one. Returns the messages
    sent by Message-ID (how many times each) and subject, and the register's rows."""
    configure(board)
    for step in STEPS:
        step(board)
        if lose:
            shutil.rmtree(board.root / "state")
    messages = sent()
    ids = Counter(str(m["Message-ID"]) for m in messages)
    subjects = {str(m["Message-ID"]): str(m["Subject"]) for m in messages}
    register = {"cases": board.rows("Cases"), "signoffs": board.rows("Sign-offs"),
                "subjects": sorted(subjects.values()), "by_id": subjects}
    return ids, register


def kept(rows):
    return [{k: v for k, v in r.items() if k != "Last updated"} for r in rows]


@pytest.fixture
def smtp(tls, monkeypatch):  # noqa: F811
    """Start an SMTP server on loopback for a board; each has its own."""
    monkeypatch.setenv("SSL_CERT_FILE", str(tls[2]))
    monkeypatch.setenv("TEST_SMTP_USER", USER)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    servers = []

    def serve(board):
        recorder = Recorder()
        controller = start(recorder, tls_context=tls[0], require_starttls=True, authenticator=recorder.authenticate)
        servers.append(controller)
        use_smtp(board, controller.port)
        return lambda: [email.message_from_bytes(raw, policy=email.policy.default) for _, _, raw in recorder.received]

    yield serve
    for controller in servers:
        controller.stop()


def test_state_lost_after_every_step_sends_nothing_twice_over_smtp(tmp_path, smtp):
    whole = new_board(tmp_path / "whole")
    expected, register = journey(whole, smtp(whole), lose=False)
    subjects = " ".join(register["subjects"])
    for kind in KINDS:  # the journey sends every kind of message
        assert kind.lower() in subjects.lower(), kind
    assert max(expected.values()) == 1
    row = next(r for r in register["cases"] if r["Reference"] == CPR)
    assert row["Report submitted"].date() == date(2026, 9, 17)

    lost = new_board(tmp_path / "lost")
    got, again = journey(lost, smtp(lost), lose=True)
    twice = sorted(again["by_id"][i] for i, n in got.items() if n > 1)
    assert twice == [], "sent twice after the state was lost"
    skipped = sorted(register["by_id"][i] for i in set(expected) - set(got))
    added = sorted(again["by_id"][i] for i in set(got) - set(expected))
    assert (skipped, added) == ([], []), "a message was skipped or added after the state was lost"
    assert kept(again["cases"]) == kept(register["cases"])
    assert again["signoffs"] == register["signoffs"]


def test_state_lost_after_every_step_sends_nothing_twice_on_exchange(m365, tmp_path, smtp):
    """The same with the board's Exchange Online mailbox (the Microsoft 365 stand-in)."""
    whole = new_board(tmp_path / "whole")
    expected, register = journey(whole, smtp(whole), lose=False)
    board = new_board(tmp_path / "exchange")
    use_graph(board, m365)

    def sent():
        return [email.message_from_bytes(raw, policy=email.policy.default) for raw in m365.mail.mailbox(MAILBOX).sent_mime]

    got, again = journey(board, sent, lose=True)
    assert sorted(again["by_id"][i] for i, n in got.items() if n > 1) == []
    assert sorted(register["by_id"][i] for i in set(expected) - set(got)) == []
    assert sorted(again["by_id"][i] for i in set(got) - set(expected)) == []
    assert kept(again["cases"]) == kept(register["cases"])
    assert again["signoffs"] == register["signoffs"]


def clear(board, sheet: str, column: str) -> None:
    """Empty one column of a sheet, as a register written before the column was used has it."""
    import openpyxl

    from tests.helpers import REGISTER_LIBRARY, REGISTER_PATH

    wb = openpyxl.load_workbook(BytesIO(board.register_bytes()))
    ws = wb[sheet]
    col = [c.value for c in ws[1]].index(column) + 1
    for row in range(2, ws.max_row + 1):
        ws.cell(row, col).value = None
    out = BytesIO()
    wb.save(out)
    board.save_file(REGISTER_LIBRARY, REGISTER_PATH, out.getvalue())


def test_report_submitted_is_read_back_when_the_audit_sheet_has_no_mail_keys(board):
    configure(board)
    for step in STEPS[:STEPS.index(approved) + 1]:
        step(board)
    assert board.case(CPR)["Report submitted"].date() == date(2026, 9, 17)
    shutil.rmtree(board.root / "state")
    clear(board, "Audit", "Mail")  # an Audit sheet from before messages carried their keys
    out = board.cli("plan", "--now", "2026-09-18").output
    assert "rebuilt" in out and "mail submission" not in out
    clear(board, "Cases", "Report submitted")  # nothing on the site says they went: they would go
    assert "mail submission" in board.cli("plan", "--now", "2026-09-18").output
