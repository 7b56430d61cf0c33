"""Send through a mail server with smtplib (Exchange Online, a relay, or any SMTP server).

A message goes to every recipient or to none: each recipient is offered (RCPT) before the body
is sent, and if the server refuses one the transaction is reset. Otherwise a retry after a
partial refusal would send the message twice to the recipients that accepted it.
Nothing here logs a message body or subject.

Login: ``auth="password"`` (a username and password, for providers that still take one) or
``auth="oauth2"`` (SASL XOAUTH2 with an app-only token, e.g. from the board's Entra ID app for
Exchange Online, which is turning password SMTP AUTH off). Exactly one mechanism is tried, once
per mailer: after the server refuses a login, every later message of the pass fails at once
without another attempt, so a schedule every few minutes cannot lock the account.
"""

from __future__ import annotations

import ipaddress
import logging
import smtplib
import ssl
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from o365flow.errors import BackendError, ConfigError, MailError, quoted
from o365flow.mail.base import OutgoingMail
from o365flow.mail.compose import bare_address, build_message, message_bytes

log = logging.getLogger(__name__)

SECURITY = ("starttls", "tls", "none")
AUTH = ("password", "oauth2")
#: The token audience of Exchange Online's SMTP (``<resource>/.default`` is the app-only scope).
OUTLOOK_RESOURCE = "https://outlook.office365.com"


def _local_now() -> datetime:
    return datetime.now().astimezone()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _reply(exc: smtplib.SMTPResponseException) -> str:
    error = exc.smtp_error
    text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
    return f"{exc.smtp_code} {' '.join(text.split())[:200]}"


