"""The workbook read straight from its XML gives every cell as openpyxl gives it, by either of its
two readers (the fast pattern one and the XML parser it falls back to)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import date, datetime, time

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from o365flow.register import Link, update_register
from o365flow.register.read.book import UnreadableWorkbook, open_book, range_bounds
from o365flow.register.read.fastcells import scan_cells, unescape
from o365flow.register.read.sheetparse import _iterparse
from o365flow.register.read.xlsxvalues import (
    column_letter,
    column_number,
    from_excel,
    to_excel,
)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def awkward_workbook() -> bytes:
    """Every kind of value a person or Excel may leave: formulas, booleans, errors, times,
    rich text, a 1904 calendar, text with markup characters, a second sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Cases"
    ws.append(["Reference", "When", "Count", "Flag", "Sum", "Note", "Time"])
    ws.append(["A-1", datetime(2026, 2, 14, 9, 30), 3, True, "=C2*2", "a < b & c > d", time(12, 0)])
    ws.append(["A-2", date(1900, 1, 15), 2.5, False, '="x"&"y"', " spaced \n lines ", None])
    ws.append([None, None, -1e-7, None, None, "_x0041_", None])
    ws["B2"].number_format = "d mmm yyyy"
    ws["B3"].number_format = "[$-809]dd/mm/yyyy"
    ws["C4"].number_format = '"Day" 0'
    ws["H5"] = 1
    ws["H5"].number_format = "[h]:mm:ss"
    wb.create_sheet("Dashboard").append(["=COUNTA(Cases!A:A)", 1])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def openpyxl_cells(data: bytes, *, data_only: bool) -> dict:
    wb = load_workbook(io.BytesIO(data), read_only=data_only, data_only=data_only)
    out = {}
    for ws in wb.worksheets:
        if data_only:
            ws.reset_dimensions()
        for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
            for c, value in enumerate(row, start=1):
                if isinstance(value, ArrayFormula):
                    value = value.text
                if value is not None:
                    out[(ws.title, r, c)] = value
    return out


def book_cells(data: bytes, *, data_only: bool) -> dict:
    book = open_book(data)
    out = {}
    for name in book.sheet_names:
        for r, cells in book.sheet(name).rows.items():
            for c, cell in cells.items():
                value = book.value(cell, data_only=data_only)[0]
                if value is not None:
                    out[(name, r, c)] = value
    return out


REGISTER = update_register(
    None,
    [
        {
            "Reference": "NWSB-CPR-2026-001",
            "Referral received": date(2026, 2, 14),
            "Stage": "=1+1",
            "Notes": "_x0041_ & <tag>",
            "Sign-offs outstanding": 2,
            "Folder": Link("NWSB-CPR-2026-001", "../Reviews/NWSB-CPR-2026-001/"),
        }
    ],
    [{"Reference": "NWSB-CPR-2026-001", "Agency": "NWP", "Due": date(2026, 7, 29)}],
)


@pytest.mark.parametrize("data", [awkward_workbook(), REGISTER], ids=["awkward", "register"])
@pytest.mark.parametrize("data_only", [True, False], ids=["calculated", "formulas"])
def test_every_cell_reads_as_openpyxl_reads_it(data, data_only):
    assert book_cells(data, data_only=data_only) == openpyxl_cells(data, data_only=data_only)


def test_both_readers_give_the_same_cells():
    for data in (awkward_workbook(), REGISTER):
        book = open_book(data)
        for name in book.sheet_names:
            raw = book.zip.read(book.sheet_paths[name])
            fast, _ = scan_cells(raw.decode(), book.shared)
            parsed, _, positional = _iterparse(raw, book.shared, {})
            assert fast == parsed and positional


