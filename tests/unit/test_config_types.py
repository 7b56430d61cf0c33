"""Every configuration key is typed and every table refuses keys it does not know: a wrong type
is a named problem, never a traceback, and never silently read as something else."""

from __future__ import annotations

import pytest

from o365flow.commands.init import CONFIG
from o365flow.configuration.loader import load_config
from o365flow.errors import ConfigError


def _problems(tmp_path, old: str, new: str, extra: str = "") -> str:
    assert old in CONFIG, old
    path = tmp_path / "o365flow.toml"
    path.write_text(CONFIG.replace(old, new, 1) + extra, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return "\n".join(caught.value.problems)


def test_the_shipped_config_loads(tmp_path):
    path = tmp_path / "o365flow.toml"
    path.write_text(CONFIG, encoding="utf-8")
    config = load_config(path)
    assert config.learning_events.start == "10:00" and config.microsoft365.tenant_id == ""


@pytest.mark.parametrize(
    "old,new,key",
    [
        ('path = "state"', "path = 5", "state.path"),
        ('referrals = "Referrals"', 'referrals = ["Referrals"]', "site.referrals"),
        ('reviews = "Reviews"', 'reviews = "../Reviews"', "site.reviews"),
        ("amber_days = 14", "amber_days = true", "reminders.amber_days"),
        ("escalate_after_days = 14", "escalate_after_days = 1.5", "reminders.escalate_after_days"),
        ("days_before = [7, 0]", "days_before = [true]", "reminders.days_before"),
        ('digest_time = "00:00"', "digest_time = 8", "reminders.digest_time"),
        ('name = "Review coordinator"', "name = []", "coordinator.name"),
        ('language = "en"', 'language = ["en"]', "mail.language"),
        ('backend = "local"', "backend = {}", "site.backend"),
        ('code = "DRSB"', "code = 7", "board.code"),
        ('timezone = "Europe/London"', "timezone = 0", "board.timezone"),
        ('start = "10:00"', "start = 10", "learning_events.start"),
        ('group = "safeguarding', 'group = 3\nold = "safeguarding', "access.group"),
        ('folder = "templates"', "folder = false", "templates.folder"),
    ],
)
def test_a_wrong_type_is_named(tmp_path, old, new, key):
    assert f"o365flow.toml: {key}: " in _problems(tmp_path, old, new)


def test_the_string_false_is_not_read_as_true(tmp_path):
    text = _problems(tmp_path, 'code = "EDU"', 'code = "EDU"\nsignoff = "false"')
    assert "agencies[6].signoff: 'false' must be true or false (without quotes)" in text


@pytest.mark.parametrize(
    "old,new,key",
    [
        ("days_before = [7, 0]", "days_before = [7, 0]\nday_before = [1]", "reminders.day_before"),
        ('[board]', 'client_secret = "x"\n[board]', "client_secret"),
        ('[mail]', '[microsoft365]\ncertificate_password = "x"\n\n[mail]', "microsoft365.certificate_password"),
        ('code = "EDU"', 'code = "EDU"\nemail = "x@y.org"', "agencies[6].email"),
        ('[board]', '[boards]\nname = "x"\n\n[board]', "boards"),
        ('start = "10:00"', 'start = "10:00"\nstart_time = "09:00"', "learning_events.start_time"),
        ('path = "state"', 'path = "state"\nkeep = 5', "state.keep"),
    ],
)
def test_an_unknown_key_is_refused_in_every_table(tmp_path, old, new, key):
    assert f"o365flow.toml: {key}: " in _problems(tmp_path, old, new)


def test_secrets_are_refused_without_echoing_them(tmp_path):
    text = _problems(tmp_path, "[board]", 'client_secret = "s3cret"\n[board]', '\n[microsoft365]\ncertificate_password = "hunter2"\n')
    assert "secrets never go in the config" in text
    assert "s3cret" not in text and "hunter2" not in text


def test_a_refused_value_is_echoed_on_one_line(tmp_path):
    text = _problems(
        tmp_path,
        'contact = "safeguarding.reviews@council.example.org"',
        'contact = "x@y.org\\nBcc: evil@evil.example"',
    )
    line = next(p for p in text.splitlines() if "agencies[1].contact" in p)
    assert "\\u000a" in line and "Bcc" in line
    assert all("Bcc" not in other for other in text.splitlines() if other is not line)


def test_a_bidi_override_in_a_value_is_escaped(tmp_path):
    text = _problems(tmp_path, 'name = "Dyffryn Police"', 'name = "Dyffryn \u202ePolice"')
    assert "\u202e" not in text and "\\u202e" in text


def test_a_bad_register_path_is_named(tmp_path):
    assert "site.register" in _problems(
        tmp_path, 'register = "Register/Practice Review Register.xlsx"', 'register = "../../etc/passwd.xlsx"')


def test_microsoft365_is_typed_settings(tmp_path):
    path = tmp_path / "o365flow.toml"
    path.write_text(
        CONFIG.replace('backend = "local"', 'backend = "sharepoint"', 1)
        + '\n[microsoft365]\ntenant_id = "t"\nclient_id = "c"\nsite_url = "https://x.sharepoint.com/sites/s"\n'
        'certificate_path = "app.pem"\nca_bundle = "ca.pem"\n',
        encoding="utf-8",
    )
    m = load_config(path).microsoft365
    assert (m.tenant_id, m.client_id, m.certificate_path, m.ca_bundle) == (
        "t", "c", tmp_path.resolve() / "app.pem", tmp_path.resolve() / "ca.pem")
    assert m.graph_url == "https://graph.microsoft.com"


def test_microsoft365_wrong_types_are_named_not_tracebacks(tmp_path):
    text = _problems(
        tmp_path, 'backend = "local"', 'backend = "sharepoint"',
        "\n[microsoft365]\ntenant_id = 5\nclient_id = []\nsite_url = \"http://x\"\ncertificate_path = 1\n",
    )
    for key in ("tenant_id", "client_id", "site_url", "certificate_path"):
        assert f"microsoft365.{key}: " in text, key


def test_a_table_that_is_not_a_table_is_named(tmp_path):
    path = tmp_path / "o365flow.toml"
    path.write_text('state = "here"\n' + CONFIG.replace('[state]\npath = "state"', ""), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    text = "\n".join(caught.value.problems)
    assert "o365flow.toml: state: must be a table" in text


def test_agencies_that_are_not_tables_are_named(tmp_path):
    path = tmp_path / "o365flow.toml"
    head = CONFIG.split("[[agencies]]")[0]
    path.write_text("agencies = [1, 2]\n" + head, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert any("agencies[1]: must be a table" in p for p in caught.value.problems)
