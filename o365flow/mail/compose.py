"""Build the RFC 5322 message for an ``OutgoingMail``; every mailer sends exactly these bytes.

Values that reach a header are checked, never cleaned: a CR, LF or other control character in
a subject, address, display name, id or file name raises ``MailError``. Folding such a value
silently would let text from a document or a reply add a header (``Bcc:``) of its own.
"""

from __future__ import annotations

import email.policy
import email.utils
import re
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage

from o365flow.errors import MailError, quoted
from o365flow.mail.base import OutgoingMail

# C0 controls, DEL, C1 controls and the Unicode line and paragraph separators: any of them in a
# header value could end the header or confuse a client's display of it.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# A plain ASCII addr-spec: what agencies' and the board's mailboxes use. Quoted local parts and
# non-ASCII addresses are refused rather than half-supported.
ADDRESS_RE = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_MSGID = re.compile(r"^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\[\]-]+>$")
_MIME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$")
_PARAM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$")

#: The policy every mailer serialises with: CRLF line ends; headers folded only past RFC 5322's
#: hard limit of 998 characters. (Folding at 78 just before an encoded word, as the standard
#: library does, makes a reader see two spaces where the subject had one.)
WIRE_POLICY = email.policy.SMTP.clone(max_line_length=998)


def check_header_value(value: str, what: str) -> str:
    """``value`` unchanged, or ``MailError`` if it holds a control character (CR, LF, ...)."""
    if not isinstance(value, str):
        raise MailError(f"{what} must be text, not {type(value).__name__}")
    if _CONTROL.search(value):
        raise MailError(
            f"{what} contains a line break or control character",
            hint="header values must be one line; the message was not sent",
        )
    return value


def parse_address(value: str, what: str) -> Address:
    """``"addr@domain"`` or ``"Display Name <addr@domain>"`` as an ``Address``; ``MailError``
    if it is not exactly one plain address."""
    check_header_value(value, what)
    if value.count("@") != 1:
        raise MailError(f"{what} must be exactly one address like name@example.org")
    name, addr = email.utils.parseaddr(value)
    if not ADDRESS_RE.match(addr):
        raise MailError(f"{what} is not a valid address like name@example.org")
    # parseaddr is lenient: insist the value is either the bare address or "name <address>".
    stripped = value.strip()
    if stripped != addr and not stripped.endswith(f"<{addr}>"):
        raise MailError(f"{what} must be 'address' or 'Name <address>'")
    username, domain = addr.split("@")
    return Address(display_name=name, username=username, domain=domain)


def check_message_id(value: str, what: str = "Message-ID") -> str:
    """A ``<local@domain>`` message id, unchanged, or ``MailError``."""
    check_header_value(value, what)
    if not _MSGID.match(value):
        raise MailError(f"{what} {quoted(value, 80)} is not of the form <id@domain>")
    return value


def _cte(text: str) -> str:
    # 7-bit bodies pass every server; 8bit would need the server's 8BITMIME.
    if text.isascii() and all(len(line) <= 900 for line in text.splitlines()):
        return "7bit"
    return "quoted-printable"