class SmtpMailer:
    """Sends each message in its own SMTP session.

    ``security``: ``"starttls"`` (port 587; refuses to go on if the server does not offer
    STARTTLS), ``"tls"`` (implicit TLS, port 465) or ``"none"`` (a relay on this host or a
    trusted network; a password is then allowed only to a loopback address)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        security: str = "starttls",
        username: str | None = None,
        password: str | None = None,
        token: Callable[[], str] | None = None,
        timeout: float = 30,
        ssl_context: ssl.SSLContext | None = None,
        clock: Callable[[], datetime] = _local_now,
    ):
        """``username`` with ``password`` logs in with a password (PLAIN, else LOGIN);
        ``username`` with ``token`` (a callable returning an OAuth 2.0 access token) logs in
        with XOAUTH2 as that mailbox; neither sends without logging in (a relay)."""
        if security not in SECURITY:
            raise ConfigError(f"SMTP security {quoted(security)} must be one of {', '.join(SECURITY)}")
        if password is not None and token is not None:
            raise ConfigError("SMTP takes a password or an OAuth 2.0 token, not both")
        if (username is None) != (password is None and token is None):
            raise ConfigError("SMTP username and password (or token) must be given together")
        if security == "none" and username is not None and not _is_loopback(host):
            raise ConfigError(
                f"refusing to send the SMTP {'token' if token else 'password'} to {host} without TLS",
                hint="set security to 'starttls' or 'tls'",
            )
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.token = token
        self.timeout = timeout
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.clock = clock
        self._login_refused: BackendError | None = None  # the first refusal; never tried again

    @property
    def where(self) -> str:
        return f"SMTP server {self.host}:{self.port}"

    def _login(self, smtp: smtplib.SMTP) -> None:
        """One attempt with one mechanism (smtplib's ``login`` would try each one the server
        offers, each a failed login on the account)."""
        offered = set((smtp.esmtp_features.get("auth") or "").upper().split())
        if self.token is not None:
            if "XOAUTH2" not in offered:
                raise BackendError(
                    f"{self.where} does not offer OAuth 2.0 login (AUTH XOAUTH2)",
                    hint="use smtp.office365.com with smtp_security 'starttls', or smtp_auth 'password' for other providers",
                )
            bearer = self.token()
            first = f"user={self.username}\x01auth=Bearer {bearer}\x01\x01"
            # On a refusal the server sends a 334 with its error; the answer is an empty line.
            smtp.auth("XOAUTH2", lambda challenge=None: first if challenge is None else "", initial_response_ok=True)
            return
        mechanism = next((m for m in ("PLAIN", "LOGIN") if m in offered), None)
        if mechanism is None:
            raise BackendError(
                f"{self.where} offers no password login (AUTH PLAIN or LOGIN) here",
                hint="check smtp_security (most servers offer login only after STARTTLS) or use smtp_auth 'oauth2'",
            )
        smtp.user, smtp.password = self.username, self.password or ""
        smtp.auth(mechanism, getattr(smtp, f"auth_{mechanism.lower()}"), initial_response_ok=True)

    def _connect(self) -> smtplib.SMTP:
        if self.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=self.ssl_context
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            smtp.ehlo()
            if self.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise BackendError(
                        f"SMTP server {self.host}:{self.port} does not offer STARTTLS",
                        hint="use security 'tls' for port 465, or check the server",
                    )
                smtp.starttls(context=self.ssl_context)
                smtp.ehlo()
            if self.username is not None:
                self._login(smtp)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _transaction(
        self, smtp: smtplib.SMTP, sender: str, recipients: list[str], data: bytes
    ) -> None:
        code, resp = smtp.mail(sender)
        if code != 250:
            smtp.rset()
            raise smtplib.SMTPSenderRefused(code, resp, sender)
        refused: list[tuple[str, int]] = []
        for rcpt in recipients:
            code, resp = smtp.rcpt(rcpt)
            if code not in (250, 251):
                refused.append((rcpt, code))
        if refused:
            smtp.rset()
            permanent = [(r, c) for r, c in refused if c >= 500]
            if permanent:
                names = ", ".join(f"{r} ({c})" for r, c in permanent)
                raise MailError(
                    f"SMTP server {self.host} refused recipient {names}; the message was not sent",
                    hint="check the agency's contact address in the config",
                )
            names = ", ".join(f"{r} ({c})" for r, c in refused)
            raise BackendError(f"SMTP server {self.host} deferred recipient {names}; will retry")
        code, resp = smtp.data(data)
        if code != 250:
            raise smtplib.SMTPDataError(code, resp)

    def send(self, mail: OutgoingMail) -> None:
        """Send ``mail`` to its To and Cc recipients, all or none.

        ``MailError``: a bad message, or a recipient the server refuses permanently (5xx).
        ``BackendError``: the server cannot be reached, times out, fails TLS or login, or
        refuses the sender or the message (the SMTP code is in the message)."""
        msg = build_message(mail, date=self.clock())
        data = message_bytes(msg)
        sender = bare_address(mail.sender)
        recipients = list(dict.fromkeys(bare_address(a) for a in (*mail.to, *mail.cc)))
        where = self.where
        if self._login_refused is not None:
            raise BackendError(
                f"{where}: not sent, as the login was refused earlier in this pass (not tried again, "
                "so the account is not locked)",
                hint=self._login_refused.hint,
            )
        try:
            smtp = self._connect()
            try:
                self._transaction(smtp, sender, recipients, data)
            finally:
                try:
                    smtp.quit()
                except (smtplib.SMTPException, OSError):
                    smtp.close()
        except (MailError, BackendError):
            raise
        except smtplib.SMTPAuthenticationError as exc:
            self._login_refused = BackendError(
                f"{where} refused the login of {quoted(self.username)}: {_reply(exc)}",
                hint=(
                    "check the app registration: SMTP.SendAsApp granted, and the app's service principal "
                    "given access to the mailbox in Exchange Online (docs/it-guide.md)"
                    if self.token is not None
                    else "check the SMTP username and password"
                ),
            )
            raise self._login_refused from exc
        except smtplib.SMTPResponseException as exc:
            raise BackendError(f"{where} refused the message: {_reply(exc)}") from exc
        except smtplib.SMTPException as exc:
            raise BackendError(f"{where} failed: {type(exc).__name__}: {exc}") from exc
        except ssl.SSLError as exc:
            raise BackendError(
                f"{where}: TLS failed ({exc.reason or type(exc).__name__})",
                hint="check the server's certificate and the security setting",
            ) from exc
        except TimeoutError as exc:
            raise BackendError(f"{where} timed out after {self.timeout:g} s") from exc
        except OSError as exc:
            raise BackendError(f"{where} cannot be reached: {exc.strerror or exc}") from exc
        log.info("sent %s to %d recipient(s) via %s", mail.message_id, len(recipients), where)


def smtp_ssl_context(ca_bundle: Path | None) -> ssl.SSLContext:
    """The system's trusted CAs, or a board's private CA (``[mail] smtp_ca_bundle``: a PEM file)."""
    if ca_bundle is None:
        return ssl.create_default_context()
    try:
        return ssl.create_default_context(cafile=str(ca_bundle))
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(
            f"mail.smtp_ca_bundle {quoted(ca_bundle)} cannot be read as PEM certificates: {exc}",
            hint="point it at a PEM file holding the CA certificate(s)",
        ) from None


def smtp_mailer(mail, environ: Mapping[str, str], token: Callable[[], str] | None = None) -> SmtpMailer:
    """The ``smtp`` backend of a board's ``[mail]`` settings (``core.settings.MailSettings``).

    ``smtp_auth = "password"``: the login from the environment variables the config names (none
    named: no login, e.g. a relay). ``smtp_auth = "oauth2"``: XOAUTH2 as ``mailbox`` (default the
    from address) with ``token()``, an app-only access token for Exchange Online."""
    context = smtp_ssl_context(mail.smtp_ca_bundle)
    if mail.smtp_auth == "oauth2":
        if token is None:
            raise ConfigError("mail.smtp_auth 'oauth2' needs the [microsoft365] app (tenant_id, client_id, a certificate)")
        return SmtpMailer(mail.smtp_host, mail.smtp_port, security=mail.smtp_security,
                          username=mail.mailbox or mail.sender, token=token, ssl_context=context)
    user = environ.get(mail.smtp_username_env) if mail.smtp_username_env else None
    password = environ.get(mail.smtp_password_env) if mail.smtp_password_env else None
    if mail.smtp_password_env and password is None:
        raise ConfigError(
            f"mail.smtp_password_env names ${mail.smtp_password_env}, which is not set",
            hint="set it in the service's environment",
        )
    if mail.smtp_username_env and user is None:
        raise ConfigError(
            f"mail.smtp_username_env names ${mail.smtp_username_env}, which is not set",
            hint="set it in the service's environment",
        )
    return SmtpMailer(mail.smtp_host, mail.smtp_port, security=mail.smtp_security,
                      username=user, password=password, ssl_context=context)
