"""The CLI's edge: every failure is one line with the documented exit code and no traceback;
global options after the command; JSON logs a collector can parse; a new board's placeholders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from o365flow.cli import cli

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = [
    ["check"],
    ["plan", "--now", "2026-03-03"],
    ["run", "--now", "2026-03-03"],
    ["status", "--now", "2026-03-03"],
    ["status", "--json", "--now", "2026-03-03"],
    ["check-report", "DRSB-CPR-2026-001"],
]


def _break(board, kind: str) -> None:
    config = board.root / "o365flow.toml"
    text = config.read_text()
    if kind == "missing config":
        config.unlink()
    elif kind == "wrong type":
        config.write_text(text.replace('path = "state"', "path = 5", 1))
    elif kind == "not TOML":
        config.write_text(text + "\n[[[\n")
    elif kind == "not UTF-8":
        config.write_bytes(text.encode() + b"\n# \xff\xfe\n")
    elif kind == "forged line":
        config.write_text(text.replace('email = "review.coordinator@board.example.org"',
                                       'email = "x@y\\nBcc: evil@evil.example"', 1))
    elif kind == "unreadable register":
        board.register.write_bytes(b"this is not a workbook")
    elif kind == "missing certificate":
        config.write_text(text.replace('backend = "outbox"', 'backend = "graph"', 1) + (
            '\n[microsoft365]\ntenant_id = "contoso"\nclient_id = "app"\n'
            'certificate_path = "no-such-certificate.pem"\n'
            'graph_url = "https://127.0.0.1:9"\nauthority_url = "https://127.0.0.1:9"\n'))
    elif kind == "state is a file":
        (board.root / "state.txt").write_text("")
        config.write_text(text.replace('path = "state"', 'path = "state.txt"', 1))
    else:  # pragma: no cover
        raise AssertionError(kind)


KINDS = ["missing config", "wrong type", "not TOML", "not UTF-8", "forged line", "unreadable register",
         "state is a file", "missing certificate"]
CONFIG_KINDS = ("missing config", "wrong type", "not TOML", "not UTF-8", "forged line")


@pytest.mark.parametrize("kind", KINDS)
def test_every_command_with_broken_input_fails_in_one_line(board, kind):
    board.run("2026-03-02")
    _break(board, kind)
    for args in COMMANDS:
        result = board.cli(*args)
        where = f"{kind}: {' '.join(args)}"
        assert "Traceback" not in result.output, where
        assert result.exception is None or isinstance(result.exception, SystemExit), where
        assert "evil@evil.example\n" not in result.output and "\nBcc:" not in result.output, where
        if kind in CONFIG_KINDS:
            # A config error: check lists it and exits 1; every other command exits 2.
            assert result.exit_code == (1 if args == ["check"] else 2), (where, result.output)
        elif kind == "missing certificate":  # found when the app first signs in
            assert result.exit_code in (0, 1, 2), (where, result.output)
            if args[0] in ("plan", "run"):
                assert result.exit_code == 2 and "no-such-certificate.pem" in result.stderr, (where, result.output)
        elif kind == "unreadable register":
            # a pass fails (exit 1) naming the file; the read-only commands show the last values read
            assert result.exit_code in (0, 1, 2), (where, result.output)
            if args[0] == "run":
                assert result.exit_code == 1 and "Practice Review Register.xlsx" in result.output, where
        else:
            # a pass cannot run at all (exit 3); check lists the problem; the dry run and status,
            # which write nothing, work from a store in memory
            assert result.exit_code in (0, 1, 2, 3), (where, result.output)
            if args[0] == "run":
                assert result.exit_code == 3, (where, result.output)
        if result.exit_code:
            assert result.stderr.strip(), where
    if kind in CONFIG_KINDS:  # watch stops at once: there is nothing it could run
        result = board.cli("watch", "--interval", "1s")
        assert result.exit_code == 2 and "Traceback" not in result.output, (kind, result.output)


def test_a_forged_line_is_shown_escaped(board):
    _break(board, "forged line")
    result = board.cli("check")
    assert "coordinator.email: 'x@y\\nBcc: evil@evil.example'" in result.stderr
    assert not any(line.startswith("Bcc:") for line in result.output.splitlines())


def test_bad_now_and_bad_options_are_usage_errors(board):
    for args in (["run", "--now", "next tuesday"], ["plan", "--now", "2026-13-45"], ["status", "--now", "soon"],
                 ["status", "--no-such-option"],
                 ["watch", "--interval", "soon"], ["no-such-command"], ["run", "-v", "-q"]):
        result = board.cli(*args)
        assert result.exit_code == 2 and "Traceback" not in result.output, (args, result.output)


def test_an_unknown_reference_is_a_usage_error(board):
    board.run("2026-03-02")
    result = board.cli("check-report", "DRSB-CPR-2099-999")
    assert result.exit_code == 2 and "DRSB-CPR-2099-999" in result.stderr


def test_global_options_after_the_command(board):
    board.run("2026-03-02")
    before = CliRunner().invoke(cli, ["--config", str(board.root / "o365flow.toml"), "--json", "status", "--now", "2026-03-03"])
    after = board.cli("status", "--now", "2026-03-03", "--json")
    assert before.exit_code == after.exit_code == 0 and json.loads(before.stdout) == json.loads(after.stdout)
    quiet = board.cli("run", "--now", "2026-03-04", "-q")
    assert quiet.exit_code == 0 and quiet.stdout == ""
    logged = board.cli("plan", "--now", "2026-03-04", "--log-format", "json", "-v")
    assert logged.exit_code == 0


def test_help_lists_the_exit_codes():
    for args in ([], ["run"], ["check"]):
        text = CliRunner().invoke(cli, [*args, "--help"]).output
        for line in ("0  all done", "1  the pass finished", "2  usage or configuration error", "3  could not run at all"):
            assert line in text, (args, text)


def test_run_and_plan_json_are_one_document(board):
    planned = board.cli("plan", "--now", "2026-03-02", "--json")
    doc = json.loads(planned.stdout)
    assert {a["action"] for a in doc["actions"]} >= {"RegisterCase"} and doc["now"].startswith("2026-03-02T00:00")
    ran = board.cli("run", "--now", "2026-03-02", "--json")
    summary = json.loads(ran.stdout)
    assert ran.exit_code == summary["exit_code"] == 0
    assert any("DRSB-CPR-2026-001" in line for line in summary["done"])


def _json_lines(text: str) -> list[dict]:
    entries = []
    for line in text.splitlines():
        entry = json.loads(line)  # every stderr line is JSON, or this fails
        assert {"time", "level", "pass", "event", "message"} <= entry.keys(), line
        stamp = datetime.fromisoformat(entry["time"])
        assert stamp.utcoffset() is not None, line
        entries.append(entry)
    return entries


def test_json_log_journey_every_stderr_line_is_json(board):
    """A journey with a warning, a bad form, a failed action and a config error, in JSON mode."""
    bad_form = board.root / "site" / "Referrals" / "notes.docx"
    bad_form.write_bytes(b"this is not a word document")
    lines: list[dict] = []
    first = board.cli("--log-format", "json", "-v", "run", "--now", "2026-03-02")
    assert first.exit_code == 1
    lines += _json_lines(first.stderr)
    assert any(e["level"] == "error" and e["event"] == "plan.problem" or e["event"] == "action.failed" for e in lines)
    assert any(e["level"] == "info" for e in lines)  # -v: the actions done
    # A failed action (the outbox cannot be written) is an error line, not info.
    board.set_case("DRSB-CPR-2026-001", Decision="Concise review", Decision_date="02/03/2026",
                   Final_report_date="03/03/2026")
    outbox = board.root / "mail" / "outbox"
    for item in outbox.iterdir():
        item.unlink()
    outbox.rmdir()
    outbox.write_text("in the way")
    second = board.cli("run", "--now", "2026-03-04", "--log-format", "json")
    assert second.exit_code == 1
    failed = [e for e in _json_lines(second.stderr) if e["event"] == "action.failed"]
    assert failed and all(e["level"] == "error" for e in failed)
    assert len({e["pass"] for e in _json_lines(second.stderr)}) == 1
    # Usage and config errors too.
    lines += _json_lines(board.cli("run", "--now", "whenever", "--log-format", "json").stderr)
    (board.root / "o365flow.toml").write_text("[board\n")
    for args in (["run"], ["check"], ["status"]):
        result = board.cli(*args, "--log-format", "json")
        assert result.exit_code in (1, 2)
        lines += _json_lines(result.stderr)
    assert lines


def test_init_without_demo_writes_placeholders_that_check_refuses(tmp_path):
    runner = CliRunner()
    made = runner.invoke(cli, ["init", str(tmp_path / "board")])
    assert made.exit_code == 0 and "FILL IN" in made.stdout
    config = tmp_path / "board" / "o365flow.toml"
    checked = runner.invoke(cli, ["--config", str(config), "check"])
    assert checked.exit_code == 1
    for key in ("board.name", "board.code", "coordinator.email", "mail.from", "access.group",
                "agencies[1].code", "agencies[1].contact", "agencies[1].domains[1]"):
        assert f"{key}: still the placeholder" in checked.stderr, key
    assert runner.invoke(cli, ["--config", str(config), "run"]).exit_code == 2
    # Filled in, it passes.
    text = config.read_text()
    for placeholder, value in (
        ("FILL IN: the board's name, e.g. Dyffryn Regional Safeguarding Board", "Gwent Safeguarding Board"),
        ("FILL IN: 2-12 capitals, the first part of every reference, e.g. DRSB", "GWSB"),
        ("FILL IN: the first line of the board's letterhead address", "Civic Centre"),
        ("FILL IN: the review coordinator's name or role", "Review coordinator"),
        ("FILL IN: the coordinator's e-mail address (gets the daily digest)", "reviews@gwent.example.org"),
        ("FILL IN: the board's mail address, e.g. Board name <safeguarding.board@board.example.org>",
         "Gwent Safeguarding Board <board@gwent.example.org>"),
        ("FILL IN: where learning events are held (or 'Microsoft Teams')", "Microsoft Teams"),
        ("FILL IN: the business unit's group address (always has access to case folders)", "unit@gwent.example.org"),
        ("FILL IN: a short code in capitals, e.g. POLICE", "POLICE"),
        ("FILL IN: the agency's name", "Gwent Police"),
        ("FILL IN: where sign-off requests go, e.g. public.protection@police.example.org", "ppu@police.example.org"),
        ("FILL IN: the mail domain replies come from, e.g. police.example.org", "police.example.org"),
    ):
        assert placeholder in text, placeholder
        text = text.replace(placeholder, value)
    config.write_text(text)
    done = runner.invoke(cli, ["--config", str(config), "check"])
    assert done.exit_code == 0, done.output


def test_installed_entry_point_has_no_traceback_as_a_subprocess(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("O365FLOW_CONFIG", None)
    done = subprocess.run([sys.executable, "-m", "o365flow", "--log-format", "json", "status"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    entry = json.loads(done.stderr)
    assert entry["event"] == "command.failed" and "o365flow init" in entry["hint"]
    version = subprocess.run([sys.executable, "-m", "o365flow", "--version"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)
    assert version.returncode == 0 and "o365flow, version" in version.stdout
