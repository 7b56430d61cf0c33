"""Writing the worker's columns: only what changed, nothing of people's, rows appended."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table

from o365flow.core.columns import CASES_ORDER, SIGNOFFS_ORDER
from o365flow.errors import RegisterUnreadable
from o365flow.register import Link, read_register, update_register

REFS = [f"NWSB-CPR-2026-{n:03d}" for n in range(1, 6)]


def cells(data: bytes) -> dict[tuple[str, str], object]:
    """Every non-empty cell of every sheet, with its hyperlink and number format."""
    wb = load_workbook(io.BytesIO(data))
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    link = c.hyperlink.target if c.hyperlink else None
                    value = c.value
                    if isinstance(value, ArrayFormula):  # compared by what it says
                        value = (value.ref, value.text)
                    out[(ws.title, c.coordinate)] = (value, link, c.number_format)
    return out


def edit(data: bytes, sheet: str, values: dict[tuple[str, int], object]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    headers = {c.value: c.column for c in ws[1]}
    for (header, row), value in values.items():
        ws.cell(row, headers[header]).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_ref(data: bytes, sheet: str) -> str:
    ws = load_workbook(io.BytesIO(data))[sheet]
    (table,) = ws.tables.values()
    assert table.autoFilter is None or table.autoFilter.ref == table.ref
    return table.ref


CASE = {
    "Reference": REFS[0],
    "Kind": "CPR",
    "Subject initials": "AB",
    "Referring agency": "Conwy County Borough Council",
    "Referral received": date(2026, 2, 14),
    "Stage": "in review",
    "Next deadline": date(2026, 8, 14),
    "Next deadline is": "Review due",
    "RAG": "Green",
    "Sign-offs outstanding": 0,
    "Folder": Link(REFS[0], "../Reviews/NWSB-CPR-2026-001/"),
    "Last updated": date(2026, 3, 1),
}
SIGNOFF = {
    "Reference": REFS[0],
    "Agency": "NWP",
    "Agency name": "North Wales Police",
    "Requested": date(2026, 7, 1),
    "Due": date(2026, 7, 29),
}


def test_creating_with_no_rows_gives_a_valid_empty_register_and_then_no_change():
    data = update_register(None, [], [])
    assert data is not None
    assert table_ref(data, "Cases") == "A1:AF2"
    assert table_ref(data, "Sign-offs") == "A1:I2"
    assert update_register(data, [], []) is None
    assert update_register(b"", [], []) is not None


def test_the_same_values_again_change_nothing():
    data = update_register(None, [CASE], [SIGNOFF])
    assert update_register(data, [CASE], [SIGNOFF]) is None
    # A datetime at midnight is the date already there; a str with the same text is the same.
    again = dict(CASE, **{"Last updated": datetime(2026, 3, 1), "Kind": "CPR"})
    assert (
        update_register(data, [again], [dict(SIGNOFF, Due=datetime(2026, 7, 29, 0, 0))])
        is None
    )
    # Only the key: nothing to write.
    assert update_register(data, [{"Reference": REFS[0]}], []) is None


def test_one_changed_worker_cell_changes_only_that_cell():
    data = update_register(None, [CASE], [SIGNOFF])
    new = update_register(data, [dict(CASE, Stage="action plan sign-off")], [SIGNOFF])
    assert new is not None
    before, after = cells(data), cells(new)
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    stage = get_column_letter(CASES_ORDER.index("Stage") + 1)
    assert changed == {("Cases", f"{stage}2")}
    assert after[("Cases", f"{stage}2")][0] == "action plan sign-off"


def test_people_cells_are_never_touched_unless_given():
    data = update_register(None, [CASE], [SIGNOFF])
    typed = {
        ("Decision", 2): "Concise review",
        ("Decision date", 2): "14/02/2026",
        ("Notes", 2): "=not a formula?",
        ("Final report date", 2): date(2026, 6, 30),
    }
    data = edit(data, "Cases", typed)
    data = edit(
        data, "Sign-offs", {("Signed off", 2): "20/07/2026", ("How", 2): "Email"}
    )
    new = update_register(
        data, [dict(CASE, RAG="Amber")], [dict(SIGNOFF, Due=date(2026, 7, 30))]
    )
    snap = read_register(new)
    row = snap.cases[REFS[0]]
    assert row["RAG"] == "Amber"
    assert row["Decision"] == "Concise review" and row["Decision date"] == date(
        2026, 2, 14
    )
    assert row["Final report date"] == date(2026, 6, 30)
    assert snap.signoffs[(REFS[0], "NWP")]["Signed off"] == date(2026, 7, 20)
    assert snap.signoffs[(REFS[0], "NWP")]["How"] == "Email"
    before, after = cells(data), cells(new)
    for key in before.keys() & after.keys():
        if key not in {
            ("Cases", f"{get_column_letter(CASES_ORDER.index('RAG') + 1)}2"),
            ("Sign-offs", f"{get_column_letter(SIGNOFFS_ORDER.index('Due') + 1)}2"),
        }:
            assert before[key] == after[key], key


def test_a_blank_person_cell_is_filled_when_passed():
    data = update_register(None, [CASE], [SIGNOFF])
    new = update_register(
        data,
        [{"Reference": REFS[0], "Final report date": date(2026, 6, 1)}],
        [dict(SIGNOFF, **{"Signed off": date(2026, 7, 2), "How": "Email reply"})],
    )
    snap = read_register(new)
    assert snap.cases[REFS[0]]["Final report date"] == date(2026, 6, 1)
    assert snap.signoffs[(REFS[0], "NWP")]["Signed off"] == date(2026, 7, 2)


def test_appended_rows_extend_the_tables_and_fill_the_blank_first_row():
    data = update_register(None, [], [])
    data = update_register(data, [dict(CASE, Reference=REFS[0])], [SIGNOFF])
    assert table_ref(data, "Cases") == "A1:AF2"
    ws = load_workbook(io.BytesIO(data))["Cases"]
    assert ws["A2"].value == REFS[0]
    data = update_register(
        data,
        [dict(CASE, Reference=r) for r in REFS],
        [dict(SIGNOFF, Agency=a) for a in ("NWP", "CCBC", "BCUHB")],
    )
    assert table_ref(data, "Cases") == "A1:AF6"
    assert table_ref(data, "Sign-offs") == "A1:I4"
    snap = read_register(data)
    assert list(snap.cases) == REFS
    assert sorted(snap.signoffs) == [(REFS[0], a) for a in ("BCUHB", "CCBC", "NWP")]
    assert update_register(data, [dict(CASE, Reference=r) for r in REFS], []) is None


def test_values_written_as_real_dates_numbers_and_links():
    data = update_register(None, [CASE], [])
    ws = load_workbook(io.BytesIO(data))["Cases"]
    received = ws.cell(2, CASES_ORDER.index("Referral received") + 1)
    assert received.is_date and received.number_format == "dd/mm/yyyy"
    assert received.value == datetime(2026, 2, 14)
    outstanding = ws.cell(2, CASES_ORDER.index("Sign-offs outstanding") + 1)
    assert outstanding.data_type == "n" and outstanding.value == 0
    folder = ws.cell(2, CASES_ORDER.index("Folder") + 1)
    assert (
        folder.value == REFS[0]
        and folder.hyperlink.target == "../Reviews/NWSB-CPR-2026-001/"
    )
    # Same text, new address: a change; back to blank clears the cell.
    moved = update_register(
        data, [dict(CASE, Folder=Link(REFS[0], "../Archive/NWSB-CPR-2026-001/"))], []
    )
    assert moved is not None
    cleared = update_register(data, [dict(CASE, Stage=None)], [])
    assert read_register(cleared).cases[REFS[0]]["Stage"] is None


def test_extra_and_reordered_columns_survive_an_update():
    # A register a person rearranged: columns reversed, their own column in the middle.
    wb = Workbook()
    ws = wb.active
    ws.title = "Cases"
    headers = list(reversed(CASES_ORDER))
    headers.insert(5, "Our RAG notes")
    ws.append(headers)
    ws.append(
        [
            REFS[0]
            if h == "Reference"
            else ("keep me" if h == "Our RAG notes" else None)
            for h in headers
        ]
    )
    ws.add_table(
        Table(displayName="Cases", ref=f"A1:{ws.cell(1, len(headers)).column_letter}2")
    )
    wb.create_sheet("Sign-offs").append(list(SIGNOFFS_ORDER))
    out = io.BytesIO()
    wb.save(out)
    new = update_register(out.getvalue(), [CASE, dict(CASE, Reference=REFS[1])], [])
    ws = load_workbook(io.BytesIO(new))["Cases"]
    assert [c.value for c in ws[1]] == headers
    assert ws.cell(2, 6).value == "keep me"
    col = headers.index("Stage") + 1
    assert ws.cell(2, col).value == "in review" and ws.cell(3, col).value == "in review"
    assert ws.cell(3, headers.index("Reference") + 1).value == REFS[1]
    (table,) = ws.tables.values()
    assert range_boundaries(table.ref)[3] == 3


def test_an_older_register_gains_its_missing_columns_and_keeps_every_value():
    old_cases = [
        h for h in CASES_ORDER if h not in ("Welsh Government notified", "Anonymisation cleared", "Report submitted")
    ]
    old_signoffs = [h for h in SIGNOFFS_ORDER if h != "Agency name"]
    wb = Workbook()
    ws = wb.active
    ws.title = "Cases"
    ws.append(old_cases)
    ws.append(
        [
            {"Reference": REFS[0], "Decision": "Forum", "Reviewers": "Two"}.get(h)
            for h in old_cases
        ]
    )
    ws.add_table(
        Table(
            displayName="Cases", ref=f"A1:{ws.cell(1, len(old_cases)).column_letter}2"
        )
    )
    so = wb.create_sheet("Sign-offs")
    so.append(old_signoffs)
    so.append([{"Reference": REFS[0], "Agency": "NWP"}.get(h) for h in old_signoffs])
    out = io.BytesIO()
    wb.save(out)
    old = out.getvalue()
    assert {p.column for p in read_register(old).problems} == {
        "Welsh Government notified",
        "Anonymisation cleared",
        "Report submitted",
        "Agency name",
    }

    new = update_register(old, [{"Reference": REFS[0], "Stage": "forum arranged"}], [])
    snap = read_register(new)
    assert snap.problems == []
    row = snap.cases[REFS[0]]
    assert (row["Decision"], row["Reviewers"], row["Stage"]) == (
        "Forum",
        "Two",
        "forum arranged",
    )
    wb = load_workbook(io.BytesIO(new))
    headers = [c.value for c in wb["Cases"][1]]
    assert headers == old_cases + ["Welsh Government notified", "Anonymisation cleared", "Report submitted"]
    table = wb["Cases"].tables["Cases"]
    assert table.ref == "A1:AF2"
    assert [c.name for c in table.tableColumns] == headers
    assert [c.value for c in wb["Sign-offs"][1]][-1] == "Agency name"
    assert (
        update_register(new, [{"Reference": REFS[0], "Stage": "forum arranged"}], [])
        is None
    )


def test_a_renamed_column_people_type_in_is_never_replaced_by_an_empty_one():
    data = update_register(None, [{**CASE, "Decision": "Forum"}], [])
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Cases"]
    ws.cell(1, CASES_ORDER.index("Decision") + 1).value = "Chair decision"
    out = io.BytesIO()
    wb.save(out)
    renamed = out.getvalue()
    with pytest.raises(RegisterUnreadable) as caught:
        update_register(renamed, [CASE], [], source="Register/Register.xlsx")
    assert caught.value.column == "Decision" and "'Chair decision'" in str(caught.value)
    assert "rename the column back to 'Decision'" in caught.value.hint


def test_a_deleted_signoffs_sheet_is_never_made_again_empty():
    data = update_register(None, [CASE], [{"Reference": REFS[0], "Agency": "NWP"}])
    wb = load_workbook(io.BytesIO(data))
    del wb["Sign-offs"]
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(RegisterUnreadable) as caught:
        update_register(out.getvalue(), [CASE], [{"Reference": REFS[0], "Agency": "NWP"}], source="reg.xlsx")
    assert caught.value.sheet == "Sign-offs" and "version history" in caught.value.hint


def test_a_changed_amber_window_relabels_the_dashboard_and_the_colours_follow_the_rag():
    data = update_register(None, [CASE], [])
    assert update_register(data, [CASE], [], amber_days=14) is None
    new = update_register(data, [CASE], [], amber_days=21)
    wb = load_workbook(io.BytesIO(new))
    labels = [c.value for row in wb["Dashboard"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "Due within 21 days" in labels and "Due within 14 days" not in labels
    # The deadline colours come from the RAG the worker wrote with the amber window, not TODAY().
    formulas = [f for cf in wb["Cases"].conditional_formatting for r in cf.rules for f in (r.formula or [])]
    assert formulas and not any("TODAY()" in f for f in formulas)


def test_caller_mistakes_are_value_errors():
    data = update_register(None, [CASE], [])
    with pytest.raises(ValueError, match="no column 'Colour'"):
        update_register(data, [{"Reference": REFS[0], "Colour": "red"}], [])
    with pytest.raises(ValueError, match="'Reference'"):
        update_register(data, [{"Stage": "x"}], [])
    with pytest.raises(ValueError, match="'Agency'"):
        update_register(data, [], [{"Reference": REFS[0]}])
