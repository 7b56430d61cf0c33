"""The board's Exchange Online mailbox through Microsoft Graph: ``GraphMailer`` sends as it,
``GraphInbox`` reads its Inbox.

Sending posts the very RFC 5322 bytes every other mailer sends (``compose.build_message``), as
Graph's MIME ``sendMail`` (base64, ``Content-Type: text/plain``), so the deterministic
``Message-ID``, ``In-Reply-To`` and ``References`` reach the agency unchanged and a reminder
joins the request's thread. Before sending, Sent Items is asked for that Message-ID: a pass that
was killed after Exchange accepted a message, but before it was recorded, does not send it again.

Reading follows a delta query over the Inbox, fetches each new message's MIME and parses it with
``incoming.parse_incoming``, exactly as a Maildir file is. A message the worker has processed is
given the category ``o365flow processed`` (and optionally marked read); nothing is ever moved or
deleted. All HTTP goes through ``o365flow.graph.Graph`` (token, retries, ``Retry-After``).
"""

from __future__ import annotations

import base64
import logging
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import quote, urlencode

from o365flow.errors import BackendError, MailError
from o365flow.graph import Graph, translate
from o365flow.mail.base import InboxChanges, IncomingMail, OutgoingMail
from o365flow.mail.compose import build_message, message_bytes
from o365flow.mail.incoming import parse_incoming
from o365flow.mail.maildir import MAX_MESSAGE_BYTES

log = logging.getLogger(__name__)

PROCESSED_CATEGORY = "o365flow processed"
_SELECT = "id,internetMessageId,subject,from,receivedDateTime,categories,isRead"
_MAILBOX_HINT = (
    "the app needs Mail.Send and Mail.ReadWrite, and the application access policy (or RBAC for "
    "Applications scope) must include this mailbox; see docs/it-guide.md section 7"
)


def _local_now() -> datetime:
    return datetime.now().astimezone()


def _mailbox_error(response, what: str, mailbox: str, sending: bool = False) -> Exception:
    """The project's exception for a refused mail request: the mailbox's own hints, else
    ``graph.translate``'s. ``sending``: a 400 or 413 is about the message (``MailError``)."""
    exc = translate(response, what)
    try:
        code = str(response.json().get("error", {}).get("code", ""))
    except ValueError:
        code = ""
    status = response.status_code
    if status == 403 and code == "ErrorSendAsDenied":
        exc = BackendError(exc.message, hint=f"set mail.from to {mailbox}, or grant {mailbox} Send As on the from address")
    elif status == 403:
        exc = BackendError(exc.message, hint=_MAILBOX_HINT)
    elif status == 404:
        exc = BackendError(
            f"mailbox {mailbox} not found or not enabled for Graph; {exc.message}",
            hint="check mail.mailbox: it must be an Exchange Online mailbox (a shared mailbox is fine)",
        )
    elif sending and status in (400, 413):  # the message itself: report and skip it, the rest goes on
        exc = MailError(exc.message, hint="the message was not sent")
    return exc


class _Mailbox:
    """What both adapters share: the Graph session and the mailbox's path."""

    def __init__(self, graph: Graph, mailbox: str):
        self.graph = graph
        self.mailbox = mailbox.strip().lower()
        self.base = f"users/{quote(self.mailbox, safe='@')}"

    def _call(self, method: str, path: str, what: str, sending: bool = False, **kwargs):
        response = self.graph.request(
            method, path, what=what, allow=(400, 403, 404, 413), retry_network=not sending, **kwargs
        )
        if response.status_code in (400, 403, 404, 413):
            raise _mailbox_error(response, what, self.mailbox, sending)
        return response

    def find(self, message_id: str, folder: str | None) -> list[dict]:
        """Messages in ``folder`` (None: the whole mailbox) whose internetMessageId is ``message_id``."""
        where = f"/mailFolders/{folder}" if folder else ""
        query = urlencode(
            {"$filter": f"internetMessageId eq '{message_id.replace(chr(39), chr(39) * 2)}'", "$select": _SELECT},
            quote_via=quote,
        )
        response = self._call("GET", f"{self.base}{where}/messages?{query}", f"mailbox {self.mailbox}")
        return list(response.json().get("value", []))


