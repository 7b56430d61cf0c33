"""Text is always stored as text: never a formula, whatever it starts with, and exactly as given
(apart from the characters XML 1.0 cannot hold)."""

from __future__ import annotations

import io
import re
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from o365flow.core.columns import CASES_ORDER
from o365flow.register import read_register, update_register

REF = "NWSB-CPR-2026-001"
FORMULA_LIKE = [
    "=1+1",
    "+44 1234 567890",
    "-x",
    "@SUM(A1)",
    '=HYPERLINK("http://example.invalid")',
]
BASE = update_register(None, [{"Reference": REF}], [])


def sheet_xml(data: bytes, sheet: str = "Cases") -> str:
    """The XML of the sheet named ``sheet``, found through the workbook and its relationships."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', book)[1]
        target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels)
        target = target or re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
        path = target[1].lstrip("/")
        return z.read(path if path.startswith("xl/") else f"xl/{path}").decode()


def test_formula_looking_text_is_stored_as_text():
    cases = [
        {"Reference": f"NWSB-CPR-2026-{i:03d}", "Stage": text, "Notes": text}
        for i, text in enumerate(FORMULA_LIKE, start=1)
    ]
    data = update_register(
        None, cases, [{"Reference": REF, "Agency": "NWP", "How": "=2*3"}]
    )
    for sheet in ("Cases", "Sign-offs"):
        assert not re.search(r"<f[ >]", sheet_xml(data, sheet))
    ws = load_workbook(io.BytesIO(data))["Cases"]
    stage = CASES_ORDER.index("Stage") + 1
    for row, text in enumerate(FORMULA_LIKE, start=2):
        cell = ws.cell(row, stage)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert ws.cell(2, CASES_ORDER.index("Reference") + 1).quotePrefix is False
    snap = read_register(data)
    for i, text in enumerate(FORMULA_LIKE, start=1):
        row = snap.cases[f"NWSB-CPR-2026-{i:03d}"]
        assert row["Stage"] == text and row["Notes"] == text
    assert snap.signoffs[(REF, "NWP")]["How"] == "=2*3"
    # Written again: the same text, so nothing to do.
    assert update_register(data, cases, []) is None


def test_a_formula_a_person_typed_is_replaced_by_the_text_the_worker_writes():
    wb = load_workbook(io.BytesIO(BASE))
    wb["Cases"].cell(2, CASES_ORDER.index("Stage") + 1).value = "=1+1"  # a real formula
    out = io.BytesIO()
    wb.save(out)
    assert "<f>" in sheet_xml(out.getvalue())
    new = update_register(out.getvalue(), [{"Reference": REF, "Stage": "=1+1"}], [])
    assert new is not None and "<f>" not in sheet_xml(new)


def test_characters_xml_cannot_hold_are_removed():
    text = "a\x00b\x07c\x1fd\ufffee\tf\ng\rh"
    snap = read_register(update_register(BASE, [{"Reference": REF, "Stage": text}], []))
    assert snap.cases[REF]["Stage"] == "abcde\tf\ng\rh"


def test_text_that_looks_like_an_excel_escape_keeps_its_meaning():
    for text in ("_x0041_", "a_x000D_b", "_x005F_x0041_"):
        data = update_register(BASE, [{"Reference": REF, "Stage": text}], [])
        assert read_register(data).cases[REF]["Stage"] == text
        assert update_register(data, [{"Reference": REF, "Stage": text}], []) is None


def test_very_long_text_is_cut_at_excels_cell_limit():
    data = update_register(BASE, [{"Reference": REF, "Stage": "x" * 40000}], [])
    assert read_register(data).cases[REF]["Stage"] == "x" * 32767


def _xml_safe(text: str) -> str:
    return re.sub(
        "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]",
        "",
        re.sub("[\ud800-\udfff]", "\ufffd", text),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_any_text_round_trips_as_text(text):
    data = update_register(BASE, [{"Reference": REF, "Next deadline is": text}], [])
    expected = _xml_safe(text) or None
    if data is None:  # blank over blank
        assert expected is None
        return
    assert read_register(data).cases[REF]["Next deadline is"] == expected
    assert (
        update_register(data, [{"Reference": REF, "Next deadline is": text}], [])
        is None
    )
    assert not re.search(r"<f[ >]", sheet_xml(data))