def build_message(mail: OutgoingMail, *, date: datetime) -> EmailMessage:
    """RFC 5322 message: From/To/Cc/Reply-To/Subject/Date/Message-ID/In-Reply-To/References,
    ``Auto-Submitted: auto-generated`` (RFC 3834, so auto-responders stay quiet) and
    ``X-O365flow: 1``; a UTF-8 text/plain body with an optional text/html alternative; then the
    attachments, ``(file name, "type/subtype[; name=value]...", bytes)``. A calendar invitation
    (``text/calendar; method=REQUEST``, see ``ics.CALENDAR_MIME``) becomes a third alternative
    of the body and an ``application/ics`` attachment. ``date`` must be timezone-aware.
    Raises ``MailError`` for any bad value."""
    if date.tzinfo is None or date.utcoffset() is None:
        raise MailError("the Date of a message must be timezone-aware")
    sender = parse_address(mail.sender, "sender")
    if not mail.to:
        raise MailError(f"message {mail.message_id[:80]!r} has no recipient")
    to = [parse_address(a, "recipient") for a in mail.to]
    cc = [parse_address(a, "Cc recipient") for a in mail.cc]
    subject = check_header_value(mail.subject, "subject")
    message_id = check_message_id(mail.message_id)

    msg = EmailMessage(policy=email.policy.default)
    msg["From"] = sender
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    if mail.reply_to is not None:
        msg["Reply-To"] = parse_address(mail.reply_to, "Reply-To")
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(date)
    msg["Message-ID"] = message_id
    if mail.in_reply_to is not None:
        msg["In-Reply-To"] = check_message_id(mail.in_reply_to, "In-Reply-To")
    if mail.references:
        msg["References"] = " ".join(check_message_id(r, "References") for r in mail.references)
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-O365flow"] = "1"

    if not isinstance(mail.text, str):
        raise MailError("the text body of a message must be text")
    msg.set_content(mail.text, subtype="plain", charset="utf-8", cte=_cte(mail.text))
    if mail.html is not None:
        if not isinstance(mail.html, str):
            raise MailError("the HTML body of a message must be text")
        msg.add_alternative(mail.html, subtype="html", charset="utf-8", cte=_cte(mail.html))
    checked = [_attachment(filename, mime_type, data) for filename, mime_type, data in mail.attachments]
    for _filename, maintype, subtype, params, data in checked:
        if (maintype, subtype) == ("text", "calendar") and "method" in params:
            # An invitation as calendar clients expect it (the shape Outlook and Google send):
            # a text/calendar alternative of the body, which makes it a meeting request. It
            # must join the alternatives before any attachment turns the message multipart/mixed.
            # (Serialised as method="REQUEST"; charset="UTF-8": quoted values mean the same in MIME.)
            msg.add_alternative(data, maintype="text", subtype="calendar", params={**params, "charset": "UTF-8"})
    for filename, maintype, subtype, params, data in checked:
        if (maintype, subtype) == ("text", "calendar") and "method" in params:
            # ... and the same bytes as an .ics file for clients that only offer attachments.
            msg.add_attachment(data, maintype="application", subtype="ics", filename=filename)
        else:
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename, params=params)
    return msg


def _attachment(filename: str, mime_type: str, data: bytes) -> tuple[str, str, str, dict[str, str], bytes]:
    check_header_value(filename, "attachment file name")
    if not filename.strip() or "/" in filename or "\\" in filename:
        raise MailError(f"attachment file name {quoted(filename, 80)} must be a plain file name")
    maintype, subtype, params = _mime_type(mime_type, filename)
    if not isinstance(data, bytes):
        raise MailError(f"attachment {quoted(filename)} must be bytes")
    return filename, maintype, subtype, params, data


def _mime_type(value: str, filename: str) -> tuple[str, str, dict[str, str]]:
    """``"type/subtype; name=value; ..."`` split and checked; ``MailError`` when malformed."""
    head, *rest = (value or "").split(";")
    if not _MIME.match(head.strip()):
        raise MailError(f"attachment {quoted(filename)} has an invalid MIME type {quoted(value or '', 40)}")
    params: dict[str, str] = {}
    for item in rest:
        name, eq, param = item.strip().partition("=")
        if not (eq and _PARAM.match(name) and _PARAM.match(param)):
            raise MailError(f"attachment {quoted(filename)} has an invalid MIME parameter {quoted(item.strip(), 40)}")
        params[name.lower()] = param.upper() if name.lower() in ("method", "charset") else param
    params.pop("charset", None)  # bytes travel base64; only a calendar part declares UTF-8
    maintype, subtype = head.strip().lower().split("/")
    return maintype, subtype, params


def message_bytes(msg: EmailMessage) -> bytes:
    """The message as sent: 7-bit, CRLF line ends (what both a server and an ``.eml`` want)."""
    return msg.as_bytes(policy=WIRE_POLICY)


def bare_address(value: str) -> str:
    """The addr-spec of an address that ``parse_address`` accepts (for the SMTP envelope)."""
    return parse_address(value, "address").addr_spec
