"""Exchange Online mail through Microsoft Graph, against the Microsoft 365 stand-in over HTTPS:
MIME sendMail as the board mailbox (ids and threading kept, once per Message-ID, throttling
retried, refusals named with their fix), the Inbox by delta query across pages, replies parsed as
a Maildir's are, messages marked processed and never moved, the [mail] config and its wiring."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from o365flow.configuration.loader import load_config
from o365flow.errors import BackendError, MailError
from o365flow.graph import Graph
from o365flow.mail.base import IncrementalInbox, OutgoingMail
from o365flow.mail.graph import GraphInbox, GraphMailer
from o365flow.mail.maildir import MaildirInbox
from o365flow.worker.services import make_inbox, make_mailer
from tests.m365 import csdl

pytest_plugins = ["tests.m365.fixtures"]  # fixtures m365, m365_settings

BOARD = "safeguarding.board@contoso.gov.uk"
REQUEST_ID = "<signoff.DRSB-CPR-2026-001.POLICE@contoso.gov.uk>"
WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=timezone.utc)


def _mail(message_id: str = REQUEST_ID, **changes) -> OutgoingMail:
    base = OutgoingMail(
        message_id=message_id,
        sender=f"Dyffryn Safeguarding Board <{BOARD}>",
        to=("public.protection@police.example.org",),
        subject="[DRSB-CPR-2026-001] Action plan sign-off requested",
        text="Please sign off the action plan in the case folder.\n",
    )
    return dataclasses.replace(base, **changes)


def _reply(n: int, *, extra: str = "", subject: str | None = None, body: str = "Approved.\r\n") -> bytes:
    subject = subject or f"RE: [DRSB-CPR-2026-00{n}] Action plan sign-off requested"
    return (
        f"From: Public Protection <public.protection@police.example.org>\r\n"
        f"To: {BOARD}\r\n"
        f"Subject: {subject}\r\n"
        f"Date: Mon, 16 Mar 2026 10:0{n % 10}:00 +0000\r\n"
        f"Message-ID: <reply-{n}@police.example.org>\r\n"
        f"In-Reply-To: {REQUEST_ID}\r\n"
        f"References: {REQUEST_ID}\r\n"
        f"{extra}"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"{body}\r\n> Please sign off the action plan.\r\n"
    ).encode()


@pytest.fixture
def graph(m365_settings):
    return Graph(m365_settings)


@pytest.fixture
def mailer(graph):
    return GraphMailer(graph, BOARD)


@pytest.fixture
def inbox(graph):
    return GraphInbox(graph, BOARD, page_size=2)


def _sent(m365) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(raw, policy=email.policy.default) for raw in m365.mail.mailbox(BOARD).sent_mime
    ]


# -- sending ---------------------------------------------------------------------------------------
def test_send_posts_our_mime_as_the_board_mailbox(m365, mailer):
    mailer.send(_mail())
    posts = m365.requests("POST", "/sendMail")
    assert [(r.path, r.status) for r in posts] == [(f"/v1.0/users/{BOARD}/sendMail", 202)]
    (sent,) = _sent(m365)
    assert sent["Message-ID"] == REQUEST_ID
    assert sent["From"].addresses[0].addr_spec == BOARD
    assert sent["Subject"] == "[DRSB-CPR-2026-001] Action plan sign-off requested"
    stored = m365.mail.mailbox(BOARD).in_folder("sentitems")
    assert [m.internet_message_id for m in stored] == [REQUEST_ID]


def test_a_reminder_answers_the_request_in_one_thread(m365, mailer):
    mailer.send(_mail())
    reminder_id = "<reminder.DRSB-CPR-2026-001.POLICE.2026-04-10@contoso.gov.uk>"
    mailer.send(_mail(reminder_id, in_reply_to=REQUEST_ID, references=(REQUEST_ID,), subject="Re: reminder"))
    request, reminder = _sent(m365)
    assert reminder["Message-ID"] == reminder_id
    assert reminder["In-Reply-To"] == request["Message-ID"] == REQUEST_ID
    assert str(reminder["References"]).split() == [REQUEST_ID]


def test_a_message_already_in_sent_items_is_not_sent_again(m365, graph, mailer):
    mailer.send(_mail())
    GraphMailer(graph, BOARD).send(_mail())  # a rerun after a crash, same Message-ID
    assert len(m365.requests("POST", "/sendMail")) == 1
    assert len(m365.requests("GET", "/mailFolders/sentitems/messages")) == 2
    assert len(_sent(m365)) == 1


def test_a_throttled_send_is_retried_after_retry_after(m365, mailer):
    m365.fail_next(429, retry_after=1, count=1, path_contains="/sendMail", method="POST")
    mailer.send(_mail())
    assert [r.status for r in m365.requests("POST", "/sendMail")] == [429, 202]
    assert len(_sent(m365)) == 1


def test_a_send_that_times_out_is_not_repeated_blindly(m365, m365_settings):
    # The server may have accepted it before the answer was lost: no retry now; the next pass
    # looks in Sent Items first, so the message goes once either way.
    mailer = GraphMailer(Graph(dataclasses.replace(m365_settings, timeout_seconds=0.5)), BOARD)
    m365.fail_next(kind="timeout", sleep=1.5, path_contains="/sendMail", method="POST")
    with pytest.raises(BackendError, match="unreachable"):
        mailer.send(_mail())
    assert len(m365.requests("POST", "/sendMail")) == 1
    mailer.send(_mail())  # the next pass
    assert len(_sent(m365)) == 1


def test_throttling_past_the_budget_is_a_backend_error_and_nothing_is_sent(m365, m365_settings):
    mailer = GraphMailer(Graph(dataclasses.replace(m365_settings, retry_budget_seconds=1)), BOARD)
    m365.fail_next(503, retry_after=5, count=3, path_contains="/sendMail")
    with pytest.raises(BackendError, match="throttling.*request-id"):
        mailer.send(_mail())
    assert _sent(m365) == []


def test_a_mailbox_outside_the_access_policy_names_the_fix(m365, mailer):
    m365.mail.allowed = {"someone.else@contoso.gov.uk"}
    with pytest.raises(BackendError) as caught:
        mailer.send(_mail())
    assert "ErrorAccessDenied" in str(caught.value) and "application access policy" in caught.value.hint
    assert not m365.requests("POST", "/sendMail")


def test_an_unknown_mailbox_is_named(m365, graph):
    m365.mail.any_user = False
    with pytest.raises(BackendError, match=f"mailbox {BOARD} not found.*ErrorInvalidUser"):
        GraphMailer(graph, BOARD).send(_mail())


def test_sending_from_another_address_is_refused_with_the_fix(m365, mailer):
    with pytest.raises(BackendError, match="ErrorSendAsDenied") as caught:
        mailer.send(_mail(sender="other.team@contoso.gov.uk"))
    assert "mail.from" in caught.value.hint


def test_a_message_graph_refuses_is_a_mail_error(m365, mailer):
    m365.fail_next(400, path_contains="/sendMail", method="POST")
    with pytest.raises(MailError, match="HTTP 400"):
        mailer.send(_mail())


def test_header_injection_is_refused_before_any_request(m365, mailer):
    with pytest.raises(MailError, match="line break"):
        mailer.send(_mail(subject="Sign-off\r\nBcc: everyone@example.org"))
    assert not [r for r in m365.log if "/users/" in r.path]


# -- reading ---------------------------------------------------------------------------------------
def test_the_inbox_is_read_by_delta_across_pages(m365, inbox):
    assert isinstance(inbox, IncrementalInbox)
    for n in range(1, 6):
        m365.mail.deliver(BOARD, _reply(n))
    first = inbox.changes(None)
    assert [m.key for m in first.messages] == [f"<reply-{n}@police.example.org>" for n in range(1, 6)]
    assert first.problems == []
    pages = m365.requests("GET", "/messages/delta")
    assert len(pages) == 3 and sum("skiptoken" in r.query for r in pages) == 2
    assert first.cursor and "deltatoken" in first.cursor
    assert len(m365.requests("GET", "/$value")) == 5

    m365.mail.deliver(BOARD, _reply(6))
    second = inbox.changes(first.cursor)
    assert [m.key for m in second.messages] == ["<reply-6@police.example.org>"]
    assert inbox.changes(second.cursor).messages == []


def test_replies_are_parsed_exactly_as_maildir_ones(m365, inbox, tmp_path):
    samples = [
        _reply(1),
        _reply(2, extra="Authentication-Results: mx.contoso.gov.uk; spf=pass; dmarc=fail action=none\r\n"),
        _reply(3, extra="Auto-Submitted: auto-replied\r\n", subject="Automatic reply: sign-off", body="I am out."),
    ]
    (tmp_path / "new").mkdir()
    for n, data in enumerate(samples, start=1):
        m365.mail.deliver(BOARD, data)
        (tmp_path / "new" / f"{n}.eml").write_bytes(data)
    from_graph, _ = inbox.fetch()
    from_maildir, _ = MaildirInbox(tmp_path).fetch()
    assert from_graph == from_maildir
    approved, dmarc_failed, out_of_office = from_graph
    assert approved.first_line == "Approved." and not approved.authentication_failed and not approved.auto_submitted
    assert dmarc_failed.authentication_failed and not dmarc_failed.auto_submitted
    assert out_of_office.auto_submitted and not out_of_office.authentication_failed
    assert approved.in_reply_to == (REQUEST_ID,)


def test_processed_messages_are_marked_never_moved(m365, inbox):
    kept = m365.mail.deliver(BOARD, _reply(1))
    m365.mail.deliver(BOARD, _reply(2))
    first = inbox.changes(None)
    kept.categories = ["Red category"]  # a person's own category, given after the worker read it
    assert inbox.mark_processed("<reply-1@police.example.org>") is True
    assert inbox.mark_processed("<reply-1@police.example.org>") is True  # again: nothing to change
    assert len(m365.requests("PATCH")) == 1
    stored = {m.internet_message_id: m for m in m365.mail.mailbox(BOARD).in_folder("inbox")}
    assert stored["<reply-1@police.example.org>"].categories == ["Red category", "o365flow processed"]
    assert stored["<reply-1@police.example.org>"].is_read is False
    assert len(stored) == 2 and not m365.requests("DELETE") and not m365.requests("POST", "/move")
    # The change shows up in the next delta, but a processed message is not read again.
    assert inbox.changes(first.cursor).messages == []
    assert [m.key for m in inbox.fetch()[0]] == ["<reply-2@police.example.org>"]


def test_marking_by_message_id_from_a_fresh_inbox_and_read_flag(m365, graph):
    m365.mail.deliver(BOARD, _reply(1))
    fresh = GraphInbox(graph, BOARD, mark_read=True, category="Done by o365flow")
    assert fresh.mark_processed("<reply-1@police.example.org>") is True
    (message,) = m365.mail.mailbox(BOARD).in_folder("inbox")
    assert message.categories == ["Done by o365flow"] and message.is_read is True
    assert fresh.mark_processed("<never-received@police.example.org>") is False


def test_a_message_moved_out_of_the_inbox_is_not_returned(m365, inbox):
    gone = m365.mail.deliver(BOARD, _reply(1))
    first = inbox.changes(None)
    m365.mail.deliver(BOARD, _reply(2))
    m365.mail.move_out(BOARD, gone.id)
    assert [m.key for m in inbox.changes(first.cursor).messages] == ["<reply-2@police.example.org>"]
    assert len(m365.requests("GET", f"/messages/{gone.id}/$value")) == 1  # read once, before it left


def test_an_unreadable_message_is_one_problem_and_the_rest_are_read(m365, inbox):
    m365.mail.deliver(BOARD, b"Subject: no sender at all\r\n\r\nhello\r\n")
    m365.mail.deliver(BOARD, _reply(2))
    result = inbox.changes(None)
    assert [m.key for m in result.messages] == ["<reply-2@police.example.org>"]
    (problem,) = result.problems
    assert problem.startswith(f"mailbox {BOARD}: message received ") and "no From header" in problem


def test_an_expired_cursor_reads_the_inbox_again(m365, inbox):
    m365.mail.deliver(BOARD, _reply(1))
    first = inbox.changes(None)
    m365.mail.expire_delta_tokens(BOARD)
    again = inbox.changes(first.cursor)
    assert [m.key for m in again.messages] == ["<reply-1@police.example.org>"]
    assert 410 in [r.status for r in m365.requests("GET", "/messages/delta")]


def test_messages_received_before_read_since_are_never_read(m365, graph):
    m365.mail.deliver(BOARD, _reply(1), received=datetime(2026, 2, 27, 23, 59, tzinfo=timezone.utc))
    for n in (2, 3, 4):
        m365.mail.deliver(BOARD, _reply(n), received=datetime(2026, 3, 1, n, tzinfo=timezone.utc))
    inbox = GraphInbox(graph, BOARD, page_size=2, received_since=datetime(2026, 3, 1, tzinfo=timezone.utc))
    first = inbox.changes(None)
    assert [m.key for m in first.messages] == [f"<reply-{n}@police.example.org>" for n in (2, 3, 4)]
    m365.mail.deliver(BOARD, _reply(5), received=datetime(2026, 1, 5, tzinfo=timezone.utc))  # an old import
    m365.mail.deliver(BOARD, _reply(6), received=datetime(2026, 3, 2, tzinfo=timezone.utc))
    assert [m.key for m in inbox.changes(first.cursor).messages] == ["<reply-6@police.example.org>"]
    assert "receivedDateTime%20ge%202026-03-01T00%3A00%3A00Z" in m365.requests("GET", "/messages/delta")[0].query


def test_a_throttled_delta_page_is_retried(m365, inbox):
    for n in range(1, 4):
        m365.mail.deliver(BOARD, _reply(n))
    m365.fail_next(429, retry_after=0, count=2, path_contains="skiptoken")
    assert len(inbox.changes(None).messages) == 3


def test_probe_opens_the_inbox_without_reading_a_message(m365, inbox):
    m365.mail.deliver(BOARD, _reply(1))
    assert inbox.probe() == f"Inbox of {BOARD}: 1 message(s)"
    assert not m365.requests("GET", "/$value")
    m365.mail.allowed = set()
    with pytest.raises(BackendError, match="ErrorAccessDenied"):
        inbox.probe()


def test_mail_responses_match_the_graph_schema(m365, mailer, inbox):
    inbox.probe()
    mailer.send(_mail())
    for n in range(1, 4):
        m365.mail.deliver(BOARD, _reply(n))
    gone = m365.mail.deliver(BOARD, _reply(4))
    first = inbox.changes(None)
    inbox.mark_processed("<reply-1@police.example.org>")
    GraphInbox(inbox.graph, BOARD).mark_processed("<reply-2@police.example.org>")
    m365.mail.move_out(BOARD, gone.id)
    inbox.changes(first.cursor)
    problems, checked = [], 0
    for method, path, body in m365.responses:
        if "/users/" not in path or "error" in body:
            continue
        for value in body.get("value", [body]):
            # "@removed" is the instance annotation Graph puts on a delta entry that left the folder.
            value = {k: v for k, v in value.items() if k != "@removed"}
            kind = "mailFolder" if re.search(r"/mailFolders/[^/]+$", path) else "message"
            problems += csdl.problems(value, f"microsoft.graph.{kind}", f"{method} {path}: ")
            checked += 1
    assert not problems, problems
    assert checked >= 9


# -- configuration and wiring ----------------------------------------------------------------------
CONFIG = """
[board]
name = "Dyffryn Safeguarding Board"
code = "DRSB"
[coordinator]
email = "coordinator@contoso.gov.uk"
[[agencies]]
code = "POLICE"
name = "Dyffryn Police"
contact = "public.protection@police.example.org"
[microsoft365]
tenant_id = "{tenant}"
client_id = "{client}"
certificate_path = "{cert}"
graph_url = "{url}"
authority_url = "{url}"
ca_bundle = "{ca}"
[mail]
"""


def _config(tmp_path: Path, m365, mail: str) -> Path:
    path = tmp_path / "o365flow.toml"
    text = CONFIG.format(
        tenant=m365.tenant_id, client=m365.client_id, cert=m365.pki.client_pem, url=m365.base_url, ca=m365.pki.ca_path
    )
    path.write_text(text + mail, encoding="utf-8")
    return path


def test_graph_backend_from_the_config_sends_and_reads(m365, tmp_path):
    config = load_config(
        _config(tmp_path, m365, f'backend = "graph"\nfrom = "{BOARD}"\nmailbox = "Safeguarding.Board@contoso.gov.uk"\n')
    )
    assert (config.mail.backend, config.mail.mailbox) == ("graph", BOARD)
    assert (config.mail.processed_category, config.mail.mark_read) == ("o365flow processed", False)
    make_mailer(config, clock=lambda: WHEN).send(_mail())
    assert len(_sent(m365)) == 1
    m365.mail.deliver(BOARD, _reply(1))
    inbox = make_inbox(config)
    assert isinstance(inbox, GraphInbox) and len(inbox.fetch()[0]) == 1


def test_mailbox_defaults_to_the_from_address_and_read_since_is_a_london_day(m365, tmp_path):
    config = load_config(
        _config(tmp_path, m365, f'backend = "graph"\nfrom = "{BOARD}"\nread_since = 2026-06-01\nmark_read = true\n')
    )
    assert config.mail.mailbox == BOARD and config.mail.mark_read is True
    inbox = make_inbox(config)
    assert inbox.received_since.isoformat() == "2026-06-01T00:00:00+01:00" and inbox.mark_read
