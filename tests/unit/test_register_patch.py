"""Planning and patching register edits in the workbook's XML: the result reads back exactly as a
full openpyxl rewrite (``update_register``) of the same change, and opens without repair."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime

import pytest
from openpyxl.utils import get_column_letter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table

from o365flow.core.columns import CASES_ORDER, SIGNOFFS_ORDER
from o365flow.register import Link, read_register, update_register
from o365flow.register.model import CellEdit, RegisterEdits, RowAppend
from o365flow.register.patch.apply import apply_edits
from o365flow.register.patch.plan import SheetRows, plan_edits
from o365flow.register.read.book import UnreadableWorkbook

REFS = [f"NWSB-CPR-2026-{n:03d}" for n in range(1, 4)]
AGENCIES = ("NWP", "BCUHB")
FORMULA_LIKE = ["=1+1", "+44 1234 567890", "-x", "@SUM(A1)", '=HYPERLINK("http://example.invalid")']


def base_register() -> bytes:
    cases = [
        {
            "Reference": ref,
            "Kind": "CPR",
            "Referral received": date(2026, 2, 14),
            "Stage": "=1+1" if i == 0 else "in review",
            "RAG": "Green",
            "Sign-offs outstanding": 2,
            "Folder": Link(ref, f"../Reviews/{ref}/"),
        }
        for i, ref in enumerate(REFS)
    ]
    signoffs = [
        {"Reference": ref, "Agency": a, "Due": date(2026, 7, 29)} for ref in REFS for a in AGENCIES
    ]
    return update_register(None, cases, signoffs)


BASE = base_register()


def sheets(cases=(), signoffs=()) -> dict[str, SheetRows]:
    return {
        "Cases": SheetRows("Cases", ("Reference",), list(cases)),
        "Sign-offs": SheetRows("Sign-offs", ("Reference", "Agency"), list(signoffs)),
    }


def patched(data: bytes, cases=(), signoffs=()) -> bytes:
    edits = plan_edits(data, sheets(cases, signoffs))
    assert edits is not None
    return apply_edits(data, edits)


def cell_details(data: bytes) -> dict:
    """Each cell of the two table sheets as a person would see it: value, text or number,
    date format, quote prefix and link."""
    wb = load_workbook(io.BytesIO(data))
    out = {}
    for title in ("Cases", "Sign-offs"):
        for row in wb[title].iter_rows():
            for c in row:
                if c.value is None and c.hyperlink is None:
                    continue
                link = c.hyperlink.target if c.hyperlink else None
                dated = c.is_date and c.number_format
                out[(title, c.coordinate)] = (c.value, c.data_type, dated, c.quotePrefix, link)
    return out


def sheet_xml(data: bytes, title: str) -> str:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    index = wb.sheetnames.index(title)
    wb.close()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        book = z.read("xl/workbook.xml").decode()
        rid = re.findall(r'<sheet [^>]*r:id="([^"]+)"', book)[index]
        target = re.search(rf'Target="([^"]+)" Id="{rid}"|Id="{rid}"[^>]*Target="([^"]+)"', rels)
        path = (target.group(1) or target.group(2)).lstrip("/")
        return z.read(path if path.startswith("xl/") else "xl/" + path).decode()


TEXT = st.one_of(st.text(max_size=12), st.sampled_from(FORMULA_LIKE + ["_x0041_", " padded ", "a\x07b\r\nc"]))
VALUES = st.one_of(
    st.none(),
    TEXT,
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
    st.booleans(),
    st.builds(Link, st.text(min_size=1, max_size=8).filter(str.strip), st.sampled_from(["../a/", "https://x.invalid/b?c=1&d=2"])),
)
CASE_HEADERS = [h for h in CASES_ORDER if h != "Reference"]
SIGNOFF_HEADERS = [h for h in SIGNOFFS_ORDER if h not in ("Reference", "Agency")]
NEW_REFS = ["NWSB-APR-2026-001", "NWSB-APR-2026-002"]


@st.composite
def changes(draw):
    cases = []
    # Each key once, as the worker gives them.
    for ref in draw(st.lists(st.sampled_from(REFS + NEW_REFS), max_size=4, unique=True)):
        row = {"Reference": ref}
        for header in draw(st.lists(st.sampled_from(CASE_HEADERS), max_size=4, unique=True)):
            row[header] = draw(VALUES)
        cases.append(row)
    signoffs = []
    keys = st.tuples(st.sampled_from(REFS + NEW_REFS), st.sampled_from(AGENCIES + ("PROB",)))
    for ref, agency in draw(st.lists(keys, max_size=3, unique=True)):
        row = {"Reference": ref, "Agency": agency}
        for header in draw(st.lists(st.sampled_from(SIGNOFF_HEADERS), max_size=3, unique=True)):
            row[header] = draw(VALUES)
        signoffs.append(row)
    return cases, signoffs


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes())
def test_a_patch_reads_back_as_the_full_rewrite_of_the_same_change(change):
    cases, signoffs = change
    edits = plan_edits(BASE, sheets(cases, signoffs))
    assert edits is not None
    expected = update_register(BASE, cases, signoffs)
    if expected is None:
        assert not edits
        assert apply_edits(BASE, edits) is BASE
        return
    ours = apply_edits(BASE, edits)
    assert read_register(ours) == read_register(expected)
    assert cell_details(ours) == cell_details(expected)
    # Asked again, both agree on whether anything is left to change (a number typed into a
    # date column never reads back as that number, so it is written on every pass by both).
    again = plan_edits(ours, sheets(cases, signoffs))
    assert (again == RegisterEdits()) == (update_register(expected, cases, signoffs) is None)


def test_no_change_means_no_edits_and_the_same_bytes():
    snap = read_register(BASE)
    cases = [{"Reference": r, "Kind": "CPR", "RAG": "Green", "Folder": Link(r, f"../Reviews/{r}/")} for r in REFS]
    edits = plan_edits(BASE, sheets(cases, [{"Reference": REFS[0], "Agency": "NWP", "Due": date(2026, 7, 29)}]))
    assert edits == RegisterEdits() and not edits
    assert apply_edits(BASE, edits) is BASE
    assert snap.cases[REFS[0]]["Stage"] == "=1+1"


def test_one_changed_cell_is_one_edit_and_only_that_sheet_part_changes():
    edits = plan_edits(BASE, sheets([{"Reference": REFS[1], "Stage": "closed"}]))
    stage = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[CASES_ORDER.index("Stage")]
    assert (edits.cells, edits.rows) == ((CellEdit("Cases", f"{stage}3", "closed"),), ())
    # The row written is sized to its text (its height as the full rewrite left it).
    assert [(h.sheet, h.row) for h in edits.heights] == [("Cases", 3)]
    new = apply_edits(BASE, edits)
    assert read_register(new).cases[REFS[1]]["Stage"] == "closed"
    with zipfile.ZipFile(io.BytesIO(BASE)) as old_zip, zipfile.ZipFile(io.BytesIO(new)) as new_zip:
        assert old_zip.namelist() == new_zip.namelist()
        changed = {n for n in old_zip.namelist() if old_zip.read(n) != new_zip.read(n)}
    cases_part = next(n for n in changed if n.startswith("xl/worksheets/sheet"))
    # The workbook part may change only to ask Excel to recalculate on opening.
    assert changed - {"xl/workbook.xml"} == {cases_part}
    old_xml, new_xml = (sheet_xml(d, "Cases") for d in (BASE, new))
    assert len(new_xml) - len(old_xml) == len("closed") - len("in review")


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_text_that_starts_like_a_formula_stays_text(text):
    new = patched(BASE, [{"Reference": REFS[1], "Stage": text, "Notes": text}])
    assert not re.search(r"<f[ >]", sheet_xml(new, "Cases"))
    ws = load_workbook(io.BytesIO(new))["Cases"]
    for header in ("Stage", "Notes"):
        cell = ws.cell(3, CASES_ORDER.index(header) + 1)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert read_register(new).cases[REFS[1]]["Stage"] == text
    # Plain text again drops the quote prefix, and the style goes back to the column's own.
    again = patched(new, [{"Reference": REFS[1], "Stage": "in review"}])
    cell = load_workbook(io.BytesIO(again))["Cases"].cell(3, CASES_ORDER.index("Stage") + 1)
    assert cell.quotePrefix is False


def test_dates_are_real_dates_shown_dd_mm_yyyy():
    new = patched(
        BASE,
        [{"Reference": REFS[1], "Review due": date(2026, 8, 14), "Kind": date(2026, 1, 2)}],
        [{"Reference": REFS[0], "Agency": "NWP", "Last reminder": datetime(2026, 7, 1, 9, 30)}],
    )
    wb = load_workbook(io.BytesIO(new))
    due = wb["Cases"].cell(3, CASES_ORDER.index("Review due") + 1)
    assert (due.value, due.number_format) == (datetime(2026, 8, 14), "dd/mm/yyyy")
    kind = wb["Cases"].cell(3, CASES_ORDER.index("Kind") + 1)  # a text column given a date
    assert (kind.value, kind.number_format) == (datetime(2026, 1, 2), "dd/mm/yyyy")
    reminder = wb["Sign-offs"].cell(2, SIGNOFFS_ORDER.index("Last reminder") + 1)
    assert (reminder.value, reminder.number_format) == (datetime(2026, 7, 1, 9, 30), "dd/mm/yyyy hh:mm")
    assert read_register(new).cases[REFS[1]]["Review due"] == date(2026, 8, 14)


def test_control_characters_are_cleaned_as_values_does():
    text = "a\x00b\x07c\x1fd\ufffee\tf\ng\rh"
    new = patched(BASE, [{"Reference": REFS[1], "Stage": text}])
    assert read_register(new).cases[REFS[1]]["Stage"] == "abcde\tf\ng\rh"
    long = patched(BASE, [{"Reference": REFS[1], "Stage": "x" * 40000}])
    assert read_register(long).cases[REFS[1]]["Stage"] == "x" * 32767


def test_a_link_is_a_hyperlink_relationship_and_other_values_remove_it():
    url = "https://example.invalid/sites/board/Reviews/A&B"
    new = patched(BASE, [{"Reference": REFS[1], "Folder": Link("Folder", url)}])
    ws = load_workbook(io.BytesIO(new))["Cases"]
    cell = ws.cell(3, CASES_ORDER.index("Folder") + 1)
    assert (cell.value, cell.hyperlink.target, cell.font.u) == ("Folder", url, "single")
    assert ws.cell(2, CASES_ORDER.index("Folder") + 1).hyperlink.target == f"../Reviews/{REFS[0]}/"
    plain = patched(new, [{"Reference": REFS[1], "Folder": "no link"}])
    ws = load_workbook(io.BytesIO(plain))["Cases"]
    assert ws.cell(3, CASES_ORDER.index("Folder") + 1).hyperlink is None
    assert len(ws._hyperlinks) == 0 or all(h.ref != "AB3" for h in ws._hyperlinks)
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        rels = [n for n in z.namelist() if "worksheets/_rels" in n]
        assert not any(url.replace("&", "&amp;") in z.read(n).decode() for n in rels)


def test_appended_rows_extend_the_table_and_copy_the_row_above():
    new_ref = "NWSB-APR-2026-009"
    new = patched(
        BASE,
        [{"Reference": new_ref, "Kind": "APR", "Review due": date(2026, 9, 1), "Stage": "=x"}],
        [{"Reference": new_ref, "Agency": "NWP", "Due": date(2026, 10, 1)}],
    )
    wb = load_workbook(io.BytesIO(new))
    (table,) = wb["Cases"].tables.values()
    assert table.ref.endswith(str(len(REFS) + 2)) and table.autoFilter.ref == table.ref
    ws = wb["Cases"]
    row = len(REFS) + 2
    for col in range(1, len(CASES_ORDER) + 1):
        if col != CASES_ORDER.index("Stage") + 1:  # "=x" adds the quote prefix
            assert ws.cell(row, col).style_id == ws.cell(row - 1, col).style_id
    assert ws.cell(row, CASES_ORDER.index("Review due") + 1).number_format == "dd/mm/yyyy"
    snap = read_register(new)
    assert list(snap.cases) == [*REFS, new_ref]
    assert snap.cases[new_ref]["Stage"] == "=x"
    assert snap.signoffs[(new_ref, "NWP")]["Due"] == date(2026, 10, 1)
    assert read_register(new) == read_register(update_register(BASE, [
        {"Reference": new_ref, "Kind": "APR", "Review due": date(2026, 9, 1), "Stage": "=x"}],
        [{"Reference": new_ref, "Agency": "NWP", "Due": date(2026, 10, 1)}]))


def _table_with_rules() -> bytes:
    """A hand-made sheet whose colour rule and dropdown end at the table's last row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Cases"
    ws.append(list(CASES_ORDER))
    for ref in REFS:
        ws.append([ref])
    last = len(REFS) + 1
    ws.add_table(Table(displayName="Cases", ref=f"A1:{get_column_letter(len(CASES_ORDER))}{last}"))
    red = PatternFill("solid", start_color="FFC7CE")
    ws.conditional_formatting.add(f"L2:L{last}", CellIsRule(operator="equal", formula=['"Red"'], fill=red))
    dv = DataValidation(type="list", formula1='"Yes,No"')
    dv.add(f"F2:F{last}")
    ws.add_data_validation(dv)
    wb.create_sheet("Sign-offs").append(list(SIGNOFFS_ORDER))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_an_appended_row_stretches_formatting_and_dropdowns_that_ended_at_the_table():
    data = _table_with_rules()
    new = patched(data, [{"Reference": "NWSB-APR-2026-009", "RAG": "Red"}])
    ws = load_workbook(io.BytesIO(new))["Cases"]
    last = len(REFS) + 2
    assert [str(cf.sqref) for cf in ws.conditional_formatting] == [f"L2:L{last}"]
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == [f"F2:F{last}"]
    assert ws.tables["Cases"].ref == f"A1:{get_column_letter(len(CASES_ORDER))}{last}"


