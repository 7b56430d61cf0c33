"""The Microsoft 365 stand-in: Graph v1.0 (sites, drives, items, delta, uploads, permissions,
the workbook API, sendMail), the site's SharePoint REST calls and the Entra ID token endpoint,
served by werkzeug over HTTPS on 127.0.0.1. The site itself lives at the stand-in's address
(``site_url`` is ``https://127.0.0.1:PORT/sites/safeguarding``), as SharePoint REST is reached at
the site's own URL.

Faults are queued with ``fail_next``; every request is appended to ``log`` (and each request
inside a JSON batch to ``batched``)."""

from __future__ import annotations

import json
import re
import socket
import ssl
import struct
import threading
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from .auth import TokenIssuer
from .batch import run_batch
from .mail_routes import MailRoutes
from .routes import DriveRoutes
from .sp_rest import SharePointRest
from .store import GraphFault, Site
from .tls import TestPKI


@dataclass(frozen=True)
class Logged:
    method: str
    path: str
    query: str
    status: int  # 0: the connection was reset or left to time out


@dataclass
class _Fault:
    status: int
    retry_after: float | None
    count: int
    path_contains: str
    method: str | None
    kind: str  # "status" | "timeout" | "reset"
    sleep: float


class _QuietHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Graph: one TLS handshake per connection

    def log_request(self, *args, **kwargs):  # the stand-in keeps its own log
        pass

    def log_error(self, *args, **kwargs):
        pass


