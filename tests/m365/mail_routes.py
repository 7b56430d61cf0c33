"""The stand-in's Exchange Online mailboxes: one per user, each with an Inbox and Sent Items.

Endpoints (Graph v1.0, paths matched case-insensitively as Graph does):
``POST users/{u}/sendMail`` (a JSON message, or a base64 MIME message sent as text/plain; stored
in Sent Items with the raw MIME recorded), ``GET users/{u}/mailFolders/{f}/messages/delta``
(real ``@odata.nextLink``/``@odata.deltaLink`` paging over a change sequence),
``GET users/{u}/[mailFolders/{f}/]messages`` (``$filter=internetMessageId eq '...'``),
``GET|PATCH users/{u}/messages/{id}`` (PATCH: ``categories``, ``isRead``),
``GET users/{u}/mailFolders/{f}`` (the folder's counts) and
``GET users/{u}/messages/{id}/$value`` (the MIME). Test controls: ``mailbox``, ``deliver``,
``allowed`` (an application access policy: the only mailboxes the app may open).
"""

from __future__ import annotations

import base64
import binascii
import email.policy
import email.utils
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.parser import BytesParser

from werkzeug.wrappers import Request, Response

from .store import GraphFault

FOLDERS = ("inbox", "sentitems")
_SELECTABLE = ("id", "internetMessageId", "subject", "from", "receivedDateTime", "categories", "isRead")
_RECEIVED = re.compile(r"^\s*receivedDateTime\s+ge\s+(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\s*$")
_FILTER = re.compile(r"^\s*internetMessageId\s+eq\s+'((?:[^']|'')*)'\s*$", re.IGNORECASE)


def _token(*numbers: int) -> str:
    return base64.urlsafe_b64encode(".".join(map(str, numbers)).encode()).decode().rstrip("=")


def _numbers(token: str) -> list[int]:
    try:
        return [int(n) for n in base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().split(".")]
    except (ValueError, binascii.Error):
        raise GraphFault(400, "ErrorInvalidSyncStateData", "The sync state data is corrupt or invalid.") from None


@dataclass
class Message:
    id: str
    folder: str
    internet_message_id: str
    subject: str
    sender: tuple[str, str]  # (name, address)
    received: datetime
    mime: bytes
    categories: list[str] = field(default_factory=list)
    is_read: bool = False
    seq: int = 0  # the mailbox change sequence of its last change
    removed: bool = False

    def json(self, select: tuple[str, ...] = _SELECTABLE) -> dict:
        full = {
            "id": self.id,
            "internetMessageId": self.internet_message_id,
            "subject": self.subject,
            "from": {"emailAddress": {"name": self.sender[0], "address": self.sender[1]}},
            "receivedDateTime": self.received.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "categories": list(self.categories),
            "isRead": self.is_read,
        }
        return {k: v for k, v in full.items() if k in select or k == "id"}


@dataclass
class Mailbox:
    address: str
    messages: dict[str, Message] = field(default_factory=dict)
    seq: int = 0
    min_token: int = 0  # delta tokens older than this answer 410 (sync state expired)
    sent_mime: list[bytes] = field(default_factory=list)  # every MIME message sent, as received

    def add(self, folder: str, mime: bytes, received: datetime) -> Message:
        try:
            parsed = BytesParser(policy=email.policy.default).parsebytes(mime)
            subject = str(parsed.get("Subject", ""))
            name, address = email.utils.parseaddr(str(parsed.get("From", "")))
            message_id = str(parsed.get("Message-ID", "")).strip()
        except Exception:  # the stand-in stores what Exchange would, however odd the message
            subject, name, address, message_id = "", "", "", ""
        self.seq += 1
        message = Message(
            id="AAMk" + uuid.uuid4().hex,
            folder=folder,
            internet_message_id=message_id or f"<{uuid.uuid4().hex}@stand-in.outlook.com>",
            subject=subject,
            sender=(name, address.lower()),
            received=received,
            mime=mime,
            seq=self.seq,
        )
        self.messages[message.id] = message
        return message

    def touch(self, message: Message) -> None:
        self.seq += 1
        message.seq = self.seq

    def in_folder(self, folder: str) -> list[Message]:
        return [m for m in self.messages.values() if m.folder == folder]


