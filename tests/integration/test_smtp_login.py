"""SMTP login as a board's mail server sees it: OAuth 2.0 (XOAUTH2) with an app-only token from
the Microsoft 365 stand-in's token endpoint, checked by a real SMTP server on loopback; one
login attempt per pass, however many messages fail; a board's private CA; the sender's name."""

from __future__ import annotations

import base64
import email
import email.policy
import time

import pytest
from aiosmtpd.smtp import AuthResult

from o365flow.configuration.loader import load_config
from o365flow.errors import BackendError, ConfigError
from o365flow.mail.smtp import SmtpMailer, smtp_mailer, smtp_ssl_context
from o365flow.worker.services import make_mailer
from tests.integration.test_smtp import NOW, PASSWORD, USER, Recorder, _mail, make_tls, start, start_smtps

BOARD = "safeguarding.board@contoso.gov.uk"


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    return make_tls(tmp_path_factory)


class OAuthRecorder(Recorder):
    """Also offers AUTH XOAUTH2, and takes only a live token the stand-in issued, for the board's
    mailbox: what Exchange Online does with an app-only token."""

    def __init__(self, m365):
        super().__init__()
        self.m365 = m365
        self.attempts: list[tuple[str, str]] = []  # (mechanism, user)

    async def auth_XOAUTH2(self, server, args):
        blob = args[1] if len(args) > 1 else (await server.challenge_auth("")).decode()
        fields = dict(
            part.split("=", 1) for part in base64.b64decode(blob).decode().split("\x01") if "=" in part
        )
        user, bearer = fields.get("user", ""), fields.get("auth", "").removeprefix("Bearer ")
        self.attempts.append(("XOAUTH2", user))
        live = self.m365.auth.tokens.get(bearer, 0) > time.time()
        return AuthResult(success=live and user == BOARD, handled=False)

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.attempts.append((mechanism, auth_data.login.decode()))
        return super().authenticate(server, session, envelope, mechanism, auth_data)


@pytest.fixture
def oauth_server(m365, tls):
    recorder = OAuthRecorder(m365)
    controller = start(recorder, tls_context=tls[0], require_starttls=True, authenticator=recorder.authenticate)
    yield controller, recorder
    controller.stop()


def _config(tmp_path, m365, controller, tls, **mail) -> object:
    lines = {
        "backend": '"smtp"', "from": f'"Dyffryn Safeguarding Board <{BOARD}>"',
        "smtp_host": f'"{controller.hostname}"', "smtp_port": str(controller.port),
        "smtp_security": '"starttls"', "smtp_ca_bundle": f'"{tls[2]}"', **mail,
    }
    text = f"""
[board]
name = "Dyffryn Safeguarding Board"
code = "DRSB"
[coordinator]
email = "coordinator@contoso.gov.uk"
[[agencies]]
code = "POLICE"
name = "Dyffryn Police"
contact = "public.protection@police.example.org"
[microsoft365]
tenant_id = "{m365.tenant_id}"
client_id = "{m365.client_id}"
certificate_path = "{m365.pki.client_pem}"
authority_url = "{m365.base_url}"
ca_bundle = "{m365.pki.ca_path}"
[mail]
""" + "".join(f"{k} = {v}\n" for k, v in lines.items())
    path = tmp_path / "o365flow.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_xoauth2_with_an_app_token_from_the_config(m365, oauth_server, tls, tmp_path):
    controller, recorder = oauth_server
    config = _config(tmp_path, m365, controller, tls, smtp_auth='"oauth2"')
    assert config.mail.smtp_auth == "oauth2" and config.mail.sender == BOARD
    mailer = make_mailer(config, clock=lambda: NOW)
    mailer.send(_mail(sender=config.mail.from_header))
    assert recorder.attempts == [("XOAUTH2", BOARD)]
    assert len(m365.requests("POST", "/oauth2/v2.0/token")) == 1  # a real token from the endpoint
    mail_from, _, content = recorder.received[0]
    assert mail_from == BOARD
    msg = email.message_from_bytes(content, policy=email.policy.default)
    assert msg["From"].addresses[0].display_name == "Dyffryn Safeguarding Board"  # agencies see the name


def test_a_refused_token_is_one_attempt_per_pass(m365, oauth_server, tls, tmp_path):
    controller, recorder = oauth_server
    config = _config(tmp_path, m365, controller, tls, smtp_auth='"oauth2"')
    mailer = smtp_mailer(config.mail, {}, token=lambda: "not-a-token-the-tenant-issued")
    for _ in range(5):
        with pytest.raises(BackendError) as info:
            mailer.send(_mail())
        assert "SMTP.SendAsApp" in str(info.value)
    assert recorder.attempts == [("XOAUTH2", BOARD)]
    assert recorder.received == []


def test_a_wrong_password_is_one_login_for_the_whole_pass(m365, oauth_server, tls):
    controller, recorder = oauth_server
    mailer = SmtpMailer(controller.hostname, controller.port, security="starttls", ssl_context=tls[1],
                        username=USER, password="wrong", timeout=5, clock=lambda: NOW)
    first = None
    for _ in range(7):  # e.g. seven messages in one pass
        with pytest.raises(BackendError) as info:
            mailer.send(_mail())
        first = first or str(info.value)
        assert "wrong" not in str(info.value)
    assert "535" in first and "refused earlier in this pass" in str(info.value)
    assert len(recorder.attempts) == 1  # one mechanism, once: smtplib's login would try each offered
    right = SmtpMailer(controller.hostname, controller.port, security="starttls", ssl_context=tls[1],
                       username=USER, password=PASSWORD, timeout=5, clock=lambda: NOW)
    right.send(_mail())  # the next pass (a new mailer) logs in afresh
    assert len(recorder.received) == 1


def test_password_smtp_from_the_environment_with_a_private_ca(m365, tls, tmp_path):
    recorder = OAuthRecorder(m365)
    controller = start_smtps(recorder, tls)
    try:
        config = _config(tmp_path, m365, controller, tls, smtp_security='"tls"',
                         smtp_username_env='"BOARD_SMTP_USER"', smtp_password_env='"BOARD_SMTP_PASSWORD"')
        smtp_mailer(config.mail, {"BOARD_SMTP_USER": USER, "BOARD_SMTP_PASSWORD": PASSWORD}).send(_mail())
        assert len(recorder.received) == 1 and recorder.attempts == [("PLAIN", USER)]
        with pytest.raises(ConfigError, match="BOARD_SMTP_PASSWORD"):
            smtp_mailer(config.mail, {"BOARD_SMTP_USER": USER})
    finally:
        controller.stop()


def test_the_ca_bundle_must_be_readable(tmp_path):
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate")
    with pytest.raises(ConfigError, match="smtp_ca_bundle"):
        smtp_ssl_context(bad)


def test_config_names_bad_mail_keys(m365, oauth_server, tls, tmp_path):
    controller, _ = oauth_server
    with pytest.raises(ConfigError) as info:
        _config(tmp_path, m365, controller, tls, smtp_auth='"basic"', smtp_oauth_resource='"outlook"')
    text = "\n".join(info.value.problems)
    assert "mail.smtp_auth" in text and "mail.smtp_oauth_resource" in text
    with pytest.raises(ConfigError) as info:
        _config(tmp_path, m365, controller, tls, **{"from": '"Board <x@y\\nBcc: evil@evil.example>"'})
    assert all("\n" not in p for p in info.value.problems)
    assert any("mail.from" in p and "\\n" in p for p in info.value.problems)
