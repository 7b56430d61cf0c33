"""A quiet pass on the local site loads no document, workbook or Microsoft 365 library: those
imports cost more than the rest of the pass, so they happen only when something is to be read
or written. Checked in a new process, as a scheduler runs the worker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("docx", "docxtpl", "jinja2", "openpyxl", "office365", "msal", "requests", "holidays", "lxml")

_PROBE = """
import json, sys
from o365flow.cli import cli
try:
    cli(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))
"""


def _modules_after(board, *args: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-c", _PROBE, "--quiet", "--config", str(board.root / "o365flow.toml"), *args]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_a_quiet_pass_and_status_import_no_heavy_library(board):
    board.run("2026-03-02")  # registers the demo forms, writes the register
    board.run("2026-03-02")  # and once more, so the next is quiet
    assert "nothing to do" in board.cli("run", "--now", "2026-03-02").output
    for args in (("run", "--now", "2026-03-02"), ("status", "--now", "2026-03-02")):
        loaded = _modules_after(board, *args)
        assert not loaded & set(HEAVY), f"{args[0]} imported {sorted(loaded & set(HEAVY))}"


def test_a_pass_that_reads_a_form_does_import_the_reader(board):
    """The probe can fail: a pass with a new referral form to read loads python-docx."""
    loaded = _modules_after(board, "run", "--now", "2026-03-02")
    assert "docx" in loaded
