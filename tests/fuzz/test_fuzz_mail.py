"""Incoming mail: any headers, any body. A message is read or named as unreadable; the plan
decides on each without a traceback; a good sign-off beside them is still recorded; and no
reply text ever reaches the coordinator's notes."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from o365flow.core.model import CaseRecord, Referral, SignoffRecord
from o365flow.errors import MailError
from o365flow.mail.incoming import parse_incoming
from o365flow.plan import plan
from o365flow.plan.actions import RecordSignoff, SetAside
from o365flow.plan.facts import Board, Facts, RegisterFacts
from tests.fuzz.conftest import NOW, text

REF = "DRSB-CPR-2026-001"
REQUEST = "<request-police@drsb.example>"
POLICE = "public.protection@police.example.org"
SECRET = "Zebediah Quaxworth"  # in every body: must never reach a note

header_names = st.sampled_from(
    ["From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "Content-Type",
     "Content-Transfer-Encoding", "Auto-Submitted", "Authentication-Results", "X-Junk", "MIME-Version"])
header_values = st.one_of(
    text,
    st.sampled_from([POLICE, f"Police <{POLICE}>", REQUEST, f"RE: [{REF}] sign-off", "multipart/mixed; boundary=x",
                     "text/html; charset=bogus", "base64", "quoted-printable", "Fri, 31 Feb 2026 25:61:00 +9999",
                     "auto-replied", "dmarc=fail", "=?utf-8?b?////?=", "=?x?q?=ZZ?="]),
)
bodies = st.one_of(
    text,
    st.sampled_from(["Approved", "Not approved: see " + SECRET, "> Approved\nNo", "--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x--",
                     "<html><body>Approved " + SECRET + "</body></html>", "PHA+"]),
)


def raw_message(headers, body) -> bytes:
    lines = [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n" + body + "\n" + SECRET).encode("utf-8", "surrogatepass")


def board() -> Board:
    case = CaseRecord(REF, "CPR", 2026, 1, "form.docx", date(2026, 2, 1), Referral("CPR", "A.B.", "Dyffryn Police"))
    return Board(
        cases={REF: case},
        signoffs={(REF, "POLICE"): SignoffRecord(REF, "POLICE", date(2026, 8, 3), request_id=REQUEST)},
        message_ids={REQUEST: (REF, "POLICE")},
        done=frozenset({f"folder/{REF}"}),
    )


GOOD = (
    f"From: {POLICE}\r\nSubject: RE: [{REF}] sign-off\r\nIn-Reply-To: {REQUEST}\r\n"
    "Message-ID: <good@police.example.org>\r\nDate: Mon, 10 Aug 2026 10:00:00 +0100\r\n\r\nApproved\r\n"
).encode()


@given(st.lists(st.tuples(st.lists(st.tuples(header_names, header_values), max_size=8), bodies), max_size=5))
def test_any_mail_is_read_or_named_and_the_good_reply_still_counts(config, workflows, messages):
    read, unreadable = [parse_incoming(GOOD, "file:good")], []
    for i, (headers, body) in enumerate(messages):
        try:
            read.append(parse_incoming(raw_message(headers, body), f"file:{i}"))
        except MailError as exc:
            unreadable.append(str(exc))
            assert SECRET not in str(exc)
    row = {"Decision": "Concise review", "Decision date": date(2026, 2, 10), "Final report date": date(2026, 8, 3)}
    out = plan(config, workflows, board(), Facts(now=NOW.replace(month=8, day=11), register=RegisterFacts(True, {REF: row}),
                                                  messages=tuple(read)))
    assert any(isinstance(a, RecordSignoff) and a.agency == "POLICE" for a in out.actions)
    for action in out.actions:
        if isinstance(action, SetAside):
            assert SECRET not in action.note and "Quaxworth" not in action.summary()
    for notice in out.notices:
        assert SECRET not in notice.text