def test_unusual_xml_is_left_to_the_parser_and_read_the_same():
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\n'
        '  <row r="1">\n    <c r="A1" t="inlineStr"><is><t><![CDATA[a<b]]></t></is></c>\n'
        '    <!-- a comment --><c r="B1" t="inlineStr"><is><r><t>rich </t></r><r><t>text</t></r>'
        '<rPh sb="0" eb="1"><t>phonetic</t></rPh></is></c>\n  </row>\n</sheetData></worksheet>'
    )
    assert scan_cells(xml, []) is None
    rows, _, _ = _iterparse(xml.encode(), [], {})
    assert rows == {1: {1: ("a<b", "s", 0, None), 2: ("rich text", "s", 0, None)}}
    plain = xml.replace("<!-- a comment -->", "").replace("<![CDATA[a<b]]>", "a&lt;b")
    assert scan_cells(plain, [])[0] == rows


def test_a_workbook_saved_in_other_ways_keeps_its_shared_strings_and_attributes():
    xml = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="2" spans="1:3"><c r="A2" s="1" t="s"><v>1</v></c><c r="B2" t="s" s="2"><v>0</v></c>'
        '<c r="C2" s="3" t="str"><f>A2&amp;"!"</f><v>two &amp; 2!</v></c>'
        '<c r="D2" cm="1" t="e"><v>#N/A</v></c><c r="E2"><v>1.5E3</v></c></row></sheetData></worksheet>'
    )
    rows, _ = scan_cells(xml, ["one", "two & 2"])
    assert rows[2] == {
        1: ("two & 2", "s", 1, None),
        2: ("one", "s", 2, None),
        3: ("two & 2!", "s", 3, 'A2&"!"'),
        4: ("#N/A", "e", 0, None),
        5: ("1.5E3", "n", 0, None),
    }
    assert _iterparse(xml.encode(), ["one", "two & 2"], {})[0] == rows


@pytest.mark.parametrize(
    "data", [b"", b"not a workbook", b"PK\x03\x04garbage"], ids=["empty", "text", "broken zip"]
)
def test_unreadable_bytes_are_one_error(data):
    with pytest.raises(UnreadableWorkbook):
        open_book(data)


def test_a_zip_without_a_workbook_is_unreadable():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableWorkbook):
        open_book(out.getvalue())


def test_sheets_are_parsed_only_when_asked_for_and_tables_are_found():
    book = open_book(REGISTER)
    assert {"Cases", "Sign-offs", "Lists"} <= set(book.sheet_names)
    assert book._sheets == {}
    tables = {t.display_name: t for t in book.sheet("Cases").tables}
    assert tables["Cases"].bounds == range_bounds("A1:AF2")
    assert tables["Cases"].columns[0] == "Reference"
    links = book.sheet("Cases").hyperlinks
    assert [(h.ref, h.target) for h in links] == [("AB2", "../Reviews/NWSB-CPR-2026-001/")]
    assert set(book._sheets) == {"Cases"}


def test_serial_numbers_columns_and_references():
    for day in (datetime(1900, 3, 1), datetime(2026, 2, 14, 9, 30, 15), datetime(9999, 12, 31)):
        assert from_excel(to_excel(day)) == day
    assert from_excel(0.5) == time(12, 0)
    for n in (1, 26, 27, 702, 703, 16384):
        assert column_number(column_letter(n)) == n
    assert unescape("a&amp;b&#x41;&#66;\r\nc\rd") == "a&bAB\nc\nd"
    with pytest.raises(ValueError):
        column_number("AAAA")


@pytest.mark.office
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_workbook_saved_by_libreoffice_reads_as_openpyxl_reads_it(tmp_path):
    source = tmp_path / "register.xlsx"
    source.write_bytes(REGISTER)
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "out"), str(source)],
        capture_output=True, timeout=180, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}, check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    theirs = (tmp_path / "out" / "register.xlsx").read_bytes()
    assert open_book(theirs).shared  # LibreOffice keeps text in shared strings
    for data_only in (True, False):
        assert book_cells(theirs, data_only=data_only) == openpyxl_cells(theirs, data_only=data_only)