def test_what_only_a_full_rewrite_can_do_is_refused():
    fresh = update_register(None, [], [])  # one blank row in each table
    assert plan_edits(fresh, sheets([{"Reference": REFS[0]}])) is None
    assert plan_edits(fresh, sheets([])) == RegisterEdits()
    wb = load_workbook(io.BytesIO(BASE))
    wb["Cases"].cell(2, CASES_ORDER.index("RAG") + 1).value = "=1+1"  # a formula typed over
    del wb["Sign-offs"]
    out = io.BytesIO()
    wb.save(out)
    edited = out.getvalue()
    assert plan_edits(edited, sheets([{"Reference": REFS[0], "RAG": "Green"}])) is None
    assert plan_edits(edited, sheets([], [{"Reference": REFS[0], "Agency": "NWP"}])) is None
    assert plan_edits(edited, sheets([{"Reference": REFS[0], "No such column": 1}])) is None
    # A caller's mistake and a file that is not a workbook are errors, never a quiet fallback.
    with pytest.raises(ValueError, match="'Reference'"):
        plan_edits(edited, sheets([{"Kind": "CPR"}]))
    with pytest.raises(UnreadableWorkbook):
        plan_edits(b"not a workbook", sheets([{"Reference": REFS[0]}]))


def test_lists_checks():
    decisions = ("Concise review", "Extended review", "Forum", "SUSR", "No review")
    assert plan_edits(BASE, sheets(), decisions=decisions) == RegisterEdits()
    assert plan_edits(BASE, sheets(), decisions=("Concise review",)) is None
    assert plan_edits(BASE, sheets(), decisions=decisions, agencies=("NEW",)) is None  # the agencies dropdown


