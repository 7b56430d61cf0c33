"""The register while people have it open: cell-by-cell updates through the Graph workbook API
on the stand-in (applied to the stored .xlsx), a checked-out register, and a stale If-Match."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest

from o365flow.errors import ConflictError
from o365flow.register import Link, update_register
from o365flow.register.model import CellEdit, RegisterEdits, RowAppend, RowHeight
from o365flow.register.workbook.api import cell_runs, excel_input
from o365flow.storage import FileCheckedOut, FileLocked

pytest_plugins = ["tests.m365.fixtures"]  # fixtures m365, m365_settings, sharepoint

LIB, PATH = "Register", "Practice Review Register.xlsx"
REF = "DRSB-CPR-2026-001"
CASE_COLUMNS = 32  # the Cases table's columns, A..AF


def _register(sharepoint):
    data = update_register(
        None,
        [{"Reference": REF, "Stage": "Awaiting decision", "Subject initials": "A.B."}],
        [{"Reference": REF, "Agency": "DCC"}],
    )
    return sharepoint.write(LIB, PATH, data)


def _workbook(m365):
    with m365.lock:
        return openpyxl.load_workbook(BytesIO(m365.library(LIB).resolve(PATH).content))


def _person_types(m365, cell: str, value) -> None:
    """A co-author's change, saved by Excel while the file is open."""
    wb = _workbook(m365)
    wb["Cases"][cell] = value
    out = BytesIO()
    wb.save(out)
    with m365.lock:
        item = m365.library(LIB).resolve(PATH)
        item.content, item.version = out.getvalue(), item.version + 1


def test_text_dates_links_and_blanks_as_excel_takes_them():
    assert excel_input("=SUM(A1)") == ("'=SUM(A1)", None)
    assert excel_input("TRUE") == ("'TRUE", None)
    assert excel_input("") == ("", None) and excel_input(None) == ("", None)
    assert excel_input(date(2026, 9, 10)) == (46275, "dd/mm/yyyy")
    assert excel_input(datetime(2026, 9, 10, 12, 0)) == (46275.5, "dd/mm/yyyy hh:mm")
    assert excel_input(3) == (3, "General")
    formula, _ = excel_input(Link('Case "A"', 'https://x.example/a"b'))
    assert formula == '=HYPERLINK("https://x.example/a""b","Case ""A""")'
    assert excel_input(Link("folder", "https://x.example/" + "a" * 300)) == ("'folder", None)


def test_adjacent_cells_share_one_request():
    runs = cell_runs(
        (CellEdit("Cases", "J2", "x"), CellEdit("Cases", "I2", "y"), CellEdit("Cases", "L2", 1), CellEdit("Sign-offs", "G2", None))
    )
    assert [(r.sheet, r.address) for r in runs] == [("Cases", "I2:J2"), ("Cases", "L2"), ("Sign-offs", "G2")]
    assert runs[0].body() == {"values": [["'y", "'x"]]}
    assert runs[1].body() == {"values": [[1]], "numberFormat": [["General"]]}


