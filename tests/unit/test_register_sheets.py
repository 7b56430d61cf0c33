"""The Dashboard, Actions and Audit sheets: live formulas, action plans replaced case by case,
an append-only audit, and older registers gaining them."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from o365flow.core.columns import (
    ACTIONS_COLUMNS,
    AUDIT_COLUMNS,
    CASES_ORDER,
    SIGNOFFS_ORDER,
)
from o365flow.register import read_register, update_register

REFS = [f"NWSB-CPR-2026-{n:03d}" for n in range(1, 4)]
CASES = [{"Reference": ref, "Kind": "CPR", "Stage": "In review"} for ref in REFS]
SIGNOFFS = [{"Reference": REFS[0], "Agency": "NWP", "Due": date(2026, 7, 29)}]


def action(ref: str, item: int, **values) -> dict:
    return {
        "Reference": ref,
        "Item": item,
        "Action": f"action {item} of {ref}",
        **values,
    }


def sheet(data: bytes, title: str):
    return load_workbook(io.BytesIO(data))[title]


def body(data: bytes, title: str) -> list[tuple]:
    """The rows below the header, as values, up to the last non-empty one."""
    rows = [
        tuple(c.value for c in row) for row in sheet(data, title).iter_rows(min_row=2)
    ]
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    return rows


def formulas(data: bytes) -> dict[str, str]:
    """The Dashboard's formulas by cell; an array formula as "{range}=..."."""
    ws = sheet(data, "Dashboard")
    found = {}
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, ArrayFormula):
                found[c.coordinate] = "{" + c.value.ref + "}" + c.value.text
            elif c.data_type == "f":
                found[c.coordinate] = c.value
    return found


def table_ref(data: bytes, title: str) -> str:
    (table,) = sheet(data, title).tables.values()
    return table.ref


# -- Dashboard ----------------------------------------------------------------------------------
def test_the_dashboard_comes_first_and_every_figure_is_a_formula():
    data = update_register(None, CASES, SIGNOFFS, agencies=("NWP", "BCU"))
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Dashboard"]
    assert wb.sheetnames[0] == "Dashboard" and wb.active is ws
    found = formulas(data)
    assert len(found) > 60
    numbers = [
        c for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))
    ]
    assert numbers == []  # nothing painted at write time
    text = " ".join(found.values())
    assert (
        "TODAY()" in text
        and "COUNTIFS(Cases[Stage]" in text
        and "SignOffs[Signed off]" in text
    )
    assert "Actions[Target date]" in text
    # Overdue and due soon are counted from the RAG the worker wrote, as the Cases sheet colours it.
    assert 'Cases[RAG],"Red"' in text and 'Cases[RAG],"Amber"' in text
    # Sign-offs are matched to their cases once for all agencies: one array formula a column.
    assert found["F27"].startswith(
        "{F27:F28}=MMULT(($A$27:$A$28=TRANSPOSE(SignOffs[Agency]))"
    )
    assert found["G27"].startswith("{G27:G28}=MMULT(") and "F28" not in found
    labels = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert labels.index("NWP") < labels.index("BCU")  # the configured order
    assert len(ws._charts) == 1
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1


def test_adding_and_changing_rows_leaves_the_dashboard_as_it_was():
    data = update_register(None, CASES, SIGNOFFS, agencies=("NWP",))
    before = formulas(data)
    grown = update_register(
        data,
        CASES + [{"Reference": "NWSB-APR-2026-001", "Kind": "APR", "Stage": "Closed"}],
        SIGNOFFS + [{"Reference": REFS[1], "Agency": "NWP"}],
        actions=[action(REFS[0], 1)],
        agencies=("NWP",),
    )
    assert formulas(grown) == before
    assert (
        update_register(
            grown, CASES, SIGNOFFS, actions=[action(REFS[0], 1)], agencies=("NWP",)
        )
        is None
    )


def test_a_new_agency_or_amber_window_rewrites_the_dashboard():
    data = update_register(None, CASES, SIGNOFFS)
    labels = [c.value for c in sheet(data, "Dashboard")["A"]]
    assert "NWP" in labels and "BCU" not in labels  # the codes on the Sign-offs sheet
    more = update_register(
        data, CASES, SIGNOFFS + [{"Reference": REFS[0], "Agency": "BCU"}]
    )
    labels = [c.value for c in sheet(more, "Dashboard")["A"]]
    assert labels.index("BCU") < labels.index("NWP")  # sorted when not configured
    wider = update_register(more, CASES, SIGNOFFS, amber_days=21)
    assert wider is not None
    ws = sheet(wider, "Dashboard")
    assert "Due within 21 days" in [c.value for row in ws.iter_rows() for c in row]