class M365:
    """State and server. ``base_url`` is both the Graph URL and the sign-in authority URL."""

    def __init__(
        self,
        pki: TestPKI,
        *,
        tenant_id: str = "contoso-tenant",
        client_id: str = "app-client-id",
        hostname: str = "contoso.sharepoint.com",
        site_path: str = "sites/safeguarding",
    ):
        self.pki = pki
        self.tenant_id, self.client_id = tenant_id, client_id
        self.site = Site(hostname, site_path)
        self.site_url = self.site.web_url
        self.auth = TokenIssuer(self, pki.client_pem)
        self.page_size = 200  # delta and children pages; tests lower it to cross pages
        self.delta_parent_paths = True  # SharePoint may omit parentReference.path in delta
        self.site_access = True  # False: the app has no Sites.Selected grant (403)
        self.site_role = "fullcontrol"  # the app's Sites.Selected role: read | write | fullcontrol
        self.rest_calls: list[tuple[str, str]] = []  # (item path, SharePoint REST call) that changed something
        self.log: list[Logged] = []
        self.batched: list[Logged] = []  # the requests inside each POST $batch
        self.responses: list[tuple[str, str, dict]] = []  # (method, path, JSON body) of each reply
        self.mails: list[dict] = []
        self.pdf_requests = 0  # GET content?format=pdf
        self.lock = threading.RLock()
        self._faults: list[_Fault] = []
        self.routes = DriveRoutes(self)
        self.sharepoint_rest = SharePointRest(self)
        self.mail = MailRoutes(self)
        self._server = None
        self.base_url = ""

    # -- test controls -------------------------------------------------------------------------
    def add_library(self, name: str):
        with self.lock:
            return self.site.add_drive(name)

    def library(self, name: str):
        return self.site.drive_named(name)

    def lock_item(self, library: str, path: str, locked: bool = True) -> None:
        """Mark a file as open in Office: PUT and DELETE answer 423, the workbook API works."""
        with self.lock:
            self.library(library).resolve(path).locked = locked

    def check_out_item(self, library: str, path: str, checked_out: bool = True) -> None:
        """Mark a file as checked out to a person: uploads, deletes and workbook calls answer 423."""
        with self.lock:
            self.library(library).resolve(path).checked_out = checked_out

    def expire_delta_tokens(self, library: str) -> None:
        """Every delta token issued so far for ``library`` answers 410 resyncRequired."""
        with self.lock:
            self.library(library).min_token = self.site.seq + 1

    def fail_next(
        self,
        status: int = 503,
        *,
        retry_after: float | None = None,
        count: int = 1,
        path_contains: str = "",
        method: str | None = None,
        kind: str = "status",
        sleep: float = 2.0,
    ) -> None:
        """Answer the next ``count`` matching requests with ``status`` (and ``Retry-After``), or
        ``kind="timeout"`` (hold the request for ``sleep`` seconds) or ``kind="reset"``."""
        with self.lock:
            self._faults.append(_Fault(status, retry_after, count, path_contains, method, kind, sleep))

    def requests(self, method: str | None = None, contains: str = "") -> list[Logged]:
        return [r for r in self.log if (method is None or r.method == method) and contains in r.path]

    @staticmethod
    def logged(method: str, path: str, query: str, status: int) -> Logged:
        return Logged(method, path, query, status)

    # -- server --------------------------------------------------------------------------------
    def start(self) -> "M365":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.pki.server_cert, self.pki.server_key)
        self._server = make_server(
            "127.0.0.1", 0, self.wsgi, threaded=True, ssl_context=ctx, request_handler=_QuietHandler
        )
        self.base_url = f"https://127.0.0.1:{self._server.server_port}"
        # The site is served here too (its SharePoint REST API lives at the site's own URL).
        self.site.hostname = f"127.0.0.1:{self._server.server_port}"
        self.site.web_url = self.site_url = f"{self.base_url}/{self.site.path}"
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def wsgi(self, environ, start_response):
        request = Request(environ)
        fault = self._take_fault(request)
        entry = lambda status: Logged(request.method, request.path, request.query_string.decode(), status)  # noqa: E731
        if fault is not None and fault.kind == "reset":
            self.log.append(entry(0))
            sock = environ.get("werkzeug.socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.close()
            return Response(b"", 500)(environ, start_response)
        if fault is not None and fault.kind == "timeout":
            self.log.append(entry(0))
            time.sleep(fault.sleep)
            return Response(b"", 504)(environ, start_response)
        if fault is not None:
            response = self.error(
                fault.status,
                "activityLimitReached" if fault.status == 429 else "serviceNotAvailable",
                "Injected fault",
            )
            if fault.retry_after is not None:
                response.headers["Retry-After"] = str(
                    fault.retry_after if fault.retry_after % 1 else int(fault.retry_after)
                )
        else:
            with self.lock:
                try:
                    response = self.dispatch(request)
                except GraphFault as exc:
                    response = self.error(exc.status, exc.code, exc.message)
        response.headers["request-id"] = str(uuid.uuid4())
        response.headers["client-request-id"] = request.headers.get("client-request-id", str(uuid.uuid4()))
        self.log.append(entry(response.status_code))
        if response.mimetype == "application/json":
            self.responses.append((request.method, request.path, json.loads(response.get_data())))
        return response(environ, start_response)

    def _take_fault(self, request: Request) -> _Fault | None:
        with self.lock:
            for fault in self._faults:
                if (
                    fault.count > 0
                    and fault.path_contains in request.full_path
                    and (fault.method is None or fault.method == request.method)
                ):
                    fault.count -= 1
                    if fault.count == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    # -- responses -----------------------------------------------------------------------------
    @staticmethod
    def json(body, status: int = 200) -> Response:
        return Response(json.dumps(body), status, content_type="application/json")

    def error(self, status: int, code: str, message: str) -> Response:
        return self.json(
            {
                "error": {
                    "code": code,
                    "message": message,
                    "innerError": {
                        "request-id": str(uuid.uuid4()),
                        "date": time.strftime("%Y-%m-%dT%H:%M:%S"),
                    },
                }
            },
            status,
        )

    def link(self, path: str, **query) -> str:
        return f"{self.base_url}/v1.0/{path}" + (f"?{urlencode(query)}" if query else "")

    # -- routing -------------------------------------------------------------------------------
    def dispatch(self, request: Request) -> Response:
        path = request.path
        tenant = f"/{self.tenant_id}"
        if path == f"{tenant}/v2.0/.well-known/openid-configuration":
            return self.json(self.auth.openid_configuration())
        if path == f"{tenant}/oauth2/v2.0/token" and request.method == "POST":
            return self.auth.token(request)
        if path.startswith("/upload/"):
            return self.routes.upload(request, path[len("/upload/") :])
        if path.startswith("/download/"):
            drive_id, item_id = path[len("/download/") :].split("/", 1)
            return Response(
                self.site.drives[drive_id].get(item_id).content, 200, content_type="application/octet-stream"
            )
        if path.startswith(f"/{self.site.path}/_api/"):
            return self.sharepoint_rest.handle(request, path[len(f"/{self.site.path}/_api/") :])
        if not path.startswith("/v1.0/"):
            raise GraphFault(404, "itemNotFound", "Unknown endpoint")
        self.auth.check(request)
        rest = path[len("/v1.0/") :]
        if rest == "$batch" and request.method == "POST":
            return run_batch(self, request)
        if rest[:6].lower() == "users/":
            return self.mail.dispatch(request, rest)
        if m := re.fullmatch(r"users/([^/]+)/sendmail", rest, re.IGNORECASE):
            body = request.get_json()
            if not body or "message" not in body:
                raise GraphFault(400, "ErrorInvalidRequest", "message is required")
            self.mails.append({"user": m.group(1), **body})
            return Response(b"", 202)
        if not self.site_access:
            raise GraphFault(
                403, "accessDenied", "Either scp or roles claim need to be present in the token."
            )
        if (
            self.site_role == "read"
            and request.method in ("PUT", "POST", "PATCH", "DELETE")
            and rest.startswith("drives/")
        ):
            raise GraphFault(403, "accessDenied", "Access denied")
        if m := re.fullmatch(r"sites/([^/]+?):/(.+?):?", rest):
            if (
                m.group(1).lower() != self.site.hostname
                or m.group(2).strip("/").lower() != self.site.path.lower()
            ):
                raise GraphFault(404, "itemNotFound", "Requested site could not be found")
            return self.json(self.site.site_json())
        if m := re.fullmatch(r"sites/([^/]+)/drives", rest):
            if m.group(1) != self.site.id:
                raise GraphFault(404, "itemNotFound", "Requested site could not be found")
            return self.json({"value": [d.drive_json() for d in self.site.drives.values()]})
        if m := re.fullmatch(r"drives/([^/]+)(/.*)?", rest):
            drive = self.site.drives.get(m.group(1))
            if drive is None:
                raise GraphFault(404, "itemNotFound", "The drive could not be found.")
            return self.routes.drive(request, drive, (m.group(2) or "").lstrip("/"))
        raise GraphFault(400, "BadRequest", f"Resource not found for the segment '{rest.split('/')[0]}'.")


def start_stand_in(pki: TestPKI, **kwargs) -> M365:
    return M365(pki, **kwargs).start()
