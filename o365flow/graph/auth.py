"""Signing in to Microsoft 365 as the board's app (client credentials, certificate or secret),
with msal, and the settings of the ``[microsoft365]`` table.

Tokens are kept in msal's ``SerializableTokenCache``, persisted in the board's ``SessionCache``:
while a cached token is valid for more than five minutes it is served from the cache without
building msal's client at all, so a pass makes no sign-in request (msal would otherwise fetch the
authority's OpenID configuration when it starts).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from o365flow.errors import BackendError, ConfigError
from o365flow.graph.cache import SessionCache

_FRESH_FOR = 300  # seconds: a token closer than this to expiry is renewed, as msal does


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
    retry_budget_seconds: float = 120  # total time a pass may spend waiting to retry
    verify: str | bool = True  # CA bundle path for tests / corporate proxies
    timeout_seconds: float = 60  # per request (connect and read)

    @property
    def cache_scope(self) -> str:
        """What a cached token or id is valid for: this app in this tenant, at these URLs."""
        return "|".join((self.tenant_id, self.client_id, self.authority_url, self.graph_url, self.site_url))


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


class SignIn:
    """App-only tokens for one app registration, from the cache while they last."""

    def __init__(self, settings: GraphSettings, cache: SessionCache):
        import msal

        self.settings = settings
        self.cache = cache
        self._tokens = msal.SerializableTokenCache()
        serialized = cache.tokens()
        if serialized:
            try:
                self._tokens.deserialize(serialized)
            except ValueError:
                self._tokens = msal.SerializableTokenCache()
        self._app = None

    def app(self):
        """msal's ConfidentialClientApplication (built on first need: building it asks the
        authority for its OpenID configuration)."""
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
                    token_cache=self._tokens,
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

    def _cached(self, scopes: list[str]) -> dict[str, Any] | None:
        """A cached token for ``scopes`` fresh for five more minutes, as msal itself would serve."""
        now = time.time()
        query = {
            "client_id": self.settings.client_id,
            "environment": urlsplit(self.settings.authority_url).hostname or "",  # as msal keys it
            "realm": self.settings.tenant_id,
        }
        for entry in self._tokens.search(self._tokens.CredentialType.ACCESS_TOKEN, target=scopes, query=query):
            expires_in = int(entry["expires_on"]) - now
            if expires_in >= _FRESH_FOR and int(entry.get("refresh_on", now + 1)) > now:
                return {"access_token": entry["secret"], "token_type": "Bearer", "expires_in": int(expires_in)}
        return None

    def token(self, resource: str) -> dict[str, Any]:
        """A token for ``resource`` (Graph, or the SharePoint host for its REST API)."""
        scopes = [resource.rstrip("/") + "/.default"]
        cached = self._cached(scopes)
        if cached is not None:
            return cached
        app = self.app()  # its own errors name the config key
        try:
            result = app.acquire_token_for_client(scopes=scopes)
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
        self._keep()
        return result

    def forget(self) -> None:
        """Drop every cached token (the server refused one before its time)."""
        for entry in list(self._tokens.search(self._tokens.CredentialType.ACCESS_TOKEN)):
            self._tokens.remove_at(entry)
        self._keep()

    def _keep(self) -> None:
        if self._tokens.has_state_changed:
            self.cache.set_tokens(self._tokens.serialize())