class GraphMailer(_Mailbox):
    """Sends each message once, as ``mailbox``. ``check_sent``: look in Sent Items first."""

    def __init__(
        self,
        graph: Graph,
        mailbox: str,
        *,
        clock: Callable[[], datetime] = _local_now,
        check_sent: bool = True,
    ):
        super().__init__(graph, mailbox)
        self.clock = clock
        self.check_sent = check_sent

    def already_sent(self, message_id: str) -> bool:
        """True when Sent Items holds a message with this Message-ID."""
        return bool(self.find(message_id, "sentitems"))

    def send(self, mail: OutgoingMail) -> None:
        """Send ``mail`` through Graph unless Sent Items already has its Message-ID.

        ``MailError``: a bad message, or one Graph refuses (400, 413). ``BackendError``: the
        mailbox is not found or not allowed to the app (named with the fix), or Graph fails or
        keeps throttling past the retry budget."""
        data = message_bytes(build_message(mail, date=self.clock()))  # validate before any request
        if self.check_sent and self.already_sent(mail.message_id):
            log.info("%s is already in Sent Items of %s; not sent again", mail.message_id, self.mailbox)
            return
        what = f"sendMail as {self.mailbox}"
        response = self._call(
            "POST",
            f"{self.base}/sendMail",
            what,
            sending=True,
            data=base64.b64encode(data),
            headers={"Content-Type": "text/plain"},
        )
        if response.status_code != 202:
            raise BackendError(f"Microsoft Graph answered {response.status_code} to {what}, not 202 Accepted")
        log.info("sent %s via Microsoft Graph as %s", mail.message_id, self.mailbox)


