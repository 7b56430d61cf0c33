"""The Microsoft Graph session a process shares between its storage and its mailbox: the
office365 client pointed at the configured Graph URL, signed in through ``SignIn``, with
``Retry-After`` honoured within one retry budget per pass, one token refresh on a rejected token,
raw JSON (so ``@odata.deltaLink`` and ``@odata.nextLink`` are kept), JSON batching, and every
failure translated into ``o365flow.errors``.

Every request goes through office365-rest-python-client's own request machinery (its auth hook,
``client-request-id`` header and ``requests`` transport). The one SharePoint REST call Graph
v1.0 has no equivalent for (stopping a folder inheriting permissions) goes through the same
``request`` with ``resource=`` the SharePoint host, so it gets that host's own token.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from o365flow.errors import BackendError
from o365flow.graph.auth import GraphSettings, SignIn
from o365flow.graph.cache import SessionCache
from o365flow.graph.errors import RETRY_STATUSES, retry_after, translate

#: The least wait between two attempts, whatever ``Retry-After`` says (``0`` included): the
#: budget, not a count of attempts, bounds the retries, so each one must cost something.
MIN_WAIT = 0.25
#: Graph's limit of requests in one JSON batch.
BATCH_LIMIT = 20
_NETWORK_ATTEMPTS = 3  # a request that may not have reached the server is re-sent at most twice


@dataclass
class BatchResult:
    """One response inside a JSON batch; answers ``status_code``, ``headers`` and ``json()``
    as a ``requests`` response does, so ``translate`` reads it the same way."""

    status_code: int
    body: Any = None
    headers: dict = field(default_factory=dict)
    reason: str = ""

    def json(self) -> Any:
        if self.body is None:
            raise ValueError("no JSON body")
        return self.body


class Graph:
    """An authenticated Microsoft Graph session. Build one per process and share it (storage
    and mail): it signs in once, and its ``Retry-After`` budget is spent across all its requests
    until ``new_pass``. ``cache``: where tokens and the site's ids are kept between passes
    (None: in memory only)."""

    def __init__(self, settings: GraphSettings, cache: SessionCache | None = None):
        self.settings = settings
        self.root = settings.graph_url.rstrip("/") + "/v1.0"
        self.cache = cache if cache is not None else SessionCache(None, settings.cache_scope)
        self.sign_in = SignIn(settings, self.cache)
        self._client = None
        self._waited = 0.0

    def token(self, resource: str | None = None) -> dict[str, Any]:
        """An app-only token for Graph (or for ``resource``, e.g. the SharePoint host)."""
        return self.sign_in.token(resource or self.settings.graph_url)

    def _msal_app(self):
        return self.sign_in.app()

    @property
    def client(self):
        """The office365 GraphClient, its service root pointed at ``graph_url``."""
        if self._client is None:
            from office365.graph_client import GraphClient
            from office365.graph_request import GraphRequest

            root = self.root

            class _Request(GraphRequest):
                # 3.3.0 derives the service root from a fixed list of Azure clouds; a
                # configured base URL (sovereign cloud, proxy, test stand-in) needs an override.
                @property
                def service_root_url(self) -> str:
                    return root

            class _Client(GraphClient):
                def pending_request(self):
                    if self._pending_request is None:
                        self._pending_request = _Request()
                        self._pending_request.with_access_token(self._token_callback)
                    return self._pending_request

            client = _Client(token_callback=self.token)
            client.pending_request().with_transport(
                verify=self.settings.verify, timeout=self.settings.timeout_seconds
            )
            self._client = client
        return self._client

    def new_pass(self) -> None:
        """Start a new retry budget."""
        self._waited = 0.0

    def _wait(self, delay: float) -> bool:
        """Sleep ``delay`` (at least ``MIN_WAIT``) if the pass's budget allows; False if not."""
        delay = max(delay, MIN_WAIT)
        if self._waited + delay > self.settings.retry_budget_seconds:
            return False
        self._waited += delay
        time.sleep(delay)
        return True

    # -- requests ------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return (
            path
            if path.startswith("https://") or path.startswith("http://")
            else f"{self.root}/{path.lstrip('/')}"
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        what: str = "",
        allow: tuple[int, ...] = (),
        authenticated: bool = True,
        resource: str | None = None,
        retry_network: bool = True,
    ):
        """Send one request; return the response (also for a status in ``allow``).

        Retries 429/5xx after ``Retry-After`` within the pass budget and network errors a few
        times; a rejected token is refreshed once. Any other failure raises ``BackendError`` or
        ``ConflictError`` (412, 423) naming ``what``, Graph's error code and the request-id.
        ``resource``: a full URL on another Microsoft 365 API (SharePoint REST), sent with a
        token for that resource rather than Graph's. ``retry_network=False`` for a request that
        must not be repeated blindly once it may have reached the server (``sendMail``: the
        caller looks in Sent Items before trying again on the next pass)."""
        import requests
        from office365.runtime.client_request_exception import ClientRequestException
        from office365.runtime.http.http_method import HttpMethod
        from office365.runtime.http.request_options import RequestOptions

        url = self.url(path)
        what = what or urlsplit(url).path
        request_handler = self.client.pending_request()
        refreshed = False
        attempt = failures = 0  # throttling is bounded by the budget, network failures by count
        while True:
            attempt += 1
            options = RequestOptions(
                url=url, method=HttpMethod[method.capitalize()], headers=dict(headers or {})
            )
            options.data = json if json is not None else data
            if resource is not None:
                options.set_header("Authorization", f"Bearer {self.token(resource)['access_token']}")
            try:
                if authenticated and resource is None:
                    response = request_handler.execute_request_direct(options)
                else:
                    # Upload-session URLs are pre-authorised; Graph rejects a bearer token on them.
                    response = request_handler.transport.execute(options)
                    if response.status_code >= 400:
                        raise ClientRequestException.from_response(response)
                return response
            except ClientRequestException as exc:
                response = exc.response
                if response is None:
                    raise BackendError(f"Microsoft Graph failed on {what}: {exc}") from None
                status = response.status_code
                if status in allow:
                    return response
                if status == 401 and (authenticated or resource) and not refreshed:
                    refreshed = True  # a token revoked or expired early at the server: get a fresh one
                    self.sign_in.forget()
                    request_handler._auth_context._cached_token = None  # the client's own copy
                    continue
                if status in RETRY_STATUSES and self._wait(retry_after(response.headers, attempt)):
                    continue
                raise translate(response, what) from None
            except requests.exceptions.SSLError:
                raise BackendError(
                    f"TLS verification failed for {urlsplit(url).hostname}",
                    hint="trust the proxy's CA through REQUESTS_CA_BUNDLE",
                ) from None
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                request_handler.transport.reset_connections()
                failures += 1
                if failures < _NETWORK_ATTEMPTS and retry_network and self._wait(min(2.0 ** (failures - 1), 4.0)):
                    continue
                raise BackendError(
                    f"Microsoft Graph unreachable for {what}: {type(exc).__name__}",
                    hint=f"check the network path to {self.settings.graph_url}",
                ) from None

    def get_json(self, path: str, *, what: str = "", missing_ok: bool = False) -> dict | None:
        """GET a JSON object; None for 404 when ``missing_ok``."""
        response = self.request("GET", path, what=what, allow=(404,) if missing_ok else ())
        if response.status_code == 404:
            return None
        return response.json()

    def pages(self, path: str, *, what: str = "") -> Iterator[dict]:
        """Each page of a collection, following ``@odata.nextLink``."""
        url: str | None = path
        while url:
            page = self.request("GET", url, what=what).json()
            yield page
            url = page.get("@odata.nextLink")

    def batch(self, requests: list[dict], *, what: str = "") -> list[BatchResult]:
        """Send ``requests`` (each ``{"method", "url"`` relative to the version root, optional
        ``"body"`` and ``"headers"}``) in JSON batches of up to 20; return one result each, in
        order, whatever its status. Those throttled inside a batch are sent again after the
        longest ``Retry-After`` among them, within the pass's budget; past it, ``BackendError``."""
        results: list[BatchResult | None] = [None] * len(requests)
        pending = list(range(len(requests)))
        attempt = 0
        while pending:
            attempt += 1
            throttled: list[int] = []
            delay = 0.0
            for start in range(0, len(pending), BATCH_LIMIT):
                chunk = pending[start : start + BATCH_LIMIT]
                body = {"requests": [_batch_item(str(i), requests[i]) for i in chunk]}
                answer = self.request("POST", "$batch", json=body, what=what or "a batch of requests").json()
                for item in answer.get("responses", []):
                    i = int(item["id"])
                    result = BatchResult(int(item["status"]), item.get("body"), dict(item.get("headers") or {}))
                    if result.status_code in RETRY_STATUSES:
                        throttled.append(i)
                        delay = max(delay, retry_after(result.headers, attempt))
                    results[i] = result
            missing = [i for i in pending if results[i] is None]
            if missing:
                raise BackendError(f"Microsoft Graph left {len(missing)} request(s) of {what} unanswered in a batch")
            if throttled and not self._wait(delay):
                raise translate(results[throttled[0]], what) from None
            for i in throttled:
                results[i] = None
            pending = sorted(throttled)
        return results  # type: ignore[return-value]


def _batch_item(request_id: str, request: dict) -> dict:
    item = {"id": request_id, "method": request["method"], "url": "/" + request["url"].lstrip("/")}
    if "body" in request:
        item["body"] = request["body"]
        item["headers"] = {"Content-Type": "application/json", **request.get("headers", {})}
    elif request.get("headers"):
        item["headers"] = dict(request["headers"])
    return item
