"""A register that cannot be used as it is: truncated, not a workbook, broken sheet XML, a
renamed ``Reference`` or ``Decision`` header, a deleted ``Sign-offs`` sheet. Reading it and
writing it both raise ``RegisterUnreadable``, one line naming the file (and the sheet and
column where there is one) with the fix, never a traceback from a library, and the writer never
"repairs" it by adding an empty column or sheet."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from o365flow.errors import RegisterError, RegisterUnreadable
from o365flow.register import read_register, register_edits, update_register

SOURCE = "Register/Practice Review Register.xlsx"
REF = "DRSB-CPR-2026-001"
CASES = [{"Reference": REF, "Kind": "CPR", "Stage": "In review", "Next deadline": date(2026, 9, 1)}]
SIGNOFFS = [{"Reference": REF, "Agency": "DCC", "Due": date(2026, 9, 1)}]
GOOD = update_register(None, CASES, SIGNOFFS)


def _saved(change) -> bytes:
    wb = load_workbook(io.BytesIO(GOOD))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rename(header: str, to: str):
    def change(wb):
        ws = wb["Cases"]
        for cell in ws[1]:
            if cell.value == header:
                cell.value = to
    return change


def _bad_sheet_xml() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(GOOD)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            body = old.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                body = body[: len(body) // 2]  # cut off mid-element
            new.writestr(info, body)
    return out.getvalue()


BROKEN = {
    "truncated": (GOOD[: len(GOOD) // 2], None, None, "version history"),
    "not a workbook": (b"%PDF-1.7 this is a scanned letter", None, None, "version history"),
    "bad sheet XML": (_bad_sheet_xml(), None, None, "version history"),
    "renamed Reference": (_saved(_rename("Reference", "Ref no")), "Cases", "Reference",
                          "rename the column back to 'Reference'"),
    "renamed Decision": (_saved(_rename("Decision", "Chair's decision")), "Cases", "Decision",
                         "rename the column back to 'Decision'"),
    "deleted Sign-offs": (_saved(lambda wb: wb.remove(wb["Sign-offs"])), "Sign-offs", None,
                          "rename the sheet back to 'Sign-offs'"),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_reading_names_the_file_the_sheet_the_column_and_the_fix(kind):
    data, sheet, column, fix = BROKEN[kind]
    with pytest.raises(RegisterUnreadable) as caught:
        read_register(data, source=SOURCE)
    error = caught.value
    assert isinstance(error, RegisterError)  # handled wherever a register error is
    assert (error.file, error.sheet, error.column) == (SOURCE, sheet, column)
    text = str(error)
    assert text.startswith(f"Register '{SOURCE}'") and fix in text
    assert "\n" not in text and "Traceback" not in text and REF not in text


@pytest.mark.parametrize("kind", list(BROKEN))
def test_writing_refuses_it_too_and_repairs_nothing(kind):
    data, sheet, column, _ = BROKEN[kind]
    with pytest.raises(RegisterUnreadable) as caught:
        update_register(data, CASES, SIGNOFFS, source=SOURCE)
    assert (caught.value.file, caught.value.sheet, caught.value.column) == (SOURCE, sheet, column)
    if sheet is None:  # the workbook API path cannot use it either
        with pytest.raises(RegisterUnreadable):
            register_edits(data, CASES, SIGNOFFS, source=SOURCE)