def test_an_open_register_is_updated_cell_by_cell_and_read_back(m365, sharepoint):
    entry = _register(sharepoint)
    m365.lock_item(LIB, PATH)  # a coordinator has it open in Excel for the web
    _person_types(m365, "AC2", "called the police; =not a formula")  # Notes, typed meanwhile
    with pytest.raises(FileLocked, match="open or locked"):
        sharepoint.write(LIB, PATH, b"whole new file", if_match=sharepoint.stat(LIB, PATH).etag)

    row = [None] * CASE_COLUMNS
    row[0], row[1], row[4], row[8] = "DRSB-APR-2026-001", "APR", date(2026, 3, 2), "+44 not a number"
    edits = RegisterEdits(
        cells=(
            CellEdit("Cases", "I2", "In review"),
            CellEdit("Cases", "J2", date(2026, 9, 10)),
            CellEdit("Cases", "K2", "=HYPERLINK(\"http://evil\")"),
            CellEdit("Cases", "L2", None),
            CellEdit("Cases", "O2", 6),
            CellEdit("Cases", "AB2", Link(f'{REF} "folder"', "https://contoso.sharepoint.com/sites/s/Reviews/X")),
            CellEdit("Cases", "AD2", datetime(2026, 3, 16, 9, 30)),
            CellEdit("Sign-offs", "G2", date(2026, 8, 4)),
        ),
        rows=(RowAppend("Cases", "Cases", tuple(row), height=30.0),),
        heights=(RowHeight("Cases", 2, 45.0),),
    )
    after = sharepoint.update_workbook(LIB, PATH, edits)
    assert after.etag != entry.etag

    ws = _workbook(m365)["Cases"]
    assert ws["I2"].value == "In review"
    assert ws["J2"].value == datetime(2026, 9, 10) and ws["J2"].number_format == "dd/mm/yyyy"
    assert ws["K2"].value == '=HYPERLINK("http://evil")' and ws["K2"].data_type == "s" and ws["K2"].quotePrefix
    assert ws["L2"].value is None and ws["O2"].value == 6
    assert ws["AB2"].value == f'=HYPERLINK("https://contoso.sharepoint.com/sites/s/Reviews/X","{REF} ""folder""")'
    assert ws["AD2"].value == datetime(2026, 3, 16, 9, 30)
    assert ws["AC2"].value == "called the police; =not a formula"  # the person's cell is kept
    assert ws["C2"].value == "A.B."
    assert ws.tables["Cases"].ref == "A1:AF3"
    assert ws["A3"].value == "DRSB-APR-2026-001" and ws["I3"].value == "+44 not a number"
    assert ws["E3"].value == datetime(2026, 3, 2) and ws["E3"].number_format == "dd/mm/yyyy"
    assert _workbook(m365)["Sign-offs"]["G2"].value == datetime(2026, 8, 4)
    # Each row written is as tall as its wrapped text needs, as the file writers make it.
    assert (ws.row_dimensions[2].height, ws.row_dimensions[3].height) == (45.0, 30.0)
    # Read back through the port, as the next pass will.
    assert openpyxl.load_workbook(BytesIO(sharepoint.read(LIB, PATH)))["Cases"]["I2"].value == "In review"

    calls = [(r.method, r.path.split("/workbook/")[-1]) for r in m365.log if "/workbook/" in r.path]
    assert calls == [
        ("POST", "createSession"),
        ("PATCH", "worksheets/Cases/range(address='I2:L2')"),
        ("PATCH", "worksheets/Cases/range(address='O2')"),
        ("PATCH", "worksheets/Cases/range(address='AB2')"),
        ("PATCH", "worksheets/Cases/range(address='AD2')"),
        ("PATCH", "worksheets/Sign-offs/range(address='G2')"),
        ("GET", "tables/Cases/range"),
        ("POST", "tables/Cases/rows/add"),
        ("PATCH", "worksheets/Cases/range(address='A3:AF3')"),
        ("PATCH", "worksheets/Cases/range(address='A3')/format"),
        ("PATCH", "worksheets/Cases/range(address='A2')/format"),
        ("POST", "closeSession"),
    ]
    assert all(r.status < 300 for r in m365.log if "/workbook/" in r.path)
    assert m365.routes.workbook.sessions == {} and len(m365.routes.workbook.closed) == 1


def test_a_checked_out_register_is_refused_with_a_clear_error(m365, sharepoint):
    _register(sharepoint)
    before = sharepoint.read(LIB, PATH)
    m365.check_out_item(LIB, PATH)
    with pytest.raises(FileCheckedOut, match="checked out in SharePoint") as raised:
        sharepoint.write(LIB, PATH, b"new")
    assert "check it in" in str(raised.value)
    edits = RegisterEdits(cells=(CellEdit("Cases", "I2", "In review"),))
    with pytest.raises(FileCheckedOut, match="checked out"):
        sharepoint.update_workbook(LIB, PATH, edits)
    with pytest.raises(FileCheckedOut):
        sharepoint.delete(LIB, PATH)
    assert sharepoint.read(LIB, PATH) == before
    m365.check_out_item(LIB, PATH, checked_out=False)
    assert sharepoint.update_workbook(LIB, PATH, edits).etag


def test_a_stale_if_match_is_a_conflict_not_a_lock(m365, sharepoint):
    first = _register(sharepoint)
    _person_types(m365, "AC2", "saved by a person")
    with pytest.raises(ConflictError, match="changed since it was read") as raised:
        sharepoint.write(LIB, PATH, b"mine", if_match=first.etag)
    assert not isinstance(raised.value, (FileLocked, FileCheckedOut))
    assert m365.log[-1].status == 412
    m365.lock_item(LIB, PATH)
    with pytest.raises(ConflictError, match="changed since it was read"):
        sharepoint.update_workbook(LIB, PATH, RegisterEdits(cells=(CellEdit("Cases", "I2", "x"),)), if_match=first.etag)
    assert not m365.requests(contains="/workbook/")  # no session was opened
    assert _workbook(m365)["Cases"]["AC2"].value == "saved by a person"
