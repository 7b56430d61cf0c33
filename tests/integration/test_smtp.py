"""SmtpMailer against a real SMTP server (aiosmtpd) on 127.0.0.1: plain, STARTTLS, TLS, AUTH."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from o365flow.errors import BackendError, ConfigError, MailError
from o365flow.mail.base import Mailer, OutgoingMail
from o365flow.mail.smtp import SmtpMailer

NOW = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)
USER, PASSWORD = "reviews@nwsb.example", "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def tls(tmp_path_factory) -> tuple[ssl.SSLContext, ssl.SSLContext, Path]:
    return make_tls(tmp_path_factory)


def make_tls(tmp_path_factory) -> tuple[ssl.SSLContext, ssl.SSLContext, Path]:
    """A throwaway self-signed certificate: (server context, client context that trusts it, the
    certificate's PEM file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    (folder / "cert.pem").write_bytes(cert_pem)
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    client = ssl.create_default_context(cadata=cert_pem.decode())
    return server, client, folder / "cert.pem"


class Recorder:
    """An aiosmtpd handler that keeps what it receives and refuses some recipients."""

    def __init__(self):
        self.received: list[tuple[str, list[str], bytes]] = []
        self.logins: list[tuple[str, str]] = []
        self.reject_data = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("unknown"):
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        if address.startswith("busy"):
            return "452 4.2.2 mailbox full, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.reject_data:
            return "554 5.7.1 message rejected by policy"
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 queued"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode()
        ok = login == USER and auth_data.password.decode() == PASSWORD
        self.logins.append((mechanism, login))
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


def start(recorder: Recorder, **kwargs) -> Controller:
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    return controller


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def plain_server(recorder):
    controller = start(recorder)
    yield controller
    controller.stop()


def start_smtps(recorder: Recorder, tls, **kwargs) -> Controller:
    # aiosmtpd only counts STARTTLS as TLS for AUTH; on implicit TLS the whole session is TLS.
    return start(recorder, ssl_context=tls[0], authenticator=recorder.authenticate,
                 auth_require_tls=False, **kwargs)


@pytest.fixture
def tls_server(recorder, tls):
    controller = start_smtps(recorder, tls)
    yield controller
    controller.stop()


def _mail(**changes) -> OutgoingMail:
    fields = {
        "message_id": "<signoff.NWSB-CPR-2026-001.BCUHB@nwsb.example>",
        "sender": "North Wales Safeguarding Board <reviews@nwsb.example>",
        "to": ("signoff@bcuhb.example",),
        "cc": ("Coordinator <coordinator@nwsb.example>",),
        "subject": "[NWSB-CPR-2026-001] Action plan sign-off requested – Child Practice Review",
        "text": "Annwyl gydweithiwr / Dear colleague – ŵ ŷ\n",
        "html": "<p>Dear colleague</p>",
    }
    return OutgoingMail(**{**fields, **changes})


def _mailer(controller: Controller, **kwargs) -> SmtpMailer:
    kwargs.setdefault("security", "none")
    return SmtpMailer(controller.hostname, controller.port, timeout=5, clock=lambda: NOW, **kwargs)


def _check_received(recorder: Recorder, mail: OutgoingMail) -> None:
    assert len(recorder.received) == 1
    mail_from, rcpt_tos, content = recorder.received[0]
    assert mail_from == "reviews@nwsb.example"
    assert rcpt_tos == ["signoff@bcuhb.example", "coordinator@nwsb.example"]
    msg = email.message_from_bytes(content, policy=email.policy.default)
    assert msg["Message-ID"] == mail.message_id
    assert str(msg["Subject"]) == mail.subject
    assert msg["Date"].datetime == NOW
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["X-O365flow"] == "1"
    assert "Bcc" not in msg
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == mail.text


def test_is_a_mailer(plain_server):
    assert isinstance(_mailer(plain_server), Mailer)


def test_plain(plain_server, recorder):
    mail = _mail()
    _mailer(plain_server).send(mail)
    _check_received(recorder, mail)


def test_starttls_with_auth_plain(recorder, tls):
    controller = start(
        recorder,
        tls_context=tls[0],
        require_starttls=True,
        authenticator=recorder.authenticate,
        auth_require_tls=True,  # AUTH is offered only after STARTTLS
        auth_exclude_mechanism=["LOGIN"],
    )
    mail = _mail()
    try:
        _mailer(controller, security="starttls", ssl_context=tls[1], username=USER,
                password=PASSWORD).send(mail)
    finally:
        controller.stop()
    _check_received(recorder, mail)
    assert recorder.logins == [("PLAIN", USER)]


def test_implicit_tls_with_auth_login(tls, recorder):
    controller = start_smtps(recorder, tls, auth_exclude_mechanism=["PLAIN"])
    try:
        mail = _mail()
        _mailer(controller, security="tls", ssl_context=tls[1], username=USER,
                password=PASSWORD).send(mail)
    finally:
        controller.stop()
    _check_received(recorder, mail)
    assert recorder.logins == [("LOGIN", USER)]


def test_starttls_without_auth(tls, recorder):
    controller = start(recorder, tls_context=tls[0], require_starttls=True)
    try:
        _mailer(controller, security="starttls", ssl_context=tls[1]).send(_mail())
    finally:
        controller.stop()
    assert len(recorder.received) == 1


def test_wrong_password_is_a_backend_error(tls_server, recorder, tls):
    mailer = _mailer(tls_server, security="tls", ssl_context=tls[1], username=USER, password="wrong")
    with pytest.raises(BackendError, match="535") as info:
        mailer.send(_mail())
    assert "wrong" not in str(info.value)
    assert recorder.received == []


def test_untrusted_certificate_is_a_backend_error(tls_server, recorder):
    with pytest.raises(BackendError, match="TLS"):
        _mailer(tls_server, security="tls").send(_mail())  # default trust store
    assert recorder.received == []


def test_server_without_starttls_is_refused_not_sent_in_clear(plain_server, recorder, tls):
    with pytest.raises(BackendError, match="STARTTLS"):
        _mailer(plain_server, security="starttls", ssl_context=tls[1]).send(_mail())
    assert recorder.received == []


def test_refused_recipient_is_a_mail_error_and_nobody_gets_it(plain_server, recorder):
    mail = _mail(to=("signoff@bcuhb.example", "unknown@nwp.example"))
    with pytest.raises(MailError, match="unknown@nwp.example") as info:
        _mailer(plain_server).send(mail)
    assert "550" in str(info.value)
    assert "signoff@bcuhb.example" not in str(info.value)
    assert recorder.received == []


def test_deferred_recipient_is_a_backend_error(plain_server, recorder):
    with pytest.raises(BackendError, match="452"):
        _mailer(plain_server).send(_mail(to=("busy@bcuhb.example",)))
    assert recorder.received == []


def test_message_refused_at_data_is_a_backend_error_with_code(plain_server, recorder):
    recorder.reject_data = True
    with pytest.raises(BackendError, match="554"):
        _mailer(plain_server).send(_mail())


def test_bad_message_is_refused_before_connecting():
    mailer = SmtpMailer("127.0.0.1", free_port(), security="none", timeout=1)
    with pytest.raises(MailError):
        mailer.send(_mail(subject="x\r\nBcc: evil@attacker.example"))


def test_server_down_is_a_backend_error():
    mailer = SmtpMailer("127.0.0.1", free_port(), security="none", timeout=2)
    with pytest.raises(BackendError, match="cannot be reached"):
        mailer.send(_mail())


def test_silent_server_times_out_as_backend_error():
    with socket.socket() as listener:  # accepts the connection, never greets
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        mailer = SmtpMailer("127.0.0.1", listener.getsockname()[1], security="none", timeout=0.5)
        with pytest.raises(BackendError, match="timed out"):
            mailer.send(_mail())


def test_same_message_id_on_a_resend(plain_server, recorder):
    mailer = _mailer(plain_server)
    mailer.send(_mail())
    mailer.send(_mail())  # the one window: killed after the server accepted, before recording
    ids = [email.message_from_bytes(c, policy=email.policy.default)["Message-ID"]
           for _, _, c in recorder.received]
    assert ids == [_mail().message_id] * 2


@pytest.mark.parametrize(
    "kwargs",
    [
        {"security": "ssl"},
        {"username": USER},
        {"security": "none", "username": USER, "password": PASSWORD, "host": "smtp.nwsb.example"},
    ],
)
def test_bad_settings_are_config_errors(kwargs):
    host = kwargs.pop("host", "127.0.0.1")
    with pytest.raises(ConfigError):
        SmtpMailer(host, 25, **kwargs)


def test_password_without_tls_is_allowed_to_loopback(recorder):
    # a relay on this host (e.g. a local submission agent) is trusted without TLS
    controller = start(recorder, authenticator=recorder.authenticate, auth_require_tls=False)
    try:
        _mailer(controller, username=USER, password=PASSWORD).send(_mail())
    finally:
        controller.stop()
    assert len(recorder.received) == 1
    SmtpMailer("localhost", 25, security="none", username=USER, password=PASSWORD)