class MailRoutes:
    def __init__(self, m365):
        self.m365 = m365
        self.mailboxes: dict[str, Mailbox] = {}
        self.allowed: set[str] | None = None  # None: no access policy; else lower-case addresses
        self.any_user = True  # every address has a mailbox; False: only those made with mailbox()
        self.page_size = 10  # Graph's default for message delta; Prefer odata.maxpagesize lowers it

    # -- test controls -------------------------------------------------------------------------
    def mailbox(self, address: str) -> Mailbox:
        """The mailbox of ``address``, created on first use."""
        with self.m365.lock:
            return self.mailboxes.setdefault(address.lower(), Mailbox(address.lower()))

    def deliver(self, address: str, mime: bytes, received: datetime | None = None) -> Message:
        """Put a received message into ``address``'s Inbox."""
        with self.m365.lock:
            return self.mailbox(address).add("inbox", mime, received or datetime.now(timezone.utc))

    def move_out(self, address: str, message_id: str) -> None:
        """A person moved a message out of the Inbox: delta reports it as removed."""
        with self.m365.lock:
            box = self.mailbox(address)
            message = box.messages[message_id]
            message.removed = True
            box.touch(message)

    def expire_delta_tokens(self, address: str) -> None:
        """Every delta token issued so far for ``address`` answers 410 (sync state expired)."""
        with self.m365.lock:
            box = self.mailbox(address)
            box.min_token = box.seq + 1

    # -- routing -------------------------------------------------------------------------------
    def dispatch(self, request: Request, rest: str) -> Response:
        m = re.fullmatch(r"users/([^/]+)(/.*)?", rest, re.IGNORECASE)
        if m is None:
            raise GraphFault(400, "BadRequest", "Invalid request")
        box = self._open(m.group(1))
        tail, method = (m.group(2) or "").lower(), request.method
        if tail == "/sendmail" and method == "POST":
            return self.send_mail(request, box)
        if (f := re.fullmatch(r"/mailfolders/([a-z]+)", tail)) and method == "GET":
            return self.m365.json(self.folder_json(box, self._folder(f.group(1))))
        if f := re.fullmatch(r"/mailfolders/([a-z]+)/messages/delta", tail):
            return self.delta(request, box, self._folder(f.group(1)))
        if f := re.fullmatch(r"(?:/mailfolders/([a-z]+))?/messages", tail):
            return self.find(request, box, self._folder(f.group(1)) if f.group(1) else None)
        if f := re.fullmatch(r"/messages/([^/]+?)(/\$value)?", (m.group(2) or ""), re.IGNORECASE):
            message = box.messages.get(f.group(1))
            if message is None or message.removed:
                raise GraphFault(404, "ErrorItemNotFound", "The specified object was not found in the store.")
            if f.group(2) and method == "GET":
                return Response(message.mime, 200, content_type="text/plain")
            if method == "GET":
                return self.m365.json(message.json())
            if method == "PATCH":
                return self.patch(request, box, message)
        raise GraphFault(400, "BadRequest", f"Unsupported mail request {method} {tail}")

    def _open(self, user: str) -> Mailbox:
        address = user.lower()
        if self.allowed is not None and address not in self.allowed:
            raise GraphFault(
                403,
                "ErrorAccessDenied",
                "Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.",
            )
        box = self.mailbox(address) if self.any_user else self.mailboxes.get(address)
        if box is None:
            raise GraphFault(404, "ErrorInvalidUser", f"The requested user '{user}' is invalid.")
        return box

    @staticmethod
    def _folder(name: str) -> str:
        if name not in FOLDERS:
            raise GraphFault(404, "ErrorInvalidIdMalformed", "Id is malformed.")
        return name

    @staticmethod
    def folder_json(box: Mailbox, folder: str) -> dict:
        messages = [m for m in box.in_folder(folder) if not m.removed]
        return {
            "id": f"AQMk{folder}",
            "displayName": {"inbox": "Inbox", "sentitems": "Sent Items"}[folder],
            "totalItemCount": len(messages),
            "unreadItemCount": sum(not m.is_read for m in messages),
        }

    # -- endpoints -----------------------------------------------------------------------------
    def send_mail(self, request: Request, box: Mailbox) -> Response:
        now = datetime.now(timezone.utc)
        if request.mimetype == "text/plain":
            try:
                mime = base64.b64decode(request.get_data(), validate=True)
            except (binascii.Error, ValueError):
                raise GraphFault(
                    400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content."
                ) from None
            _, address = email.utils.parseaddr(
                str(BytesParser(policy=email.policy.default).parsebytes(mime, headersonly=True).get("From", ""))
            )
            if address.lower() != box.address:
                raise GraphFault(
                    403,
                    "ErrorSendAsDenied",
                    "The user account which was used to submit this request does not have the right to "
                    "send mail on behalf of the specified sending account.",
                )
            box.sent_mime.append(mime)
            self.m365.mails.append({"user": box.address, "mime": mime})
            box.add("sentitems", mime, now)
            return Response(b"", 202)
        body = request.get_json(silent=True)
        if not body or "message" not in body:
            raise GraphFault(400, "ErrorInvalidRequest", "message is required")
        self.m365.mails.append({"user": request.path.split("/")[3], **body})
        message = body["message"]
        headers = f"From: {box.address}\r\nSubject: {message.get('subject', '')}\r\n\r\n"
        box.add("sentitems", headers.encode("utf-8", "replace"), now)
        return Response(b"", 202)

    def delta(self, request: Request, box: Mailbox, folder: str) -> Response:
        args = request.args
        # Tokens carry the sync state, the $filter included, as Graph's opaque tokens do.
        if "$skiptoken" in args:
            since, upto, offset, after = _numbers(args["$skiptoken"])
        elif "$deltatoken" in args:
            since, after = _numbers(args["$deltatoken"])
            upto, offset = box.seq, 0
        else:
            since, upto, offset, after = 0, box.seq, 0, self._received_after(args.get("$filter"))
        if since and since < box.min_token:
            raise GraphFault(410, "SyncStateNotFound", "The sync state has expired. Start a new sync.")
        select = tuple(s.strip() for s in args.get("$select", ",".join(_SELECTABLE)).split(","))
        changed = sorted(
            (
                m
                for m in box.in_folder(folder)
                if since < m.seq <= upto and not (since == 0 and m.removed) and m.received.timestamp() >= after
            ),
            key=lambda m: m.seq,
        )
        size = self.page_size
        prefer = re.search(r"odata\.maxpagesize=(\d+)", request.headers.get("Prefer", ""))
        if prefer:
            size = max(1, min(size, int(prefer.group(1))))
        chunk = changed[offset : offset + size]
        value = [
            {"id": m.id, "@removed": {"reason": "deleted"}} if m.removed else m.json(select) for m in chunk
        ]
        link = f"users/{box.address}/mailFolders/{folder}/messages/delta"
        body: dict = {"value": value}
        if offset + size < len(changed):
            body["@odata.nextLink"] = self.m365.link(link, **{"$skiptoken": _token(since, upto, offset + size, after)})
        else:
            body["@odata.deltaLink"] = self.m365.link(link, **{"$deltatoken": _token(upto, after)})
        return self.m365.json(body)

    @staticmethod
    def _received_after(expression: str | None) -> int:
        """Message delta accepts one filter, ``receivedDateTime ge <time>``."""
        if not expression:
            return 0
        match = _RECEIVED.match(expression)
        if match is None:
            raise GraphFault(400, "ErrorInvalidUrlQueryFilter", "Delta supports only receivedDateTime ge in $filter.")
        return int(datetime.fromisoformat(match.group(1).replace("Z", "+00:00")).timestamp())

    def find(self, request: Request, box: Mailbox, folder: str | None) -> Response:
        wanted = None
        if "$filter" in request.args:
            match = _FILTER.match(request.args["$filter"])
            if match is None:
                raise GraphFault(400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.")
            wanted = match.group(1).replace("''", "'")
        select = tuple(s.strip() for s in request.args.get("$select", ",".join(_SELECTABLE)).split(","))
        found = [
            m.json(select)
            for m in sorted(box.messages.values(), key=lambda m: m.seq)
            if not m.removed
            and (folder is None or m.folder == folder)
            and (wanted is None or m.internet_message_id == wanted)
        ]
        return self.m365.json({"value": found})

    def patch(self, request: Request, box: Mailbox, message: Message) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise GraphFault(400, "ErrorInvalidRequest", "A JSON object is required")
        for key, value in body.items():
            if key == "categories" and isinstance(value, list) and all(isinstance(c, str) for c in value):
                message.categories = list(value)
            elif key == "isRead" and isinstance(value, bool):
                message.is_read = value
            else:
                raise GraphFault(400, "ErrorInvalidProperty", f"The property '{key}' cannot be updated here.")
        box.touch(message)
        return self.m365.json(message.json())
