"""The learning event invitation (.ics), read back by a strict RFC 5545 reader written here:
CRLF only, no physical line over 75 octets, folds never inside a UTF-8 character, TEXT escapes
undone exactly; and refusal of line breaks that would add a property of their own."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from o365flow.errors import MailError
from o365flow.mail.base import OutgoingMail
from o365flow.mail.compose import build_message, message_bytes
from o365flow.mail.ics import CALENDAR_MIME, event_uid, learning_event_invitation

LONDON = ZoneInfo("Europe/London")
UID = "learning-event.DRSB-CPR-2026-001@contoso.gov.uk"
STAMP = datetime(2026, 4, 1, 8, 0, tzinfo=timezone.utc)


def _ics(**changes) -> bytes:
    args = dict(
        uid=UID,
        start=datetime(2026, 6, 10, 9, 30, tzinfo=LONDON),
        end=datetime(2026, 6, 10, 12, 30, tzinfo=LONDON),
        summary="Learning event – DRSB-CPR-2026-001",
        location="Room 2, County Hall; Mold",
        organizer="Dyffryn Safeguarding Board <safeguarding.board@contoso.gov.uk>",
        attendees=("Practitioner One <p1@council.example.org>", "p2@police.example.org"),
        description="Agenda:\nWelcome, introductions; timeline\\themes",
        dtstamp=STAMP,
    )
    args.update(changes)
    return learning_event_invitation(**args)


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\":
            nxt = value[i + 1]
            assert nxt in "\\;,nN", f"bad escape \\{nxt}"
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        assert c not in ";," , f"unescaped {c!r} in TEXT value {value!r}"
        out.append(c)
        i += 1
    return "".join(out)


def _split(line: str) -> tuple[str, dict[str, str], str]:
    """NAME;P=V;P="V":VALUE -> (NAME, params, VALUE); a colon inside quotes does not end it."""
    i, quoted = 0, False
    while i < len(line) and (quoted or line[i] != ":"):
        quoted ^= line[i] == '"'
        i += 1
    head, value = line[:i], line[i + 1 :]
    name, *params = head.split(";") if '"' not in head else _params(head)
    parsed = {}
    for p in params:
        key, _, val = p.partition("=")
        parsed[key] = val[1:-1] if val.startswith('"') else val
    return name, parsed, value


def _params(head: str) -> list[str]:
    parts, current, quoted = [], "", False
    for c in head:
        if c == '"':
            quoted = not quoted
        if c == ";" and not quoted:
            parts.append(current)
            current = ""
        else:
            current += c
    return parts + [current]


def read_ics(data: bytes) -> list[tuple[str, dict[str, str], str]]:
    """Strict: CRLF line ends only, every physical line at most 75 octets and valid UTF-8."""
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"") and b"\r" not in data.replace(b"\r\n", b"")
    physical = data[:-2].split(b"\r\n")
    for raw in physical:
        assert len(raw) <= 75, f"{len(raw)} octets: {raw!r}"
        raw.decode("utf-8")  # a fold never splits a character
    logical: list[str] = []
    for raw in physical:
        text = raw.decode("utf-8")
        if text.startswith(" "):
            logical[-1] += text[1:]
        else:
            logical.append(text)
    return [_split(line) for line in logical]


def _event(data: bytes) -> dict[str, list[tuple[dict[str, str], str]]]:
    lines = read_ics(data)
    names = [n for n, _, _ in lines]
    begin = next(i for i, (n, _, v) in enumerate(lines) if n == "BEGIN" and v == "VEVENT")
    end = next(i for i, (n, _, v) in enumerate(lines) if n == "END" and v == "VEVENT")
    props: dict[str, list] = {}
    for name, params, value in lines[begin + 1 : end]:
        props.setdefault(name, []).append((params, value))
    assert names.count("BEGIN") - names.count("END") == 0
    return props


def test_calendar_is_a_request_outlook_accepts():
    lines = read_ics(_ics())
    assert lines[0][::2] == ("BEGIN", "VCALENDAR") and lines[-1][::2] == ("END", "VCALENDAR")
    top = {n: v for n, _, v in lines}
    assert top["VERSION"] == "2.0" and top["METHOD"] == "REQUEST" and top["PRODID"].startswith("-//o365flow//")
    assert [v for n, _, v in lines if n == "BEGIN"] == ["VCALENDAR", "VTIMEZONE", "DAYLIGHT", "STANDARD", "VEVENT"]
    event = _event(_ics())
    assert event["UID"] == [({}, UID)]
    assert event["DTSTAMP"] == [({}, "20260401T080000Z")]
    assert event["SEQUENCE"] == [({}, "0")]
    assert event["DTSTART"] == [({"TZID": "Europe/London"}, "20260610T093000")]  # local time, in BST
    assert event["DTEND"] == [({"TZID": "Europe/London"}, "20260610T123000")]


def test_organizer_and_attendees_with_rsvp():
    event = _event(_ics(attendees=("Practitioner One <p1@council.example.org>", "p2@police.example.org",
                                   "P1@council.example.org")))
    (organizer,) = event["ORGANIZER"]
    assert organizer == ({"CN": "Dyffryn Safeguarding Board"}, "mailto:safeguarding.board@contoso.gov.uk")
    attendees = event["ATTENDEE"]
    assert [v for _, v in attendees] == ["mailto:p1@council.example.org", "mailto:p2@police.example.org"]
    for params, _ in attendees:
        assert params["RSVP"] == "TRUE" and params["PARTSTAT"] == "NEEDS-ACTION" and params["ROLE"] == "REQ-PARTICIPANT"
    assert attendees[0][0]["CN"] == "Practitioner One" and "CN" not in attendees[1][0]


def test_text_is_escaped_and_reads_back_exactly():
    event = _event(_ics())
    assert _unescape(event["SUMMARY"][0][1]) == "Learning event – DRSB-CPR-2026-001"
    assert event["LOCATION"][0][1] == "Room 2\\, County Hall\\; Mold"
    assert _unescape(event["LOCATION"][0][1]) == "Room 2, County Hall; Mold"
    assert _unescape(event["DESCRIPTION"][0][1]) == "Agenda:\nWelcome, introductions; timeline\\themes"


def test_long_welsh_text_is_folded_at_75_octets_between_characters():
    description = "Digwyddiad dysgu ŵ ŷ – " * 20 + "\r\nLine two, with; marks\\"
    data = _ics(description=description)
    physical = data.split(b"\r\n")
    assert max(len(p) for p in physical) <= 75
    assert sum(p.startswith(b" ") for p in physical) >= 6
    ((_, value),) = _event(data)["DESCRIPTION"]
    assert _unescape(value) == description.replace("\r\n", "\n")


def test_utc_times_when_not_in_london():
    data = _ics(start=datetime(2026, 6, 10, 8, 30, tzinfo=timezone.utc),
                end=datetime(2026, 6, 10, 13, 30, tzinfo=timezone(timedelta(hours=2))))
    event = _event(data)
    assert event["DTSTART"] == [({}, "20260610T083000Z")]
    assert event["DTEND"] == [({}, "20260610T113000Z")]
    assert b"VTIMEZONE" not in data


def test_same_case_same_uid_and_sequence_moves_on():
    assert _ics() == _ics()
    assert event_uid("DRSB-CPR-2026-001", "contoso.gov.uk") == UID
    assert _event(_ics(sequence=2))["SEQUENCE"] == [({}, "2")]


@pytest.mark.parametrize(
    "field, value",
    [
        ("summary", "Learning event\r\nATTENDEE:mailto:everyone@example.org"),
        ("summary", "Learning event\nMETHOD:CANCEL"),
        ("location", "Room 2\rBEGIN:VALARM"),
        ("location", "Room\u20282"),
        ("summary", "   "),
        ("uid", "learning event\r\nX"),
        ("organizer", "Board\r\n <board@contoso.gov.uk>"),
        ("attendees", ("Evil\nATTENDEE:mailto:x@example.org <p1@council.example.org>",)),
        ("attendees", ()),
        ("start", datetime(2026, 6, 10, 9, 30)),  # naive: which 09:30?
        ("end", datetime(2026, 6, 10, 9, 0, tzinfo=LONDON)),  # before the start
        ("description", "fine\x07bell"),
        ("sequence", -1),
    ],
)
def test_values_that_would_add_a_property_are_refused(field, value):
    with pytest.raises(MailError):
        _ics(**{field: value})


def test_a_line_break_in_the_description_stays_inside_it():
    data = _ics(description="Notes\r\nATTENDEE;RSVP=TRUE:mailto:everyone@example.org\r\nEND:VEVENT")
    event = _event(data)
    assert [v for _, v in event["ATTENDEE"]] == ["mailto:p1@council.example.org", "mailto:p2@police.example.org"]
    assert _unescape(event["DESCRIPTION"][0][1]).splitlines()[1] == "ATTENDEE;RSVP=TRUE:mailto:everyone@example.org"


def test_a_display_name_with_quotes_and_separators_is_one_parameter():
    event = _event(_ics(attendees=('"Smith; Jones, A" <p1@council.example.org>',)))
    ((params, value),) = event["ATTENDEE"]
    assert params["CN"] == "Smith; Jones, A" and value == "mailto:p1@council.example.org"


def test_the_invitation_rides_in_the_message_as_outlook_expects():
    ics = _ics()
    mail = OutgoingMail(
        message_id="<learning-event.DRSB-CPR-2026-001.1@contoso.gov.uk>",
        sender="safeguarding.board@contoso.gov.uk",
        to=("p1@council.example.org",),
        subject="Learning event – DRSB-CPR-2026-001",
        text="You are invited to the learning event.\n",
        html="<p>You are invited to the learning event.</p>",
        attachments=(("learning-event.ics", CALENDAR_MIME, ics),),
    )
    raw = message_bytes(build_message(mail, date=STAMP))
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = msg.get_payload()
    assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/html", "text/calendar"]
    calendar = alternative.get_payload()[2]
    assert calendar.get_param("method") == "REQUEST" and calendar.get_content_charset() == "utf-8"
    assert calendar.get_content_disposition() is None  # a part of the body, not a file
    assert calendar.get_payload(decode=True) == ics
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "learning-event.ics" and attachment.get_payload(decode=True) == ics


def test_a_calendar_without_html_and_beside_another_attachment():
    mail = OutgoingMail(
        message_id="<le.2@contoso.gov.uk>",
        sender="safeguarding.board@contoso.gov.uk",
        to=("p1@council.example.org",),
        subject="Learning event – DRSB-CPR-2026-001",
        text="Invitation attached.\n",
        attachments=(("agenda.pdf", "application/pdf", b"%PDF-1.4"), ("invite.ics", CALENDAR_MIME, _ics())),
    )
    msg = email.message_from_bytes(message_bytes(build_message(mail, date=STAMP)), policy=email.policy.default)
    alternative, *files = msg.get_payload()
    assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/calendar"]
    assert [f.get_filename() for f in files] == ["agenda.pdf", "invite.ics"]


@pytest.mark.parametrize("mime", ["text/calendar; method=REQUEST\r\nBcc: x@example.org", "text/calendar; method",
                                  "text/calendar; method=\"REQUEST\""])
def test_a_malformed_attachment_type_is_refused(mime):
    mail = OutgoingMail("<le.3@contoso.gov.uk>", "safeguarding.board@contoso.gov.uk", ("p1@council.example.org",),
                        "Learning event", "x", attachments=(("invite.ics", mime, b"BEGIN:VCALENDAR\r\n"),))
    with pytest.raises(MailError):
        build_message(mail, date=STAMP)
