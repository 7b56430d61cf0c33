"""References typed by a person in the register are checked before anything could use them as
a folder name: each hostile one is named with its row and the rule; the rest of the board goes on."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest

from o365flow.core.references import folder_name_rule
from tests.helpers import REGISTER_LIBRARY, REGISTER_PATH

HOSTILE = {
    "../..": "dot name",
    "/etc/cron.d": "absolute path",
    "C:\\Windows": "absolute path",
    "CON": "reserves for a device",
    "lpt1.txt": "reserves for a device",
    "DRSB-CPR-2026-009.": "ends in a dot",
    "R" * 300: "300 characters long",
    "A/B": "path separator",
    "x\u202eexe": "control or direction-changing",
}


@pytest.mark.parametrize("typed,rule", sorted(HOSTILE.items()))
def test_each_rule(typed, rule):
    assert rule in folder_name_rule(typed)


@pytest.mark.parametrize("good", ["DRSB-CPR-2026-001", "NWSB-MAPF-2027-120"])
def test_a_reference_the_worker_gives_is_a_safe_folder_name(good):
    assert folder_name_rule(good) == ""


def test_hostile_references_in_the_register_are_named_not_ignored(board):
    board.run("2026-03-02")
    wb = openpyxl.load_workbook(BytesIO(board.register_bytes()))
    ws = wb["Cases"]
    for typed in HOSTILE:
        ws.append([typed])
    out = BytesIO()
    wb.save(out)
    board.save_file(REGISTER_LIBRARY, REGISTER_PATH, out.getvalue())
    before = sorted(p.name for p in (board.root / "site" / "Reviews").iterdir()) if (board.root / "site" / "Reviews").exists() else []

    result = board.run("2026-03-03", expect=1)
    text = result.output + (result.stderr if result.stderr_bytes else "")
    assert "Traceback" not in text
    for rule in HOSTILE.values():
        assert rule in text, rule
    assert "\u202e" not in text and "R" * 300 not in text
    assert "register 'Cases' row" in text
    after = sorted(p.name for p in (board.root / "site" / "Reviews").iterdir()) if (board.root / "site" / "Reviews").exists() else []
    assert after == before  # nothing made from a typed reference
    assert not (board.root / "etc").exists()