def test_edits_that_do_not_fit_the_workbook_are_errors():
    with pytest.raises(ValueError):
        apply_edits(BASE, RegisterEdits(cells=(CellEdit("Nope", "A1", "x"),)))
    with pytest.raises(ValueError):
        apply_edits(BASE, RegisterEdits(rows=(RowAppend("Cases", "NoTable", ()),)))


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _libreoffice(tmp_path, data: bytes) -> bytes:
    """``data`` opened and saved again as .xlsx by LibreOffice (headless)."""
    source = tmp_path / "register.xlsx"
    source.write_bytes(data)
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "out"), str(source)],
        capture_output=True, timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}, check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    return (tmp_path / "out" / "register.xlsx").read_bytes()


CHANGE = (
    [
        {"Reference": REFS[1], "Stage": "=1+1", "Review due": date(2026, 8, 14)},
        {"Reference": "NWSB-APR-2026-009", "Kind": "APR", "Folder": Link("Folder", "https://x.invalid/a?b=1&c=2")},
    ],
    [
        {"Reference": "NWSB-APR-2026-009", "Agency": "NWP", "Due": date(2026, 10, 1)},
        {"Reference": REFS[0], "Agency": "NWP", "Signed off": date(2026, 8, 1)},
    ],
)


@pytest.mark.office
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_a_patched_register_and_reads_the_same_values(tmp_path):
    new = patched(BASE, *CHANGE)
    theirs = _libreoffice(tmp_path, new)
    assert read_register(theirs) == read_register(new)
    ws = load_workbook(io.BytesIO(theirs))["Cases"]
    row = len(REFS) + 2
    assert ws.cell(row, CASES_ORDER.index("Folder") + 1).hyperlink.target == "https://x.invalid/a?b=1&c=2"
    assert ws.tables["Cases"].ref.endswith(str(row))


