"""A board whose mail is the Exchange Online mailbox (the Microsoft 365 stand-in), through the
CLI: sign-off requests and reminders leave as that mailbox in one thread per agency, replies are
read from its Inbox, a DMARC-failed and an out-of-office reply record nothing, and a second pass
sends nothing."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import date
from email.message import EmailMessage

import pytest

from tests.helpers import Board

CPR = "DRSB-CPR-2026-001"
BOARD_MAILBOX = "safeguarding.board@board.example.org"  # the from address `init` writes


@pytest.fixture
def graph_board(board: Board, m365) -> Board:
    """The demo board with ``[mail] backend = "graph"`` pointed at the stand-in."""
    config = board.root / "o365flow.toml"
    text = config.read_text(encoding="utf-8")
    assert 'backend = "outbox"' in text
    text = text.replace('backend = "outbox"', f'backend = "graph"\nmailbox = "{BOARD_MAILBOX}"', 1)
    text += (
        "\n[microsoft365]\n"
        f'tenant_id = "{m365.tenant_id}"\n'
        f'client_id = "{m365.client_id}"\n'
        f'certificate_path = "{m365.pki.client_pem.as_posix()}"\n'
        f'graph_url = "{m365.base_url}"\n'
        f'authority_url = "{m365.base_url}"\n'
        f'ca_bundle = "{m365.pki.ca_path.as_posix()}"\n'
    )
    config.write_text(text, encoding="utf-8")
    return board


def _sent(m365) -> list[EmailMessage]:
    return [email.message_from_bytes(raw, policy=email.policy.default) for raw in m365.mail.mailbox(BOARD_MAILBOX).sent_mime]


def _requests(m365) -> dict[str, EmailMessage]:
    return {
        str(m["To"]): m
        for m in _sent(m365)
        if f"[{CPR}]" in str(m["Subject"]) and "requested" in str(m["Subject"]).lower() and not m["In-Reply-To"]
    }


def _reply(to: EmailMessage, sender: str, first_line: str, *, extra: dict | None = None, subject: str = "") -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = BOARD_MAILBOX
    msg["Subject"] = subject or "RE: " + str(to["Subject"])
    msg["Date"] = "Tue, 04 Aug 2026 10:00:00 +0100"
    msg["Message-ID"] = f"<{abs(hash((sender, first_line)))}@agency.example.org>"
    msg["In-Reply-To"] = to["Message-ID"]
    msg["References"] = to["Message-ID"]
    for name, value in (extra or {}).items():
        msg[name] = value
    msg.set_content(f"{first_line}\n\n> {to['Subject']}\n")
    return msg.as_bytes()


def _signed(board: Board, now: str) -> dict:
    result = board.cli("status", "--now", now, "--json", "--all")
    assert result.exit_code == 0, result.output
    return {c["reference"]: c for c in json.loads(result.output)}[CPR]["signoffs"]


def test_signoff_by_mail_through_the_board_mailbox(graph_board: Board, m365):
    board = graph_board
    board.run("2026-03-02")
    assert any("daily summary" in str(m["Subject"]) for m in _sent(m365))
    assert not (board.root / "mail" / "outbox").exists() or not list((board.root / "mail" / "outbox").iterdir())

    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10),
                   Welsh_Government_notified=date(2026, 3, 12))
    board.run("2026-03-16")
    final = f"{CPR}/07 Final report"
    board.save_file("Reviews", f"{final}/Final report.docx", board.read_file("Reviews", board.files("Reviews", CPR, "*.docx")[0]))
    board.run("2026-08-03")
    requests = _requests(m365)
    assert len(requests) == 6
    assert all(str(m["From"].addresses[0].addr_spec) == BOARD_MAILBOX for m in requests.values())

    council = requests["safeguarding.reviews@council.example.org"]
    m365.mail.deliver(BOARD_MAILBOX, _reply(council, "Jo Jones <jo.jones@council.example.org>", "Approved."))
    m365.mail.deliver(BOARD_MAILBOX, _reply(
        requests["public.protection@police.example.org"], "public.protection@police.example.org", "Approved",
        extra={"Authentication-Results": "mx.board.example.org; spf=fail smtp.mailfrom=police.example.org; dmarc=fail"}))
    m365.mail.deliver(BOARD_MAILBOX, _reply(
        requests["safeguarding.team@health.example.org"], "safeguarding.team@health.example.org",
        "Approved is what I will say when I am back", subject="Automatic reply: sign-off",
        extra={"Auto-Submitted": "auto-replied"}))
    board.run("2026-08-05")
    signed = _signed(board, "2026-08-05")
    assert signed["DCC"] == "2026-08-04"
    assert signed["POLICE"] is None and signed["UHB"] is None

    board.run("2026-08-24")  # seven days before the due date: reminders, in each agency's thread
    reminders = [m for m in _sent(m365) if m["In-Reply-To"] and CPR in str(m["Subject"])]
    assert len(reminders) == 5
    assert all(m["In-Reply-To"] == requests[str(m["To"])]["Message-ID"] for m in reminders)

    posts = len(m365.requests("POST", "/sendMail"))
    board.run("2026-08-24")
    assert len(m365.requests("POST", "/sendMail")) == posts  # a second pass sends nothing
    assert not m365.requests("DELETE")
    inbox = m365.mail.mailbox(BOARD_MAILBOX).in_folder("inbox")
    assert len(inbox) == 3  # nothing moved or deleted
    assert all(m.categories == ["o365flow processed"] for m in inbox)  # each tagged as handled
    # Later passes ask the mailbox only for what is new: one delta request, no message read again.
    before = len(m365.log)
    board.run("2026-08-24T12:00")
    reads = [r for r in m365.log[before:] if "/messages" in r.path or "mailFolders" in r.path]
    assert len(reads) == 1 and "delta" in reads[0].path, reads


def test_check_online_proves_the_mailbox(graph_board: Board, m365):
    before = len(m365.log)
    result = graph_board.cli("check", "--online")
    assert "Inbox of safeguarding.board@board.example.org: " in result.output, result.output
    assert not [r for r in m365.log[before:] if "/messages" in r.path]  # no message downloaded
    m365.mail.allowed = {"someone.else@board.example.org"}
    result = graph_board.cli("check", "--online")
    assert result.exit_code == 1 and "mailbox: Microsoft Graph denied access" in result.output
    assert "Mail.ReadWrite" in result.output