def test_agency_codes_are_text_in_formulas_and_cells():
    data = update_register(None, CASES, [{"Reference": REFS[0], "Agency": '=A"B'}])
    ws = sheet(data, "Dashboard")
    cell = next(c for c in ws["A"] if c.value == '=A"B')
    assert cell.data_type == "s" and cell.quotePrefix
    assert any('"=A""B"' in f for f in formulas(data).values())


def _hand_made(cases_headers: list[str]) -> bytes:
    """A register typed by hand: no tables, no Dashboard, Actions or Audit sheets."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Cases"
    ws.append(cases_headers)
    ws.append([{"Reference": REFS[0], "Notes": "kept"}.get(h) for h in cases_headers])
    wb.create_sheet("Sign-offs").append(list(SIGNOFFS_ORDER))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_sheets_without_tables_get_plain_ranges_that_follow_moved_columns():
    data = update_register(_hand_made(list(CASES_ORDER)), [], [], agencies=("NWP",))
    assert CASES_ORDER.index("Stage") == 8
    assert any("'Cases'!$I$2:$I$1001" in f for f in formulas(data).values())
    assert any("'Sign-offs'!$B$2:$B$1001" in f for f in formulas(data).values())
    assert update_register(data, [], [], agencies=("NWP",)) is None
    # A person inserts a column of their own in front: the ranges move with the columns.
    wb = load_workbook(io.BytesIO(data))
    wb["Cases"].insert_cols(1)
    wb["Cases"]["A1"] = "Our column"
    out = io.BytesIO()
    wb.save(out)
    shifted = update_register(out.getvalue(), [], [], agencies=("NWP",))
    assert any("'Cases'!$J$2:$J$1001" in f for f in formulas(shifted).values())
    assert not any("$I$2:$I$1001" in f for f in formulas(shifted).values())
    moved = list(reversed(CASES_ORDER))
    data = update_register(_hand_made(moved), [], [])
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[moved.index("Stage")]
    assert any(
        f"'Cases'!${letter}$2:${letter}$1001" in f for f in formulas(data).values()
    )


def test_an_older_register_gains_the_new_sheets_and_keeps_every_value():
    old = _hand_made(list(CASES_ORDER))
    new = update_register(old, [], [])
    wb = load_workbook(io.BytesIO(new))
    assert wb.sheetnames == ["Dashboard", "Cases", "Sign-offs", "Actions", "Audit"] + [
        "Learning", "Lists"
    ]
    assert wb.active.title == "Dashboard"
    assert read_register(new).cases[REFS[0]]["Notes"] == "kept"
    assert [c.value for c in wb["Actions"][1]] == list(ACTIONS_COLUMNS)
    assert [c.value for c in wb["Audit"][1]] == list(AUDIT_COLUMNS)


def test_a_dashboard_edited_by_hand_is_put_back():
    data = update_register(None, CASES, SIGNOFFS)
    wb = load_workbook(io.BytesIO(data))
    wb["Dashboard"]["F6"] = 99
    wb.active = 2
    out = io.BytesIO()
    wb.save(out)
    fixed = update_register(out.getvalue(), CASES, SIGNOFFS)
    assert formulas(fixed) == formulas(data)
    wb = load_workbook(io.BytesIO(fixed))
    assert wb.sheetnames[0] == "Dashboard" and wb.active.title == "Sign-offs"
    assert update_register(fixed, CASES, SIGNOFFS) is None


# -- Actions ------------------------------------------------------------------------------------
def test_actions_are_written_and_the_same_again_changes_nothing():
    acts = [
        action(REFS[0], 1, **{"Target date": date(2026, 9, 1), "Lead agency": "NWP"}),
        action(REFS[0], 2),
    ]
    data = update_register(None, [], [], actions=acts)
    rows = body(data, "Actions")
    assert [(r[0], r[1], r[3]) for r in rows] == [
        (REFS[0], 1, "action 1 of " + REFS[0]),
        (REFS[0], 2, "action 2 of " + REFS[0]),
    ]
    ws = sheet(data, "Actions")
    assert ws["G2"].number_format == "dd/mm/yyyy" and ws["G2"].value == datetime(
        2026, 9, 1
    )
    assert update_register(data, [], [], actions=acts) is None
    assert update_register(data, [], []) is None  # None: the sheet is left as it is
    assert update_register(data, [], [], actions=[]) is None


def test_a_case_s_actions_are_replaced_and_other_cases_left_alone():
    acts = [
        action(REFS[0], 1),
        action(REFS[0], 2),
        action(REFS[0], 3),
        action(REFS[1], 1),
        action(REFS[1], 2),
    ]
    data = update_register(None, [], [], actions=acts)
    assert table_ref(data, "Actions") == "A1:J6"
    # Case 1 now has two actions (item 2 gone, item 3 reworded); case 3 is new.
    new = update_register(
        data,
        [],
        [],
        actions=[
            action(REFS[0], 1),
            action(REFS[0], 3, Action="reworded"),
            action(REFS[2], 1),
        ],
    )
    keys = [(r[0], r[1], r[3]) for r in body(new, "Actions")]
    assert keys == [
        (REFS[0], 1, "action 1 of " + REFS[0]),
        (REFS[0], 3, "reworded"),
        (REFS[1], 1, "action 1 of " + REFS[1]),
        (REFS[1], 2, "action 2 of " + REFS[1]),
        (REFS[2], 1, "action 1 of " + REFS[2]),
    ]
    assert table_ref(new, "Actions") == "A1:J6"
    gone = update_register(new, [], [], actions=[action(REFS[1], 2)])
    assert [(r[0], r[1]) for r in body(gone, "Actions")] == [
        (REFS[0], 1),
        (REFS[0], 3),
        (REFS[1], 2),
        (REFS[2], 1),
    ]
    assert table_ref(gone, "Actions") == "A1:J5"


def test_action_text_is_stored_as_text():
    acts = [
        action(
            REFS[0],
            1,
            Recommendation='=HYPERLINK("x")',
            Progress="-",
            **{"Evidence of outcome": "@x"},
        )
    ]
    data = update_register(None, [], [], actions=acts)
    ws = sheet(data, "Actions")
    for cell in (ws["C2"], ws["H2"], ws["I2"]):
        assert cell.data_type == "s" and cell.quotePrefix
    assert [ws["C2"].value, ws["H2"].value, ws["I2"].value] == [
        '=HYPERLINK("x")',
        "-",
        "@x",
    ]


def test_overdue_actions_are_coloured_by_a_rule_on_the_target_date():
    data = update_register(None, [], [], actions=[action(REFS[0], 1)])
    ws = sheet(data, "Actions")
    (rule,) = [
        r
        for cf in ws.conditional_formatting
        if str(cf.sqref) == "G2:G1048576"
        for r in cf.rules
    ]
    formula = rule.formula[0]
    assert formula.startswith("AND(ISNUMBER(G2),G2<TODAY()")
    for word in ("complete", "completed", "done", "green"):
        assert f'TRIM($H2)<>"{word}"' in formula
    assert ws["A1"].comment.text.startswith("Reference\nFilled in by o365flow")


def test_action_mistakes_are_value_errors():
    with pytest.raises(ValueError, match="'Item'"):
        update_register(None, [], [], actions=[{"Reference": REFS[0]}])
    with pytest.raises(ValueError, match="no column 'Owner'"):
        update_register(None, [], [], actions=[action(REFS[0], 1, Owner="x")])
    with pytest.raises(ValueError, match="given twice"):
        update_register(None, [], [], actions=[action(REFS[0], 1), action(REFS[0], 1)])


# -- Audit --------------------------------------------------------------------------------------
def test_audit_rows_are_appended_and_never_changed():
    first = {
        "When": datetime(2026, 11, 2, 9, 30),
        "Reference": REFS[0],
        "What": "Stage",
        "Why": "rule: review",
        "Mail": f"escalation/{REFS[0]}/NWP",
    }
    data = update_register(None, [], [], audit=[first])
    assert update_register(data, [], []) is None
    second = dict(first, When=datetime(2026, 11, 3), What="+44 1234", Reference=None, Mail=None)
    data = update_register(data, [], [], audit=[second, first])
    rows = body(data, "Audit")
    assert rows == [
        (datetime(2026, 11, 2, 9, 30), REFS[0], "Stage", "rule: review", f"escalation/{REFS[0]}/NWP"),
        (datetime(2026, 11, 3), None, "+44 1234", "rule: review", None),
        (datetime(2026, 11, 2, 9, 30), REFS[0], "Stage", "rule: review", f"escalation/{REFS[0]}/NWP"),
    ]
    ws = sheet(data, "Audit")
    assert {ws.cell(r, 1).number_format for r in (2, 3, 4)} == {"dd/mm/yyyy hh:mm"}
    assert ws["C3"].quotePrefix
    assert table_ref(data, "Audit") == "A1:E4"
    assert "only ever added" in ws["A1"].comment.text


def test_an_audit_row_needs_a_when():
    with pytest.raises(ValueError, match="'When'"):
        update_register(None, [], [], audit=[{"What": "x"}])
