"""The stand-in's Entra ID: OpenID configuration (so msal needs no instance discovery), the
client-credentials token endpoint (certificate assertion checked against the registered
certificate, or a secret), and bearer-token checks on every Graph call."""

from __future__ import annotations

import base64
import json
import secrets
import time

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from .store import GraphFault


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenIssuer:
    def __init__(self, m365, client_pem):
        self.m365 = m365
        pem = client_pem.read_bytes()
        start = pem.index(b"-----BEGIN CERTIFICATE-----")
        self.certificate = x509.load_pem_x509_certificate(pem[start:])
        self.client_secret: str | None = "s3cret-value"
        self.token_lifetime = 3600  # seconds, as told to the client (expires_in)
        self.tokens: dict[str, float] = {}  # token -> expiry (epoch seconds)
        self.secret_tokens: set[str] = set()  # tokens got with the client secret
        self.issued = 0

    def openid_configuration(self) -> dict:
        base = f"{self.m365.base_url}/{self.m365.tenant_id}"
        return {
            "issuer": f"{base}/v2.0",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "jwks_uri": f"{base}/discovery/v2.0/keys",
            "response_types_supported": ["code", "id_token", "token"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
        }

    def expire_all(self) -> None:
        """Revoke every token issued so far (the server-side view of expiry)."""
        self.tokens = {token: 0.0 for token in self.tokens}

    def token(self, request):
        form = request.form
        if form.get("grant_type") != "client_credentials":
            return self._deny("unsupported_grant_type", "only client_credentials is supported")
        if form.get("client_id") != self.m365.client_id:
            return self._deny("unauthorized_client", "AADSTS700016: Application not found in the directory")
        if not form.get("scope", "").endswith("/.default"):
            return self._deny("invalid_scope", "AADSTS1002012: app-only tokens need the .default scope")
        assertion = form.get("client_assertion")
        if assertion:
            if form.get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
                return self._deny("invalid_request", "client_assertion_type missing")
            problem = self._check_assertion(assertion)
            if problem:
                return self._deny("invalid_client", problem)
        elif form.get("client_secret"):
            if form.get("client_secret") != self.client_secret:
                return self._deny("invalid_client", "AADSTS7000215: Invalid client secret provided.")
        else:
            return self._deny("invalid_client", "AADSTS7000218: client_assertion or client_secret required")
        token = secrets.token_urlsafe(24)
        self.tokens[token] = time.time() + self.token_lifetime
        if not assertion:
            self.secret_tokens.add(token)
        self.issued += 1
        return self.m365.json(
            {
                "token_type": "Bearer",
                "expires_in": self.token_lifetime,
                "ext_expires_in": self.token_lifetime,
                "access_token": token,
            }
        )

    def _check_assertion(self, assertion: str) -> str | None:
        try:
            head_b64, body_b64, sig_b64 = assertion.split(".")
            header, claims = json.loads(_unb64(head_b64)), json.loads(_unb64(body_b64))
        except ValueError:
            return "AADSTS50027: malformed client assertion"
        sha1 = base64.urlsafe_b64encode(self.certificate.fingerprint(hashes.SHA1())).rstrip(b"=").decode()
        sha256 = base64.urlsafe_b64encode(self.certificate.fingerprint(hashes.SHA256())).rstrip(b"=").decode()
        if (header.get("x5t") or "").rstrip("=") != sha1 and (header.get("x5t#S256") or "").rstrip(
            "="
        ) != sha256:
            return "AADSTS700027: certificate with identifier used to sign the client assertion is not registered"
        if claims.get("iss") != self.m365.client_id or claims.get("sub") != self.m365.client_id:
            return "AADSTS700023: assertion issuer or subject is not the client id"
        if claims.get("exp", 0) < time.time():
            return "AADSTS700024: client assertion has expired"
        alg = header.get("alg")
        pad = (
            padding.PKCS1v15()
            if alg == "RS256"
            else padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)
        )
        try:
            self.certificate.public_key().verify(
                _unb64(sig_b64), f"{head_b64}.{body_b64}".encode(), pad, hashes.SHA256()
            )
        except InvalidSignature:
            return "AADSTS700027: client assertion signature is invalid"
        return None

    def _deny(self, error: str, description: str):
        return self.m365.json(
            {
                "error": error,
                "error_description": description,
                "error_codes": [7000215],
                "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ"),
            },
            400 if error != "invalid_client" else 401,
        )

    def by_secret(self, request) -> bool:
        """Whether the request's token was got with the client secret (not a certificate)."""
        return request.headers.get("Authorization", "")[len("Bearer ") :] in self.secret_tokens

    def check(self, request) -> None:
        header = request.headers.get("Authorization", "")
        token = header[len("Bearer ") :] if header.startswith("Bearer ") else ""
        expiry = self.tokens.get(token)
        if expiry is None:
            raise GraphFault(401, "InvalidAuthenticationToken", "Access token is empty or invalid.")
        if expiry < time.time():
            raise GraphFault(
                401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired."
            )
