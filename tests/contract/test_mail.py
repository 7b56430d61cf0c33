"""The mail ports over every backend that keeps what it handles: the Inbox over a Maildir, an
Exchange Online mailbox (the stand-in) and memory, the Mailer over the file outbox, Graph
sendMail and memory.
SMTP, which hands a message on and keeps nothing, has its own suite (integration/test_smtp.py)."""

from __future__ import annotations

import email
import email.policy
import itertools
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

import pytest

from o365flow.mail.base import Inbox, IncrementalInbox, Mailer, OutgoingMail

BOARD = "safeguarding.board@contoso.gov.uk"
WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=timezone.utc)


@dataclass
class InboxUnderTest:
    inbox: Inbox
    deliver: Callable[[bytes], None]
    untouched: Callable[[], bool]  # nothing was moved, flagged, marked or deleted


@dataclass
class MailerUnderTest:
    mailer: Mailer
    delivered: Callable[[], list[bytes]]  # every message as the backend holds it


@pytest.fixture(params=["maildir", "graph", "memory"])
def under_test(request, tmp_path) -> InboxUnderTest:
    if request.param == "memory":
        from o365flow.mail.memory import MemoryInbox

        memory = MemoryInbox()
        return InboxUnderTest(memory, memory.deliver, lambda: not memory.marked)
    if request.param == "maildir":
        from o365flow.mail.maildir import MaildirInbox

        (tmp_path / "new").mkdir()
        (tmp_path / "cur").mkdir()
        names = (f"17735{n:05d}.M1P1.host" for n in itertools.count())
        before = {}

        def deliver(data: bytes) -> None:
            path = tmp_path / "new" / next(names)
            path.write_bytes(data)
            before[path] = data

        def untouched() -> bool:
            return all(p.exists() and p.read_bytes() == d for p, d in before.items())

        return InboxUnderTest(MaildirInbox(tmp_path), deliver, untouched)
    from o365flow.graph import Graph
    from o365flow.mail.graph import GraphInbox

    m365 = request.getfixturevalue("m365")
    inbox = GraphInbox(Graph(request.getfixturevalue("m365_settings")), BOARD, page_size=2)

    def untouched_graph() -> bool:
        stored = m365.mail.mailbox(BOARD).in_folder("inbox")
        return all(not m.categories and not m.is_read and not m.removed for m in stored) and not [
            r for r in m365.log if r.method in ("PATCH", "DELETE", "POST") and "/users/" in r.path
        ]

    return InboxUnderTest(inbox, lambda data: m365.mail.deliver(BOARD, data), untouched_graph)


@pytest.fixture(params=["outbox", "graph", "memory"])
def sender(request, tmp_path) -> MailerUnderTest:
    if request.param == "memory":
        from o365flow.mail.memory import MemoryMailer

        mailer = MemoryMailer(clock=lambda: WHEN)
        return MailerUnderTest(mailer, lambda: list(mailer.sent))
    if request.param == "outbox":
        from o365flow.mail.outbox import OutboxMailer

        folder = tmp_path / "outbox"
        return MailerUnderTest(
            OutboxMailer(folder, clock=lambda: WHEN), lambda: [p.read_bytes() for p in sorted(folder.glob("*.eml"))]
        )
    from o365flow.graph import Graph
    from o365flow.mail.graph import GraphMailer

    m365 = request.getfixturevalue("m365")
    mailer = GraphMailer(Graph(request.getfixturevalue("m365_settings")), BOARD, clock=lambda: WHEN)
    return MailerUnderTest(mailer, lambda: list(m365.mail.mailbox(BOARD).sent_mime))


def _reply(n: int, extra: str = "") -> bytes:
    return (
        f"From: Agency <signoff@agency.example.org>\r\nTo: {BOARD}\r\n"
        f"Subject: RE: [DRSB-CPR-2026-001] sign-off\r\nDate: Mon, 16 Mar 2026 10:00:0{n} +0000\r\n"
        f"Message-ID: <r{n}@agency.example.org>\r\nIn-Reply-To: <req@contoso.gov.uk>\r\n{extra}\r\n"
        f"Approved {n}\r\n"
    ).encode()


def test_inbox_implements_the_port(under_test):
    assert isinstance(under_test.inbox, Inbox)


