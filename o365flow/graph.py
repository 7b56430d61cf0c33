"""The one place that talks to Microsoft 365: settings, app-only auth, the client, retries and
error translation.

Every request goes through office365-rest-python-client's own request machinery (its auth hook,
``client-request-id`` header and ``requests`` transport); this module adds what the client lacks
in 3.3.0: a configurable Graph base URL, ``Retry-After`` honoured within a per-pass budget, one
token refresh on a rejected token, raw JSON (so ``@odata.deltaLink`` and ``@odata.nextLink`` are
kept) and the translation of every failure into ``o365flow.errors``. The one SharePoint REST call
Graph v1.0 has no equivalent for (stopping a folder inheriting permissions) goes through the same
``request`` with ``resource=`` the SharePoint host, so it gets that host's own token.

office365 and msal are imported lazily: a board on the local site never pays for them.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

from o365flow.errors import BackendError, ConfigError, ConflictError

# Statuses worth another attempt: throttling and transient server trouble.
_RETRY_STATUSES = {429, 500, 502, 503, 504}
_MAX_ATTEMPTS = 6  # per request, on top of the time budget


@dataclass(frozen=True)
class GraphSettings:
    """How to reach one tenant's Microsoft Graph and SharePoint site (the ``[microsoft365]`` table)."""

    tenant_id: str
    client_id: str
    site_url: str  # https://contoso.sharepoint.com/sites/safeguarding
    certificate_path: Path | None = None  # PEM with private key (+ cert); preferred
    certificate_thumbprint: str | None = None  # computed from the cert when absent
    client_secret_env: str | None = None  # NAME of an env var holding the secret (never the secret)
    graph_url: str = "https://graph.microsoft.com"
    authority_url: str = "https://login.microsoftonline.com"
    retry_budget_seconds: float = 120  # total time a pass may spend waiting on Retry-After
    verify: str | bool = True  # CA bundle path for tests / corporate proxies
    timeout_seconds: float = 60  # per request (connect and read)


def _load_certificate(settings: GraphSettings) -> dict[str, str]:
    """msal's client_credential for a PEM holding the private key and the certificate."""
    path = Path(settings.certificate_path)  # type: ignore[arg-type]
    try:
        pem = path.read_text()
    except OSError as exc:
        raise ConfigError(
            f"cannot read microsoft365.certificate_path '{path}': {exc.strerror}",
            hint="point it at the PEM file holding the app's private key and certificate",
        ) from exc
    if "PRIVATE KEY" not in pem:
        raise ConfigError(
            f"microsoft365.certificate_path '{path}' holds no private key",
            hint="use a PEM with both the private key and the certificate",
        )
    credential = {"private_key": pem}
    if settings.certificate_thumbprint:  # as shown in the app registration: SHA-1, sent as x5t
        credential["thumbprint"] = settings.certificate_thumbprint.replace(":", "").upper()
    elif "BEGIN CERTIFICATE" in pem:
        # msal derives the SHA-256 thumbprint (x5t#S256, PS256) from the certificate itself.
        start = pem.index("-----BEGIN CERTIFICATE-----")
        end = pem.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")
        credential["public_certificate"] = pem[start:end]
    else:
        raise ConfigError(
            f"microsoft365.certificate_thumbprint missing for '{path}'",
            hint="add the certificate to the PEM or set certificate_thumbprint",
        )
    return credential


def _http_session(verify: str | bool, timeout: float):
    """A requests session for msal that really uses ``verify``: requests lets the
    REQUESTS_CA_BUNDLE environment variable override ``Session.verify``, but not a per-call value."""
    import requests

    class _Session(requests.Session):
        def request(self, method, url, **kwargs):
            kwargs.setdefault("verify", verify)
            kwargs.setdefault("timeout", timeout)
            return super().request(method, url, **kwargs)

    return _Session()


