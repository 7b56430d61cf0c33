"""The layout of a new register: tables, frozen headers, colours and notes by owner, the
Decision dropdown, RAG and deadline colours, and no host user name in the file."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from o365flow.core.columns import (
    ACTIONS_COLUMNS,
    AUDIT_COLUMNS,
    CASES_ORDER,
    CASES_PERSON,
    CASES_WORKER,
    DECISIONS,
    RAG_VALUES,
    SIGNOFFS_ORDER,
)
from o365flow.register import update_register

DATA = update_register(
    None,
    [{"Reference": "NWSB-CPR-2026-001", "Referral received": date(2026, 2, 14)}],
    [],
)


def workbook():
    return load_workbook(io.BytesIO(DATA))


def letter(header: str) -> str:
    return get_column_letter(CASES_ORDER.index(header) + 1)


def test_sheets_tables_and_frozen_headers():
    wb = workbook()
    assert wb.sheetnames == ["Dashboard", "Cases", "Sign-offs", "Actions", "Audit", "Learning", "Lists"]
    assert wb.active.title == "Dashboard"
    assert [ws.title for ws in wb.worksheets if ws.sheet_view.tabSelected] == ["Dashboard"]
    assert wb["Lists"].sheet_state == "hidden"
    cases, signoffs = wb["Cases"], wb["Sign-offs"]
    assert [c.value for c in cases[1]] == list(CASES_ORDER)
    assert [c.value for c in signoffs[1]] == list(SIGNOFFS_ORDER)
    assert [c.value for c in wb["Actions"][1]] == list(ACTIONS_COLUMNS)
    assert [c.value for c in wb["Audit"][1]] == list(AUDIT_COLUMNS)
    tables = ((cases, "Cases"), (signoffs, "SignOffs"), (wb["Actions"], "Actions"), (wb["Audit"], "Audit"))
    for ws, name in tables:
        table = ws.tables[name]
        assert table.tableStyleInfo.name == "TableStyleMedium2"
        assert table.tableStyleInfo.showRowStripes
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref
        assert [c.name for c in table.tableColumns] == [c.value for c in ws[1]]
    assert cases.freeze_panes == "B2"
    assert signoffs.freeze_panes == "C2"
    assert wb["Actions"].freeze_panes == "C2"
    assert wb["Audit"].freeze_panes == "A2"


def test_header_colour_and_note_say_who_owns_each_column():
    ws = workbook()["Cases"]
    fills = {}
    for cell in ws[1]:
        fills.setdefault(cell.value in CASES_WORKER, set()).add(cell.fill.fgColor.rgb)
        assert cell.alignment.wrap_text and cell.font.bold
        assert cell.comment is not None and cell.comment.author == "o365flow"
    assert (
        len(fills[True]) == 1 and len(fills[False]) == 1 and fills[True] != fills[False]
    )
    note = {c.value: c.comment.text for c in ws[1]}
    assert "your edits here are replaced on the next pass" in note["Stage"]
    assert "never overwrites it" in note["Decision"]
    assert "only when it is blank" in note["Final report date"]
    assert all("never" in note[h] for h in CASES_PERSON)


def test_widths_dates_and_wrapped_notes():
    ws = workbook()["Cases"]
    for header in CASES_ORDER:
        assert ws.column_dimensions[letter(header)].width >= 7
    assert (
        ws.column_dimensions[letter("Notes")].width
        > ws.column_dimensions[letter("Kind")].width
    )
    assert ws[f"{letter('Referral received')}2"].number_format == "dd/mm/yyyy"
    assert ws[f"{letter('Decision date')}2"].number_format == "dd/mm/yyyy"
    assert ws[f"{letter('Notes')}2"].alignment.wrap_text


def _dropdowns(wb, sheet):
    """Column header -> (the list's values, error style) for each dropdown on ``sheet``."""
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    out = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list" and dv.showErrorMessage and dv.error
        (area,) = str(dv.sqref).split()
        first, last = area.split(":")
        assert first[-1] == "2" and last.endswith("1048576")  # the whole column below the header
        header = headers[column_index_from_string(first.rstrip("0123456789")) - 1]
        name = wb.defined_names[dv.formula1]
        lists, cells = next(iter(name.destinations))
        assert lists == "Lists"
        out[header] = ([c.value for row in wb[lists][cells] for c in row], dv.errorStyle)
    return out


def test_every_closed_list_a_person_types_has_a_dropdown_from_the_lists_sheet():
    wb = load_workbook(io.BytesIO(update_register(None, [], [], agencies=("CC", "PROBATION"))))
    cases = _dropdowns(wb, "Cases")
    assert cases["Decision"] == (list(DECISIONS), "stop")
    assert cases["Kind"] == (["CPR", "APR", "SUSR", "MAPF"], "stop")
    assert cases["Hold reason"][0][0] == "Criminal proceedings"
    assert cases["Hold reason"][1] == "information"  # another reason may be typed
    signoffs = _dropdowns(wb, "Sign-offs")
    assert signoffs["Agency"] == (["CC", "PROBATION"], "information")
    assert "Email reply" in signoffs["How"][0]
    assert _dropdowns(wb, "Actions")["Lead agency"][0] == ["CC", "PROBATION"]
    lists = wb["Lists"]
    assert [lists.cell(1, c).value for c in (1, 2, 3)] == ["Decisions", "RAG", "Yes/No"]
    assert [lists.cell(r, 2).value for r in (2, 3, 4)] == list(RAG_VALUES)


def test_rag_and_next_deadline_are_coloured_by_one_rule_from_the_rag_value():
    ws = workbook()["Cases"]
    rules = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
    rag_cell = f"${letter('RAG')}2"
    fills = []
    for header in ("RAG", "Next deadline"):
        column = rules[f"{letter(header)}2:{letter(header)}1048576"]
        assert [r.formula for r in column] == [[f'{rag_cell}="{v}"'] for v in RAG_VALUES]
        assert all(r.stopIfTrue for r in column)
        fills.append([r.dxf.fill.fgColor.rgb for r in column])
    assert fills[0] == fills[1] and len(set(fills[0])) == 3  # the same colour for the same RAG


def test_each_sheet_prints_landscape_one_page_wide_with_its_header_on_every_page():
    wb = load_workbook(io.BytesIO(update_register(None, [], [], board="Mid and West Wales Safeguarding Board")))
    for name in ("Cases", "Sign-offs", "Actions", "Audit"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        wide = 3 if name == "Cases" else 1  # thirty columns near full size, Reference on each
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (wide, 0)
        assert ws.print_title_rows.replace("$", "") == "1:1"
        assert (ws.print_title_cols or "").replace("$", "") == ("A:A" if wide > 1 else "")
        assert ws.oddHeader.center.text == f"&BMid and West Wales Safeguarding Board: {name}"
        assert "&D" in ws.oddFooter.left.text and "&P" in ws.oddFooter.right.text


def test_no_host_user_name_in_the_file():
    with zipfile.ZipFile(io.BytesIO(DATA)) as z:
        core = z.read("docProps/core.xml").decode()
    root = ElementTree.fromstring(core)
    people = {
        el.tag.split("}")[1]: el.text
        for el in root
        if el.tag.endswith(("creator", "lastModifiedBy"))
    }
    assert people == {"creator": "o365flow", "lastModifiedBy": "o365flow"}
    wb = workbook()
    assert wb.properties.creator == "o365flow"