def test_inbox_reads_every_message_once_in_arrival_order(under_test):
    for n in range(1, 6):
        under_test.deliver(_reply(n))
    messages, problems = under_test.inbox.fetch()
    assert [m.key for m in messages] == [f"<r{n}@agency.example.org>" for n in range(1, 6)]
    assert [m.first_line for m in messages] == [f"Approved {n}" for n in range(1, 6)]
    assert problems == []
    assert under_test.inbox.fetch()[0] == messages  # reading again gives the same


def test_inbox_reports_an_unreadable_message_and_reads_the_rest(under_test):
    under_test.deliver(b"Subject: no sender\r\n\r\nhello\r\n")
    under_test.deliver(_reply(2))
    messages, problems = under_test.inbox.fetch()
    assert [m.key for m in messages] == ["<r2@agency.example.org>"]
    assert len(problems) == 1 and "no From header" in problems[0]


def test_reading_changes_nothing_in_the_mailbox(under_test):
    under_test.deliver(_reply(1))
    under_test.deliver(_reply(2, "Auto-Submitted: auto-replied\r\n"))
    under_test.inbox.fetch()
    assert under_test.untouched()


def test_probe_opens_the_mailbox(under_test):
    under_test.deliver(_reply(1))
    line = under_test.inbox.probe()
    assert line and "\n" not in line
    assert under_test.untouched()


def test_marking_processed_is_shown_or_declined_and_never_loses_the_message(under_test):
    """A server mailbox marks the message (and ``fetch`` leaves it out from then on); a Maildir
    declines (False) and is left exactly as it was. Either way an unknown key is False."""
    under_test.deliver(_reply(1))
    under_test.deliver(_reply(2))
    (first, second), _ = under_test.inbox.fetch()
    marked = under_test.inbox.mark_processed(first.key)
    assert under_test.inbox.mark_processed("<never@seen.example.org>") is False
    keys = [m.key for m in under_test.inbox.fetch()[0]]
    if marked:
        assert keys == [second.key] and not under_test.untouched()
    else:
        assert keys == [first.key, second.key] and under_test.untouched()


def test_an_incremental_inbox_reads_only_what_arrived_since_its_cursor(under_test):
    if not isinstance(under_test.inbox, IncrementalInbox):
        pytest.skip("reads everything each pass (a Maildir)")
    under_test.deliver(_reply(1))
    first = under_test.inbox.changes(None)
    assert [m.key for m in first.messages] == ["<r1@agency.example.org>"] and first.cursor
    assert under_test.inbox.changes(first.cursor).messages == []
    under_test.deliver(_reply(2))
    second = under_test.inbox.changes(first.cursor)
    assert [m.key for m in second.messages] == ["<r2@agency.example.org>"]


def _outgoing(message_id: str, **kw) -> OutgoingMail:
    return OutgoingMail(
        message_id=message_id,
        sender=BOARD,
        to=("signoff@agency.example.org",),
        subject="[DRSB-CPR-2026-001] Action plan sign-off requested",
        text="Please sign off.\n",
        **kw,
    )


def test_mailer_implements_the_port(sender):
    assert isinstance(sender.mailer, Mailer)


def test_mailer_delivers_our_ids_and_threading_once_per_message_id(sender):
    sender.mailer.send(_outgoing("<req@contoso.gov.uk>"))
    reminder = _outgoing("<rem@contoso.gov.uk>", in_reply_to="<req@contoso.gov.uk>", references=("<req@contoso.gov.uk>",))
    sender.mailer.send(reminder)
    sender.mailer.send(reminder)  # a retry after a crash
    delivered = sender.delivered()
    assert len(delivered) == 2  # the retry was not sent
    got = {m["Message-ID"]: m for m in (email.message_from_bytes(b, policy=email.policy.default) for b in delivered)}
    assert sorted(got) == ["<rem@contoso.gov.uk>", "<req@contoso.gov.uk>"]
    answer = got["<rem@contoso.gov.uk>"]
    assert answer["In-Reply-To"] == "<req@contoso.gov.uk>" and answer["References"] == "<req@contoso.gov.uk>"
    assert all(m["Date"].datetime == WHEN for m in got.values())
