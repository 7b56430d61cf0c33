"""build_message: the RFC 5322 message every mailer sends."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from o365flow.errors import MailError
from o365flow.mail.base import OutgoingMail
from o365flow.mail.compose import build_message, message_bytes

WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=timezone(timedelta(hours=0)))


def _mail(**changes) -> OutgoingMail:
    base = OutgoingMail(
        message_id="<signoff.NWSB-CPR-2026-001.BCUHB@nwsb.example>",
        sender="North Wales Safeguarding Board <reviews@nwsb.example>",
        to=("signoff@bcuhb.example",),
        subject="[NWSB-CPR-2026-001] Action plan sign-off requested – Child Practice Review",
        text="Dear colleague,\n\nPlease sign off.\n",
    )
    return replace(base, **changes)


def _parse(mail: OutgoingMail) -> email.message.EmailMessage:
    data = message_bytes(build_message(mail, date=WHEN))
    return email.message_from_bytes(data, policy=email.policy.default)


def test_headers_are_set():
    mail = _mail(
        cc=("Coordinator <coordinator@nwsb.example>",),
        reply_to="reviews@nwsb.example",
        in_reply_to="<earlier@nwsb.example>",
        references=("<first@nwsb.example>", "<earlier@nwsb.example>"),
    )
    msg = _parse(mail)
    assert msg["From"].addresses[0].addr_spec == "reviews@nwsb.example"
    assert msg["From"].addresses[0].display_name == "North Wales Safeguarding Board"
    assert [a.addr_spec for a in msg["To"].addresses] == ["signoff@bcuhb.example"]
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["coordinator@nwsb.example"]
    assert msg["Reply-To"].addresses[0].addr_spec == "reviews@nwsb.example"
    assert str(msg["Subject"]) == mail.subject
    assert msg["Date"].datetime == WHEN
    assert msg["Message-ID"] == mail.message_id
    assert msg["In-Reply-To"] == "<earlier@nwsb.example>"
    assert str(msg["References"]).split() == ["<first@nwsb.example>", "<earlier@nwsb.example>"]
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["X-O365flow"] == "1"
    assert "Bcc" not in msg


def test_optional_headers_absent_when_not_given():
    msg = _parse(_mail())
    for name in ("Cc", "Reply-To", "In-Reply-To", "References"):
        assert name not in msg


def test_welsh_text_round_trips_and_wire_is_seven_bit():
    text = "Annwyl gydweithiwr,\n\nDiolch am eich ateb. Dŵr, tŷ, ŵyr a ŷd.\n"
    subject = "[NWSB-CPR-2026-001] Cais am gymeradwyo’r cynllun gweithredu – ŵ ŷ"
    mail = _mail(text=text, subject=subject, html="<p>Dŵr a tŷ</p>")
    data = message_bytes(build_message(mail, date=WHEN))
    data.decode("ascii")  # every byte 7-bit: no server needs 8BITMIME
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert str(msg["Subject"]) == subject
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == text
    assert msg.get_body(("html",)).get_content().strip() == "<p>Dŵr a tŷ</p>"
    assert msg.get_content_type() == "multipart/alternative"


def test_plain_only_message_is_single_part():
    msg = _parse(_mail())
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"


def test_attachment_is_carried():
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    msg = _parse(_mail(attachments=(("learning-event.ics", "text/calendar", ics),)))
    parts = list(msg.iter_attachments())
    assert len(parts) == 1
    assert parts[0].get_filename() == "learning-event.ics"
    assert parts[0].get_content_type() == "text/calendar"
    assert parts[0].get_payload(decode=True) == ics
    body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body == "Dear colleague,\n\nPlease sign off.\n"


INJECTION = "x\r\nBcc: evil@attacker.example"


@pytest.mark.parametrize(
    "changes",
    [
        {"subject": INJECTION},
        {"subject": "x\nBcc: evil@attacker.example"},
        {"subject": "x\rBcc: evil@attacker.example"},
        {"subject": "tab\x0bvertical"},
        {"subject": "line\u2028separator"},
        {"to": ("signoff@bcuhb.example\r\nBcc: evil@attacker.example",)},
        {"to": (f"Name{INJECTION} <signoff@bcuhb.example>",)},
        {"cc": (f"{INJECTION}",)},
        {"sender": f"Board{INJECTION} <reviews@nwsb.example>"},
        {"reply_to": f"reviews@nwsb.example{INJECTION}"},
        {"message_id": f"<a@nwsb.example>{INJECTION}"},
        {"in_reply_to": f"<a@nwsb.example>{INJECTION}"},
        {"references": (f"<a@nwsb.example>{INJECTION}",)},
        {"attachments": ((f"a.ics{INJECTION}", "text/calendar", b"x"),)},
        {"attachments": (("a.ics", f"text/calendar{INJECTION}", b"x"),)},
    ],
    ids=lambda c: next(iter(c)),
)
def test_header_injection_is_refused(changes):
    with pytest.raises(MailError):
        build_message(_mail(**changes), date=WHEN)


@pytest.mark.parametrize(
    "changes",
    [
        {"to": ()},
        {"to": ("not an address",)},
        {"to": ("a@b.example, c@d.example",)},
        {"to": ("alice@example.org)<bob@example.org>",)},
        {"sender": "reviews@nwsb"},
        {"message_id": "no-brackets@nwsb.example"},
        {"message_id": "<no-at-sign>"},
        {"attachments": (("../evil.ics", "text/calendar", b"x"),)},
        {"attachments": (("a.ics", "calendar", b"x"),)},
    ],
    ids=lambda c: f"{next(iter(c))}={next(iter(c.values()))!r}"[:40],
)
def test_invalid_values_are_refused(changes):
    with pytest.raises(MailError):
        build_message(_mail(**changes), date=WHEN)


def test_naive_date_is_refused():
    with pytest.raises(MailError):
        build_message(_mail(), date=datetime(2026, 3, 14, 9, 30))


def test_a_long_subject_reads_back_whole():
    subject = "[NWSB-CPR-2026-001] " + "Adolygiad Ymarfer Plant – " * 8
    msg = _parse(_mail(subject=subject))
    assert str(msg["Subject"]) == subject


@pytest.mark.parametrize("subject", [
    "[DRSB-MAPF-2026-001] Practitioners' learning event 20 April 2026 – Multi-agency professional forum",
    "[DRSB-CPR-2026-001] Changed: Practitioners' learning event 28 April 2026 – Child Practice Review",
    "[DRSB-CPR-2026-001] Action plan sign-off overdue by 14 days – Child Practice Review (extended)",
])
def test_a_subject_reads_back_exactly_wherever_it_would_fold(subject):
    # Folding just before an encoded word must not add a space (Outlook shows what it gets).
    assert str(_parse(_mail(subject=subject))["Subject"]) == subject
