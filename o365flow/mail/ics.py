"""iCalendar (RFC 5545) invitations to a practitioners' learning event, as Outlook accepts them.

One ``VEVENT`` with ``METHOD:REQUEST``: CRLF line ends, lines folded at 75 octets (never inside
a UTF-8 character), TEXT values escaped (``\\``, ``;``, ``,``, newlines), a ``VTIMEZONE`` for
``Europe/London`` when the times are in that zone and UTC (``Z``) times otherwise. The ``UID`` is
the caller's and must stay the same for one case's event, with ``SEQUENCE`` raised on each
change, so a calendar updates the meeting rather than adding a second one.

Like a mail header, a one-line value (summary, location, uid, a name) holding a line break or
other control character is refused (``MailError``), never cleaned: text from a register cell must
not be able to add a property (an ``ATTENDEE``) of its own. Only the description may span lines.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from o365flow.errors import MailError
from o365flow.mail.compose import check_header_value, parse_address

#: The MIME type an invitation is attached with (see ``compose.build_message``).
CALENDAR_MIME = "text/calendar; method=REQUEST; charset=UTF-8"
PRODID = "-//o365flow//Learning event invitation//EN"
_LONDON = "Europe/London"
# Europe/London since 1996: BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the
# last Sunday of October. Outlook needs the rules in the file; a TZID alone is not enough.
_VTIMEZONE_LONDON = (
    "BEGIN:VTIMEZONE",
    "TZID:Europe/London",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0000",
    "TZOFFSETTO:+0100",
    "TZNAME:BST",
    "DTSTART:19700329T010000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0000",
    "TZNAME:GMT",
    "DTSTART:19701025T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)
_UID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,200}$")
_TAB_OR_LINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")  # controls kept out of TEXT


def escape_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 3.3.11 says: ``\\`` ``;`` ``,`` and newlines."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _TAB_OR_LINE.search(value):
        raise MailError("calendar text contains a control character")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> bytes:
    """One content line as UTF-8, folded so no physical line exceeds 75 octets (RFC 5545 3.1)."""
    out, current, limit = [], b"", 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            out.append(current)
            current, limit = b" ", 75  # the leading space counts towards the 75
        current += encoded
    out.append(current)
    return b"\r\n".join(out) + b"\r\n"


def _one_line(value: str, what: str) -> str:
    check_header_value(value, what)
    if not value.strip():
        raise MailError(f"the learning event's {what} is empty")
    return value


def _param(value: str) -> str:
    """A parameter value (a display name): quoted, since it may hold ``,;:``; a double quote,
    which a parameter cannot carry, becomes a single one."""
    check_header_value(value, "calendar name")
    return '"' + value.replace('"', "'") + '"'


def _person(prop: str, address: str, extra: str = "") -> str:
    parsed = parse_address(address, prop.lower())
    cn = f";CN={_param(parsed.display_name)}" if parsed.display_name else ""
    return f"{prop}{extra}{cn}:mailto:{parsed.addr_spec}"


def _when(prop: str, moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise MailError(f"the learning event's {prop} must carry a time zone")
    if getattr(moment.tzinfo, "key", None) == _LONDON:
        return f"{prop};TZID={_LONDON}:{moment.replace(tzinfo=None):%Y%m%dT%H%M%S}"
    return f"{prop}:{moment.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"


def learning_event_invitation(
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    location: str,
    organizer: str,
    attendees: tuple[str, ...] | list[str],
    description: str = "",
    *,
    sequence: int = 0,
    dtstamp: datetime | None = None,
) -> bytes:
    """The ``.ics`` bytes of a ``METHOD:REQUEST`` invitation to one learning event.

    ``start``/``end``: aware datetimes (``Europe/London`` ones keep that zone, others go as
    UTC). ``organizer`` and each attendee: ``"addr@domain"`` or ``"Name <addr@domain>"``; each
    attendee is asked to reply (``RSVP=TRUE``). ``uid``: stable per case, e.g.
    ``event_uid("DRSB-CPR-2026-001", "board.example.org")``; ``sequence``: 0, then one more for
    each changed invitation. ``dtstamp``: when the invitation was made (default: now).
    Keep names and circumstances out of ``summary`` and ``description``: use the reference.
    Raises ``MailError`` for any bad value."""
    if not _UID.match(uid or ""):
        raise MailError(f"calendar UID '{str(uid)[:80]}' must be letters, digits and . _ @ + -")
    if not isinstance(sequence, int) or sequence < 0:
        raise MailError("calendar SEQUENCE must be a whole number, 0 or more")
    if not attendees:
        raise MailError("a learning event invitation needs at least one attendee")
    begin, finish = _when("DTSTART", start), _when("DTEND", end)
    if end <= start:
        raise MailError("the learning event must end after it starts")
    stamp = (dtstamp or datetime.now(timezone.utc)).astimezone(timezone.utc)
    uses_london = any(getattr(t.tzinfo, "key", None) == _LONDON for t in (start, end))
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
        *(_VTIMEZONE_LONDON if uses_london else ()),
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"SEQUENCE:{sequence}",
        begin,
        finish,
        f"SUMMARY:{escape_text(_one_line(summary, 'summary'))}",
        f"LOCATION:{escape_text(_one_line(location, 'location'))}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines.append(_person("ORGANIZER", organizer))
    seen: set[str] = set()
    for attendee in attendees:
        line = _person("ATTENDEE", attendee, ";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE")
        address = line.rsplit("mailto:", 1)[1].lower()
        if address not in seen:
            seen.add(address)
            lines.append(line)
    lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return b"".join(fold(line) for line in lines)


def event_uid(reference: str, domain: str) -> str:
    """The stable UID of a case's learning event, e.g. ``learning-event.DRSB-CPR-2026-001@board.example.org``."""
    uid = f"learning-event.{reference}@{domain}"
    if not _UID.match(uid):
        raise MailError(f"cannot make a calendar UID from reference '{reference[:40]}' and domain '{domain[:60]}'")
    return uid
