"""The service files in deploy/ and the install path the README and the IT guide give agree,
and the units carry the hardening the guide promises."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = "/opt/o365flow/venv/bin/o365flow"
TASK_NS = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read(DEPLOY / "systemd" / name, encoding="utf-8")
    return unit


def test_the_service_is_hardened_and_keeps_its_state_in_its_state_directory():
    service = _unit("o365flow.service")["Service"]
    assert service["User"] == "o365flow" and service["Group"] == "o365flow"
    assert service["StateDirectory"] == "o365flow" and service["StateDirectoryMode"] == "0700"
    for key, value in {"ProtectSystem": "strict", "PrivateTmp": "yes", "NoNewPrivileges": "yes",
                       "ProtectHome": "yes", "PrivateDevices": "yes", "CapabilityBoundingSet": ""}.items():
        assert service[key] == value, key
    assert service["ExecStart"].startswith(VENV_BIN + " ") and "--log-format json run" in service["ExecStart"]
    assert service["Type"] == "oneshot"


def test_the_timer_starts_the_service():
    timer = _unit("o365flow.timer")
    assert timer["Timer"]["Unit"] == "o365flow.service" and timer["Timer"]["OnCalendar"]
    assert timer["Install"]["WantedBy"] == "timers.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_reads_the_units_without_complaint():
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", *(DEPLOY / "systemd").glob("o365flow.*")],
                          capture_output=True, text=True, timeout=60)
    # The one thing it may say on a machine without the package installed:
    complaints = [line for line in done.stderr.splitlines() if line.strip() and "is not executable" not in line]
    assert complaints == [], done.stderr


def test_the_windows_task_runs_one_pass_at_a_time():
    task = ET.parse(DEPLOY / "windows" / "o365flow-task.xml").getroot()
    assert task.find("t:Settings/t:MultipleInstancesPolicy", TASK_NS).text == "IgnoreNew"
    assert task.find("t:Triggers/t:TimeTrigger/t:Repetition/t:Interval", TASK_NS).text == "PT5M"
    assert task.find("t:Principals/t:Principal/t:RunLevel", TASK_NS).text == "LeastPrivilege"
    arguments = task.find("t:Actions/t:Exec/t:Arguments", TASK_NS).text
    assert r"C:\o365flow\venv\Scripts\o365flow.exe" in arguments and "--log-format json run" in arguments


def test_one_install_path_everywhere():
    texts = {p: p.read_text(encoding="utf-8") for p in (ROOT / "README.md", ROOT / "docs" / "it-guide.md", DEPLOY / "README.md")}
    for path, text in texts.items():
        assert "/opt/o365flow/venv/bin/" in text or "deploy/systemd" in text, path
        assert not re.search(r"/opt/o365flow/bin/", text), f"{path.name} uses /opt/o365flow/bin"
        assert "C:\\o365flow\\o365flow.toml" not in text, path
