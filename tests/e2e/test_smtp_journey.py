"""The sign-off journey with mail sent through a real SMTP server (aiosmtpd on 127.0.0.1, STARTTLS
and a login from the environment), replies read from the Maildir."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import date

import pytest

from tests.integration.test_smtp import PASSWORD, USER, Recorder, start, tls  # noqa: F401 (fixture)

CPR = "DRSB-CPR-2026-001"


@pytest.fixture
def smtp_board(board, tls, monkeypatch):  # noqa: F811
    recorder = Recorder()
    controller = start(recorder, tls_context=tls[0], require_starttls=True, authenticator=recorder.authenticate)
    monkeypatch.setenv("SSL_CERT_FILE", str(tls[2]))  # how a server is told to trust a private CA
    config = board.root / "o365flow.toml"
    text = config.read_text()
    text = re.sub(r'backend = "outbox"[^\n]*', (
        'backend = "smtp"\n'
        'smtp_host = "127.0.0.1"\n'
        f"smtp_port = {controller.port}\n"
        'smtp_security = "starttls"\n'
        'smtp_username_env = "TEST_SMTP_USER"\n'
        'smtp_password_env = "TEST_SMTP_PASSWORD"'
    ), text, count=1)
    config.write_text(text)
    monkeypatch.setenv("TEST_SMTP_USER", USER)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    yield board, recorder
    controller.stop()


def sent(recorder) -> list:
    return [email.message_from_bytes(raw, policy=email.policy.default) for _, _, raw in recorder.received]


def test_signoff_by_mail_through_an_smtp_server(smtp_board):
    board, recorder = smtp_board
    board.run("2026-03-02")
    assert any("daily summary" in str(m["Subject"]) for m in sent(recorder))
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    board.run("2026-03-11")
    board.set_case(CPR, Final_report_date=date(2026, 8, 3))
    board.run("2026-08-03")
    requests = {str(m["To"]): m for m in sent(recorder) if "sign-off requested" in str(m["Subject"])}
    assert len(requests) == 6 and recorder.logins and all(login == USER for _, login in recorder.logins)

    council = requests["safeguarding.reviews@council.example.org"]
    board.reply(council, "jo.jones@council.example.org", "Approved.", when="Tue, 04 Aug 2026 10:00:00 +0100")
    board.run("2026-08-05")
    row = next(r for r in board.rows("Sign-offs") if r["Reference"] == CPR and r["Agency"] == "DCC")
    assert row["Signed off"].date() == date(2026, 8, 4)

    board.run("2026-08-24")  # seven days before the due date
    reminders = [m for m in sent(recorder) if "Reminder" in str(m["Subject"])]
    assert len(reminders) == 5
    assert all(m["In-Reply-To"] == requests[str(m["To"])]["Message-ID"] for m in reminders)
    count = len(recorder.received)
    board.run("2026-08-24T15:00")
    assert len(recorder.received) == count  # the same day again: nothing sent twice, no second digest
    digests = [m for m in sent(recorder) if "daily summary" in str(m["Subject"])]
    assert len({str(m["Subject"]) for m in digests}) == len(digests)  # one a day
