"""Read one received message (RFC 5322 bytes) into an ``IncomingMail``.

Shared by every inbox: a Maildir file here, a message's MIME content from Microsoft Graph later.
Received mail is untrusted input: every header is read defensively, and anything that cannot
be read as a message raises ``MailError`` (the inbox turns it into a problem line).
"""

from __future__ import annotations

import email.errors
import email.policy
import email.utils
import re
from datetime import datetime, timezone
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser

from o365flow.errors import MailError
from o365flow.mail.base import ATTACHMENT_LIMIT, BODY_LIMIT, IncomingMail
from o365flow.mail.compose import ADDRESS_RE
from o365flow.mail.replytext import first_line, html_to_text, new_text

_MSGID_TOKEN = re.compile(r"<([^<>\s]+)>")
_AUTO_SUBJECTS = (
    "automatic reply:", "auto reply:", "auto-reply:", "autoreply:", "out of office:",
    "ateb awtomatig:",
)
_COMMENT = re.compile(r"\([^()]*\)")
_RESULT = re.compile(r"\b(dmarc|spf|dkim)\s*=\s*([a-z]+)")


def _header(msg: EmailMessage, name: str) -> str:
    """A header's decoded text, all occurrences joined; '' when absent.

    The default policy's structured header parsing can raise on hostile input; fall back to the
    raw value decoded by hand."""
    values: list[str] = []
    for raw_name, raw in msg.raw_items():
        if raw_name.lower() != name.lower():
            continue
        try:
            value = str(msg.policy.header_fetch_parse(raw_name, raw))
        except Exception:
            try:
                value = str(make_header(decode_header(raw)))
            except Exception:
                value = str(raw)
        values.append(value)
    return " ".join(v.replace("\r", " ").replace("\n", " ").strip() for v in values)


def _message_ids(value: str) -> tuple[str, ...]:
    """``<id>`` tokens in order, without repeats; bare ``id@domain`` words when no brackets."""
    found = [f"<{m}>" for m in _MSGID_TOKEN.findall(value)]
    if not found:
        found = [f"<{w.strip('<>,;')}>" for w in value.split() if "@" in w]
    seen: dict[str, None] = {}
    for mid in found:
        seen.setdefault(mid, None)
    return tuple(seen)


def _sender(msg: EmailMessage) -> tuple[str, str]:
    """(address, display name) from From:, or ``MailError`` when it is not one clear address.

    Two parsers must agree: the sign-off rules trust this address, so a From header crafted to
    be read one way here and another way by a mail client is refused."""
    raw_values = [raw for n, raw in msg.raw_items() if n.lower() == "from"]
    if len(raw_values) != 1:
        raise MailError("no From header" if not raw_values else "more than one From header")
    decoded = _header(msg, "From")
    try:
        header = msg.policy.header_fetch_parse("From", raw_values[0])
        addresses = list(header.addresses)
        if any(isinstance(d, email.errors.InvalidHeaderDefect) for d in header.defects):
            addresses = []  # e.g. "a@x)<b@y>": read differently by different clients
    except Exception:
        addresses = []
    if len(addresses) != 1:
        raise MailError("From header is not exactly one address")
    addr = addresses[0].addr_spec.lower()
    name, lenient_addr = email.utils.parseaddr(decoded)
    if lenient_addr.lower() != addr or not ADDRESS_RE.match(addr):
        raise MailError("From header address cannot be read unambiguously")
    return addr, (addresses[0].display_name or name or "").strip()


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except Exception:
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:  # "-0000": the time is UTC, the zone unknown (RFC 5322 3.3)
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def _auto_submitted(msg: EmailMessage, subject: str) -> bool:
    auto = _header(msg, "Auto-Submitted").split(";")[0].strip().lower()
    if auto and auto != "no":
        return True
    names = {n.lower() for n in msg.keys()}
    if "x-autoreply" in names or "x-autorespond" in names:
        return True
    if _header(msg, "Precedence").strip().lower() in ("auto_reply", "bulk", "junk"):
        return True
    if msg.get_content_type() == "multipart/report":  # delivery and read receipts
        return True
    return subject.strip().lower().startswith(_AUTO_SUBJECTS)


def _authentication_failed(msg: EmailMessage) -> bool:
    """True when any Authentication-Results header reports dmarc=fail or spf=fail."""
    for raw_name, raw in msg.raw_items():
        if raw_name.lower() != "authentication-results":
            continue
        text = str(raw).lower()
        for _ in range(3):  # comments may nest; "(spf=fail would be...)" is not a result
            text = _COMMENT.sub(" ", text)
        results = {}
        for method, result in _RESULT.findall(text):
            results.setdefault(method, set()).add(result)
        if "fail" in results.get("dmarc", ()) or "fail" in results.get("spf", ()):
            return True
    return False


def _part_text(part) -> str:
    try:
        content = part.get_content()
        if isinstance(content, str):
            return content
    except Exception:
        pass
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("utf-8", errors="replace")


def _body(msg: EmailMessage) -> str:
    """The reply text: the text/plain part, else the HTML part as text; '' when neither."""
    try:
        part = msg.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    if part is None:
        return ""
    text = _part_text(part)
    if part.get_content_type() == "text/html":
        text = html_to_text(text)
    return text


def parse_incoming(data: bytes, fallback_key: str) -> IncomingMail:
    """``data`` read as a received message. ``fallback_key`` is the key when there is no
    Message-ID. Raises ``MailError`` (naming no content) when it is not a readable message."""
    try:
        return _parse(data, fallback_key)
    except MailError:
        raise
    except Exception as exc:  # the email package has odd corners; one message never stops a pass
        raise MailError(f"cannot be read as a message ({type(exc).__name__})") from exc


def _parse(data: bytes, fallback_key: str) -> IncomingMail:
    if not data.strip():
        raise MailError("empty file")
    head = data.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    if b"\x00" in head:
        raise MailError("binary data where the headers should be")
    try:
        msg = BytesParser(policy=email.policy.default).parsebytes(data)
    except Exception as exc:
        raise MailError(f"cannot be parsed as a message ({type(exc).__name__})") from exc
    if not msg.keys():
        raise MailError("no message headers")
    sender, sender_name = _sender(msg)
    subject = _header(msg, "Subject")
    ids = _message_ids(_header(msg, "Message-ID"))
    message_id = ids[0] if ids else None
    text = new_text(_body(msg))
    return IncomingMail(
        key=message_id or fallback_key,
        message_id=message_id,
        sender=sender,
        sender_name=sender_name,
        subject=subject,
        date=_date(_header(msg, "Date")),
        in_reply_to=_message_ids(_header(msg, "In-Reply-To")),
        references=_message_ids(_header(msg, "References")),
        first_line=first_line(text),
        body_text=text[:BODY_LIMIT],
        auto_submitted=_auto_submitted(msg, subject),
        authentication_failed=_authentication_failed(msg),
        attachments=_word_attachments(msg),
    )


def _word_attachments(msg: EmailMessage) -> tuple[tuple[str, bytes], ...]:
    """Attached Word documents (name, bytes); anything else, or too large, is left out."""
    found = []
    for part in msg.walk():
        name = part.get_filename() or ""
        if part.is_multipart() or not name.lower().endswith(".docx"):
            continue
        data = part.get_payload(decode=True) or b""
        if 0 < len(data) <= ATTACHMENT_LIMIT:
            found.append((name.replace("/", "_").replace("\\", "_"), data))
    return tuple(found)
