"""The [mail] table: every bad key named with its fix, the Graph backend's own keys and the
sign-in keys it needs from [microsoft365]."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from o365flow.configuration.loader import MAIL_KEYS, load_config
from o365flow.errors import ConfigError

BASE = """
[board]
name = "Dyffryn Safeguarding Board"
code = "DRSB"
[coordinator]
email = "coordinator@contoso.gov.uk"
[[agencies]]
code = "POLICE"
name = "Dyffryn Police"
contact = "public.protection@police.example.org"
"""
APP = """
[microsoft365]
tenant_id = "contoso-tenant"
client_id = "app-client-id"
client_secret_env = "O365FLOW_CLIENT_SECRET"
"""


def _load(tmp_path: Path, mail: str, app: str = APP):
    path = tmp_path / "o365flow.toml"
    path.write_text(BASE + app + "[mail]\n" + mail, encoding="utf-8")
    return load_config(path)


def _problems(tmp_path: Path, mail: str, app: str = APP) -> str:
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, mail, app)
    return "\n".join(caught.value.problems)


def test_defaults_are_the_outbox(tmp_path):
    mail = _load(tmp_path, 'from = "board@contoso.gov.uk"\n').mail
    assert (mail.backend, mail.mailbox, mail.processed_category, mail.mark_read, mail.read_since) == (
        "outbox", "board@contoso.gov.uk", "o365flow processed", False, None)


def test_graph_keys(tmp_path):
    mail = _load(
        tmp_path,
        'backend = "graph"\nfrom = "board@contoso.gov.uk"\nmailbox = "Safeguarding.Board@contoso.gov.uk"\n'
        'processed_category = "Done"\nmark_read = true\nread_since = "01/04/2026"\n',
    ).mail
    assert (mail.backend, mail.mailbox, mail.processed_category, mail.mark_read) == (
        "graph", "safeguarding.board@contoso.gov.uk", "Done", True)
    assert mail.read_since.isoformat() == "2026-04-01"


def test_bad_mail_keys_are_each_named(tmp_path):
    text = _problems(
        tmp_path,
        'backend = "exchange"\nfrom = "board@contoso.gov.uk"\nmailbx = "x"\nmailbox = "not an address"\n'
        'mark_read = "yes"\nprocessed_category = ""\nsmtp_security = "ssl"\nread_since = "someday"\n'
        'smtp_port = 70000\n',
    )
    for key in ("mail.backend", "mail.mailbx", "mail.mailbox", "mail.mark_read", "mail.processed_category",
                "mail.smtp_security", "mail.read_since", "mail.smtp_port"):
        assert re.search(rf"o365flow.toml: {re.escape(key)}: ", text), key
    assert "'exchange' must be 'outbox', 'smtp' or 'graph'" in text
    assert f"the keys are {', '.join(MAIL_KEYS)}" in text


def test_smtp_needs_a_host(tmp_path):
    assert "mail.smtp_host: is required when mail.backend is 'smtp'" in _problems(
        tmp_path, 'backend = "smtp"\nfrom = "board@contoso.gov.uk"\n')


def test_graph_mail_needs_the_app_registration(tmp_path):
    text = _problems(tmp_path, 'backend = "graph"\nfrom = "board@contoso.gov.uk"\n', app="")
    assert "microsoft365.tenant_id: is required when mail.backend is 'graph'" in text
    assert "microsoft365.client_id: is required when mail.backend is 'graph'" in text
    assert "certificate_path" in text
