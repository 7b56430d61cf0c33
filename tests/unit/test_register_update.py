"""The quick path of a register update (cell edits patched into the file) is taken when it is
safe, and the full rewrite when the Dashboard or the layout must change."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook

from o365flow.register import read_register, register_edits, update_register

AGENCIES = ("DCC", "POLICE")


def cases(stage: str = "In review") -> list[dict]:
    return [{"Reference": f"DRSB-CPR-2026-{n:03d}", "Kind": "CPR", "Stage": stage, "Review due": date(2026, 9, n)}
            for n in range(1, 4)]


def signoffs() -> list[dict]:
    return [{"Reference": "DRSB-CPR-2026-001", "Agency": code, "Due": date(2026, 9, 1)} for code in AGENCIES]


def made() -> bytes:
    return update_register(None, cases(), signoffs(), agencies=AGENCIES)


def test_a_changed_cell_is_one_edit_and_patched():
    data = made()
    want = cases()
    want[1]["Stage"] = "=Action plan sign-off"
    edits = register_edits(data, want, signoffs(), agencies=AGENCIES)
    assert edits is not None and [(e.sheet, e.value) for e in edits.cells] == [("Cases", "=Action plan sign-off")]
    new = update_register(data, want, signoffs(), agencies=AGENCIES)
    assert read_register(new).cases["DRSB-CPR-2026-002"]["Stage"] == "=Action plan sign-off"
    # Patched, not rebuilt: the Dashboard's part is byte for byte what it was.
    assert _part(new, "Dashboard") == _part(data, "Dashboard")
    assert update_register(new, want, signoffs(), agencies=AGENCIES) is None


def test_audit_rows_append_on_the_quick_path():
    first = [{"When": datetime(2026, 3, 2, 9, 5), "Reference": "DRSB-CPR-2026-001", "What": "registered", "Why": "form"}]
    data = update_register(None, cases(), signoffs(), agencies=AGENCIES, audit=first)
    audit = [{"When": datetime(2026, 3, 3), "Reference": "DRSB-CPR-2026-001", "What": "folder created", "Why": "decision"}]
    edits = register_edits(data, cases(), signoffs(), agencies=AGENCIES, audit=audit)
    assert edits is not None and len(edits.rows) == 1 and edits.rows[0].sheet == "Audit"
    new = update_register(data, cases(), signoffs(), agencies=AGENCIES, audit=audit)
    ws = load_workbook(io.BytesIO(new))["Audit"]
    assert ws["A3"].value == datetime(2026, 3, 3) and ws["A3"].number_format == "dd/mm/yyyy hh:mm"
    assert _part(new, "Dashboard") == _part(data, "Dashboard")


def test_a_dashboard_typed_over_or_a_new_agency_takes_the_full_rewrite():
    data = made()
    wb = load_workbook(io.BytesIO(data))
    wb["Dashboard"]["A1"] = "my notes"
    out = io.BytesIO()
    wb.save(out)
    assert register_edits(out.getvalue(), cases(), signoffs(), agencies=AGENCIES) is None
    fixed = update_register(out.getvalue(), cases(), signoffs(), agencies=AGENCIES)
    assert load_workbook(io.BytesIO(fixed))["Dashboard"]["A1"].value != "my notes"
    assert register_edits(data, cases(), signoffs(), agencies=(*AGENCIES, "UHB")) is None


def _part(data: bytes, sheet: str) -> bytes:
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'name="{sheet}"[^>]*r:id="([^"]+)"', book)[1]
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
        path = (target[1] or target[2]).lstrip("/")
        return z.read(path if path.startswith("xl/") else "xl/" + path)


def test_new_rows_append_on_the_quick_path_unless_the_dashboard_must_list_a_new_agency():
    data = made()
    more = cases() + [{"Reference": "DRSB-CPR-2026-004", "Kind": "CPR", "Stage": "Awaiting decision"}]
    new_signoff = signoffs() + [{"Reference": "DRSB-CPR-2026-002", "Agency": "DCC", "Due": date(2026, 9, 2)}]
    edits = register_edits(data, more, new_signoff, agencies=AGENCIES)
    assert edits is not None and sorted(r.sheet for r in edits.rows) == ["Cases", "Sign-offs"]
    new = update_register(data, more, new_signoff, agencies=AGENCIES)
    assert _part(new, "Dashboard") == _part(data, "Dashboard")
    snap = read_register(new)
    assert "DRSB-CPR-2026-004" in snap.cases and ("DRSB-CPR-2026-002", "DCC") in snap.signoffs
    stranger = signoffs() + [{"Reference": "DRSB-CPR-2026-002", "Agency": "WAST", "Due": date(2026, 9, 2)}]
    assert register_edits(data, cases(), stranger, agencies=AGENCIES) is None
    redrawn = update_register(data, cases(), stranger, agencies=AGENCIES)
    assert "WAST" in [c.value for c in load_workbook(io.BytesIO(redrawn))["Dashboard"]["A"]]
