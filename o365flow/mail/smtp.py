"""Send through a mail server with smtplib (Exchange Online, a relay, or any SMTP server).

A message goes to every recipient or to none: each recipient is offered (RCPT) before the body
is sent, and if the server refuses one the transaction is reset. Otherwise a retry after a
partial refusal would send the message twice to the recipients that accepted it.
Nothing here logs a message body or subject.
"""

from __future__ import annotations

import ipaddress
import logging
import smtplib
import socket
import ssl
from datetime import datetime
from typing import Callable

from o365flow.errors import BackendError, ConfigError, MailError
from o365flow.mail.base import OutgoingMail
from o365flow.mail.compose import bare_address, build_message, message_bytes

log = logging.getLogger(__name__)

SECURITY = ("starttls", "tls", "none")


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
        timeout: float = 30,
        ssl_context: ssl.SSLContext | None = None,
        clock: Callable[[], datetime] = _local_now,
    ):
        if security not in SECURITY:
            raise ConfigError(f"SMTP security '{security}' must be one of {', '.join(SECURITY)}")
        if (username is None) != (password is None):
            raise ConfigError("SMTP username and password must be given together")
        if security == "none" and username is not None and not _is_loopback(host):
            raise ConfigError(
                f"refusing to send the SMTP password to {host} without TLS",
                hint="set security to 'starttls' or 'tls'",
            )
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.timeout = timeout
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.clock = clock

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
                smtp.login(self.username, self.password or "")
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
        where = f"SMTP server {self.host}:{self.port}"
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
            raise BackendError(
                f"{where} refused the login: {_reply(exc)}",
                hint="check the SMTP username and password",
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise BackendError(f"{where} refused the message: {_reply(exc)}") from exc
        except smtplib.SMTPException as exc:
            raise BackendError(f"{where} failed: {type(exc).__name__}: {exc}") from exc
        except ssl.SSLError as exc:
            raise BackendError(
                f"{where}: TLS failed ({exc.reason or type(exc).__name__})",
                hint="check the server's certificate and the security setting",
            ) from exc
        except (socket.timeout, TimeoutError) as exc:
            raise BackendError(f"{where} timed out after {self.timeout:g} s") from exc
        except OSError as exc:
            raise BackendError(f"{where} cannot be reached: {exc.strerror or exc}") from exc
        log.info("sent %s to %d recipient(s) via %s", mail.message_id, len(recipients), where)