class GraphInbox(_Mailbox):
    """Reads the Inbox of ``mailbox`` by delta query; marks processed messages with
    ``category`` (and ``isRead`` when ``mark_read``). ``page_size``: messages per delta page.
    ``received_since`` (aware): older messages are never read, so a mailbox with years of
    history does not hand all of it to the first pass."""

    def __init__(
        self,
        graph: Graph,
        mailbox: str,
        *,
        category: str = PROCESSED_CATEGORY,
        mark_read: bool = False,
        page_size: int = 50,
        received_since: datetime | None = None,
    ):
        super().__init__(graph, mailbox)
        self.received_since = received_since
        self.category = category
        self.mark_read = mark_read
        self.page_size = page_size
        self._seen: dict[str, str] = {}  # IncomingMail.key -> Graph message id, from the last read

    def fetch(self) -> tuple[list[IncomingMail], list[str]]:
        """Every message in the Inbox not yet marked processed, and a problem line per
        unreadable one."""
        changes = self.changes(None)
        return changes.messages, changes.problems

    def changes(self, cursor: str | None) -> InboxChanges:
        """Messages new or changed since ``cursor`` (a deltaLink from the last call; None: a
        full read), skipping those already marked processed. An expired cursor starts a full
        read again."""
        entries, delta_link = self._delta(cursor)
        messages, problems, keys = [], [], set()
        for entry in entries:
            categories = list(entry.get("categories") or [])
            if self.category in categories:
                continue
            mail, problem = self._read(entry)
            if problem:
                problems.append(problem)
            elif mail is not None and mail.key not in keys:
                keys.add(mail.key)
                self._seen[mail.key] = entry["id"]
                messages.append(mail)
        return InboxChanges(messages, problems, delta_link)

    def _delta(self, cursor: str | None) -> tuple[list[dict], str | None]:
        """The changed messages (the last state of each; removed ones left out) and the deltaLink."""
        query = {"$select": _SELECT}
        if self.received_since is not None:  # the one filter message delta accepts
            since = self.received_since.astimezone(timezone.utc)
            query["$filter"] = f"receivedDateTime ge {since:%Y-%m-%dT%H:%M:%SZ}"
        first = f"{self.base}/mailFolders/inbox/messages/delta?{urlencode(query, quote_via=quote)}"
        url: str | None = cursor or first
        from_cursor = cursor is not None
        headers = {"Prefer": f"odata.maxpagesize={self.page_size}"}
        what = f"the Inbox of {self.mailbox}"
        found: dict[str, dict] = {}
        delta_link = None
        while url:
            response = self.graph.request("GET", url, headers=headers, what=what, allow=(400, 403, 404, 410))
            if response.status_code in (400, 410) and from_cursor:
                # Expired (410) or unreadable (400) sync state: Graph's answer is a full read.
                log.info("the Inbox delta cursor of %s is no longer valid; reading the Inbox again", self.mailbox)
                url, found, from_cursor = first, {}, False
                continue
            if response.status_code != 200:
                raise _mailbox_error(response, what, self.mailbox)
            page = response.json()
            for entry in page.get("value", []):
                if "@removed" in entry:  # moved out of the Inbox or deleted by a person
                    found.pop(entry.get("id"), None)
                elif entry.get("id"):
                    found.pop(entry["id"], None)  # keep the order of the last change
                    found[entry["id"]] = entry
            url, from_cursor = page.get("@odata.nextLink"), False
            delta_link = page.get("@odata.deltaLink", delta_link)
        return list(found.values()), delta_link

    def _read(self, entry: dict) -> tuple[IncomingMail | None, str | None]:
        graph_id = entry["id"]
        label = f"mailbox {self.mailbox}: message received {entry.get('receivedDateTime') or '?'} (id ...{graph_id[-12:]})"
        response = self.graph.request(
            "GET", f"{self.base}/messages/{quote(graph_id, safe='')}/$value", what=label, allow=(404,)
        )
        if response.status_code == 404:
            return None, None  # moved or deleted since the delta page; nothing to read
        data = response.content
        if len(data) > MAX_MESSAGE_BYTES:
            return None, f"{label}: larger than {MAX_MESSAGE_BYTES // 2**20} MB, not read"
        try:
            return parse_incoming(data, f"graph:{graph_id}"), None
        except MailError as exc:
            return None, f"{label}: not a readable message: {exc}"

    def probe(self) -> str:
        """Prove the app may open the Inbox without reading any message (``check --online``):
        one line such as ``"Inbox of board@x: 12 message(s)"``; ``BackendError`` names the fix."""
        what = f"the Inbox of {self.mailbox}"
        folder = self._call("GET", f"{self.base}/mailFolders/inbox?$select=totalItemCount", what).json()
        return f"Inbox of {self.mailbox}: {folder.get('totalItemCount', '?')} message(s)"

    def mark_processed(self, key: str) -> bool:
        """Add the processed category to the message with ``key`` (and isRead when configured),
        keeping the categories people gave it. False when it is no longer in the mailbox."""
        graph_id = self._seen.get(key)
        if graph_id is None:
            if key.startswith("graph:"):
                graph_id = key[len("graph:") :]
            else:
                hits = self.find(key, None)
                if not hits:
                    return False
                graph_id = hits[0]["id"]
        path = f"{self.base}/messages/{quote(graph_id, safe='')}"
        what = f"marking a message processed in {self.mailbox}"
        # Categories are replaced whole by PATCH: read them just before, so a category a person
        # gave the message a moment ago is kept.
        response = self.graph.request("GET", f"{path}?$select=categories,isRead", what=what, allow=(403, 404))
        if response.status_code == 404:
            return False
        if response.status_code == 403:
            raise _mailbox_error(response, what, self.mailbox)
        current = response.json()
        categories = list(current.get("categories") or [])
        body: dict = {}
        if self.category not in categories:
            body["categories"] = [*categories, self.category]
        if self.mark_read and not current.get("isRead"):
            body["isRead"] = True
        if body:
            response = self.graph.request("PATCH", path, json=body, what=what, allow=(403, 404))
            if response.status_code == 404:
                return False
            if response.status_code == 403:
                raise _mailbox_error(response, what, self.mailbox)
        return True