@pytest.mark.office
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_register_saved_by_libreoffice_is_patched_as_openpyxl_would_rewrite_it(tmp_path):
    theirs = _libreoffice(tmp_path, BASE)
    ours = patched(theirs, *CHANGE)
    expected = update_register(theirs, *CHANGE)
    assert read_register(ours) == read_register(expected)
    assert cell_details(ours) == cell_details(expected)


def sheet_values(data: bytes, title: str) -> list[tuple]:
    ws = load_workbook(io.BytesIO(data))[title]
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


ACTION = {
    "Reference": REFS[0], "Item": "1", "Recommendation": "R1", "Action": "=train staff",
    "Lead agency": "NWP", "Lead officer": None, "Target date": date(2026, 12, 1),
    "Progress": None, "Evidence of outcome": None,
}


def test_audit_rows_are_appended_whatever_their_keys():
    when = datetime(2026, 11, 27, 9, 15)
    audit = [{"When": when, "Reference": REFS[0], "What": "register updated", "Why": "=rule 3"}] * 2
    data = update_register(BASE, [], [], audit=[dict(audit[0], What="first")])
    spec = {"Audit": SheetRows("Audit", (), audit, append_only=True)}
    edits = plan_edits(data, spec)
    assert edits is not None and len(edits.rows) == 2 and not edits.cells
    ours = apply_edits(data, edits)
    expected = update_register(data, [], [], audit=audit)
    assert sheet_values(ours, "Audit") == sheet_values(expected, "Audit")
    assert load_workbook(io.BytesIO(ours))["Audit"].tables["Audit"].ref.endswith("4")


def test_actions_are_patched_only_while_each_case_keeps_its_items_in_order():
    first = [ACTION, dict(ACTION, Item="2", Recommendation="R2")]
    data = update_register(BASE, [], [], actions=first)
    group = lambda rows: {"Actions": SheetRows("Actions", ("Reference", "Item"), rows, group="Reference")}
    changed = [first[0], dict(first[1], Progress="done")]
    edits = plan_edits(data, group(changed))
    assert edits is not None and len(edits.cells) == 1
    assert sheet_values(apply_edits(data, edits), "Actions") == sheet_values(
        update_register(data, [], [], actions=changed), "Actions"
    )
    other = dict(ACTION, Reference=REFS[1])
    edits = plan_edits(data, group([*first, other]))
    assert edits is not None and len(edits.rows) == 1
    assert sheet_values(apply_edits(data, edits), "Actions") == sheet_values(
        update_register(data, [], [], actions=[*first, other]), "Actions"
    )
    assert plan_edits(data, group(first[:1])) is None  # item 2 would be deleted
    assert plan_edits(data, group(first[::-1])) is None  # items would move