class Graph:
    """An authenticated Microsoft Graph session for one site. Create one per pass (or call
    ``new_pass``): the ``Retry-After`` budget is spent across all its requests."""

    def __init__(self, settings: GraphSettings):
        self.settings = settings
        self.root = settings.graph_url.rstrip("/") + "/v1.0"
        self._app = None
        self._client = None
        self._waited = 0.0

    # -- auth ----------------------------------------------------------------------------------
    def _msal_app(self):
        if self._app is None:
            import msal

            s = self.settings
            if s.certificate_path:
                credential: Any = _load_certificate(s)
            elif s.client_secret_env:
                secret = os.environ.get(s.client_secret_env)
                if not secret:
                    raise ConfigError(
                        f"environment variable {s.client_secret_env} (microsoft365.client_secret_env) is not set",
                        hint="set it in the service account's environment, or use certificate_path",
                    )
                credential = secret
            else:
                raise ConfigError(
                    "microsoft365 needs certificate_path or client_secret_env", hint="see docs/it-guide.md"
                )
            try:
                # instance_discovery=False: never ask login.microsoftonline.com about a sovereign
                # or test authority; msal reads <authority>/v2.0/.well-known/openid-configuration.
                self._app = msal.ConfidentialClientApplication(
                    s.client_id,
                    client_credential=credential,
                    authority=f"{s.authority_url.rstrip('/')}/{s.tenant_id}",
                    validate_authority=False,
                    instance_discovery=False,
                    http_client=_http_session(s.verify, s.timeout_seconds),
                )
            except ValueError as exc:  # discovery failed: wrong tenant or unreachable authority
                raise BackendError(
                    f"cannot reach the sign-in authority {s.authority_url} for tenant {s.tenant_id}: {exc}"
                ) from exc
            except Exception as exc:  # requests' network errors surface here too
                raise BackendError(
                    f"cannot reach the sign-in authority {s.authority_url}: {type(exc).__name__}"
                ) from exc
        return self._app

    def token(self, resource: str | None = None) -> dict[str, Any]:
        """An app-only token for Graph (or for ``resource``, e.g. the SharePoint host for its
        REST API); msal serves it from its cache until near expiry."""
        app = self._msal_app()
        scope = [(resource or self.settings.graph_url).rstrip("/") + "/.default"]
        try:
            result = app.acquire_token_for_client(scopes=scope)
        except Exception as exc:
            raise BackendError(
                f"cannot reach the sign-in authority {self.settings.authority_url}: {type(exc).__name__}"
            ) from exc
        if "access_token" not in result:
            description = (result.get("error_description") or "").splitlines()[:1]
            raise BackendError(
                f"sign-in refused for app {self.settings.client_id}: {result.get('error')}: "
                + "".join(description),
                hint="check tenant_id, client_id and the certificate or secret uploaded to the app registration",
            )
        return result

    def _drop_cached_tokens(self) -> None:
        if self._app is not None:
            self._app.remove_tokens_for_client()

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
        """Start a new ``Retry-After`` budget."""
        self._waited = 0.0

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
        attempt = 0
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
                    self._drop_cached_tokens()
                    continue
                if status in _RETRY_STATUSES and attempt < _MAX_ATTEMPTS:
                    delay = _retry_after(response, attempt)
                    if self._waited + delay <= self.settings.retry_budget_seconds:
                        self._waited += delay
                        time.sleep(delay)
                        continue
                raise translate(response, what) from None
            except requests.exceptions.SSLError:
                raise BackendError(
                    f"TLS verification failed for {urlsplit(url).hostname}",
                    hint="trust the proxy's CA through REQUESTS_CA_BUNDLE",
                ) from None
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                request_handler.transport.reset_connections()
                if attempt < 3 and retry_network:
                    delay = min(2.0 ** (attempt - 1), 4.0)
                    if self._waited + delay <= self.settings.retry_budget_seconds:
                        self._waited += delay
                        time.sleep(delay)
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


def _retry_after(response, attempt: int) -> float:
    value = response.headers.get("Retry-After") if response is not None else None
    try:
        return max(0.0, float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        # No (or an HTTP-date) Retry-After: exponential back-off with jitter.
        return min(2.0**attempt, 30.0) * (0.5 + random.random() / 2)


def _graph_error(response) -> tuple[str, str]:
    """Graph's ``{"error": {code, message}}``, or SharePoint REST's ``{"odata.error": {code,
    message: {value}}}``."""
    try:
        body = response.json()
        error = body.get("error") or body.get("odata.error") or {}
        if isinstance(error, dict):
            message = error.get("message", "")
            if isinstance(message, dict):
                message = message.get("value", "")
            return str(error.get("code", "")), (str(message).splitlines() or [""])[0][:200]
    except ValueError:
        pass
    return "", response.reason or ""


def translate(response, what: str) -> Exception:
    """The project's exception for a failed Graph response about ``what``; its ``status``
    attribute is the HTTP status (``check --online`` names the missing permission from it)."""
    error = _translate(response, what)
    error.status = response.status_code  # type: ignore[attr-defined]
    return error


def _translate(response, what: str) -> Exception:
    status = response.status_code
    code, message = _graph_error(response)
    headers = response.headers
    request_id = (
        headers.get("request-id") or headers.get("SPRequestGuid") or headers.get("client-request-id") or "-"
    )
    detail = f"HTTP {status} {code}: {message} (request-id {request_id})"
    if status == 412:
        return ConflictError(f"{what} changed since it was read; {detail}")
    if status == 409:
        return ConflictError(f"{what} already exists; {detail}")
    if status == 423:
        from o365flow.storage.base import FileLocked  # the storage layer refines it to FileCheckedOut

        return FileLocked(
            f"{what} is open or locked in SharePoint; {detail}",
            hint="it will be retried on the next pass once closed",
        )
    if status == 401:
        return BackendError(
            f"Microsoft Graph rejected the app's token for {what}; {detail}",
            hint="check tenant_id, client_id and the app's certificate or secret",
        )
    if status == 403:
        return BackendError(
            f"Microsoft Graph denied access to {what}; {detail}",
            hint="the app likely lacks the Sites.Selected grant for this site "
            "(write, or fullcontrol to manage permissions); see docs/it-guide.md",
        )
    if status == 429 or status == 503:
        return BackendError(
            f"Microsoft Graph kept throttling {what} past the retry budget; {detail}",
            hint="the next pass will continue",
        )
    return BackendError(f"Microsoft Graph failed on {what}; {detail}")
