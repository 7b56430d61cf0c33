"""A whole pass over the in-memory site and mail: the worker, gather and apply run as on any
backend, with no folder on disk, no server and no network, in a fraction of a second."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo
from pathlib import Path

import pytest
from click.testing import CliRunner

from o365flow.cli import cli
from o365flow.configuration.loader import load_config
from o365flow.configuration.workflows import load_workflows
from o365flow.mail.memory import MemoryInbox, MemoryMailer
from o365flow.storage.memory import MemoryStorage
from o365flow.worker.run import run_pass
from o365flow.worker.services import Services

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def svc(tmp_path) -> Services:
    """The demo board's config; its site's files moved into memory."""
    root = tmp_path / "board"
    assert CliRunner().invoke(cli, ["init", str(root), "--demo"]).exit_code == 0
    config = load_config(root / "o365flow.toml")
    storage = MemoryStorage(("Referrals", "Reviews", "Register"))
    site = Path(config.site_path)
    for path in sorted(site.rglob("*")):
        if path.is_file():
            library, rel = path.relative_to(site).as_posix().split("/", 1)
            storage.write(library, rel, path.read_bytes())
            path.unlink()
    return Services(config, load_workflows(config.workflows_dir), storage, MemoryMailer(lambda: NOW), MemoryInbox())


def _changes(storage: MemoryStorage) -> list:
    return [entry for entry in storage.log if entry[0] in ("write", "make_folder", "delete", "restrict_access")]


def test_a_first_pass_registers_the_referrals_in_memory(svc):
    report = run_pass(svc, NOW)
    assert not report.failed, report.failed
    assert len([line for line in report.done if line.startswith("register referral")]) == 4
    register = svc.storage.stat(svc.config.register_library, svc.config.register_path)
    assert register is not None and register.size > 0
    assert not list(Path(svc.config.site_path).rglob("*.xlsx"))  # nothing reached the disk


def test_a_second_pass_changes_nothing(svc):
    run_pass(svc, NOW)
    svc.storage.log.clear()
    sent = len(svc.mailer.sent)
    report = run_pass(svc, NOW)
    assert report.done == [] and not report.failed
    assert _changes(svc.storage) == [] and len(svc.mailer.sent) == sent


def test_a_register_open_elsewhere_is_left_for_the_next_pass(svc):
    """The in-memory site, like the local one, has no WorkbookEditor: a register someone holds
    open is reported and written once it is closed."""
    run_pass(svc, NOW)
    svc.storage.lock(svc.config.register_library, svc.config.register_path)
    svc.storage.write("Referrals", "Referral 2026-05.docx", svc.storage.read("Referrals", "Referral 2026-01 (child, council).docx"))
    report = run_pass(svc, NOW)
    assert any("open and could not be replaced" in line for line in report.failed), report.failed
    svc.storage.lock(svc.config.register_library, svc.config.register_path, locked=False)
    assert not run_pass(svc, NOW).failed
