"""Reading the register: people's edits parsed cell by cell, problems named by cell."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from o365flow.core.columns import (
    CASES_ORDER,
    CASES_PERSON,
    CASES_WORKER,
    SIGNOFFS_ORDER,
)
from o365flow.errors import RegisterError, RegisterUnreadable
from o365flow.register import CellProblem, Link, read_register, update_register

REF = "NWSB-CPR-2026-001"
REF2 = "NWSB-APR-2026-001"


def register(cases=(), signoffs=()) -> bytes:
    return update_register(None, list(cases), list(signoffs))


def edit(data: bytes, sheet: str, values: dict[tuple[str, int], object]) -> bytes:
    """Type values into cells by (header, row number), as a person would, and save."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    headers = {c.value: c.column for c in ws[1]}
    for (header, row), value in values.items():
        ws.cell(row, headers[header]).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def column_letter(header: str) -> str:
    return get_column_letter(CASES_ORDER.index(header) + 1)


def test_no_bytes_means_no_register_yet():
    for data in (None, b""):
        snap = read_register(data)
        assert not snap.exists
        assert (
            snap.cases == {}
            and snap.signoffs == {}
            and snap.problems == []
            and snap.unknown_rows == []
        )


@pytest.mark.parametrize("data", [b"not a workbook", b"PK\x03\x04garbage"])
def test_unreadable_bytes_raise_register_error_with_a_fix(data):
    with pytest.raises(RegisterError) as caught:
        read_register(data)
    assert "register workbook cannot be read as a workbook" in str(caught.value)
    assert "restore the previous version from the library's version history" in str(caught.value)
    assert "save it as an Excel Workbook" in str(caught.value)
    assert isinstance(caught.value, RegisterUnreadable)
    assert "\n" not in str(caught.value)


def test_a_zip_that_is_not_a_workbook_raises_register_error():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(RegisterError):
        read_register(out.getvalue())


def test_created_register_reads_back_every_column():
    data = register(
        [
            {
                "Reference": REF,
                "Kind": "CPR",
                "Referral received": date(2026, 2, 14),
                "Sign-offs outstanding": 3,
                "Folder": Link(REF, "../Reviews/NWSB-CPR-2026-001/"),
                "Final report date": date(2026, 7, 1),
                "RAG": "Amber",
            }
        ],
        [
            {
                "Reference": REF,
                "Agency": "NWP",
                "Due": date(2026, 7, 29),
                "Signed off": date(2026, 7, 20),
            }
        ],
    )
    snap = read_register(data)
    assert snap.exists and snap.problems == [] and snap.unknown_rows == []
    row = snap.cases[REF]
    assert set(row) == set(CASES_WORKER) | set(CASES_PERSON)
    assert row["Kind"] == "CPR"
    assert row["Referral received"] == date(2026, 2, 14)
    assert type(row["Referral received"]) is date
    assert row["Sign-offs outstanding"] == 3
    assert row["Folder"] == REF
    assert row["Final report date"] == date(2026, 7, 1)
    assert row["Decision"] is None and row["Notes"] is None
    signoff = snap.signoffs[(REF, "NWP")]
    assert set(signoff) == set(SIGNOFFS_ORDER)
    assert signoff["Due"] == date(2026, 7, 29) and signoff["Signed off"] == date(
        2026, 7, 20
    )


def test_dates_typed_as_text_or_stored_as_datetimes_read_as_dates():
    data = register([{"Reference": REF}, {"Reference": REF2}])
    data = edit(
        data,
        "Cases",
        {
            ("Decision date", 2): "14/02/2026",
            ("On hold from", 2): " 3 March 2026 ",
            ("Closed date", 2): "2026-12-01",
            ("Learning event date", 2): datetime(2026, 5, 6, 0, 0),
            ("Decision date", 3): date(2026, 1, 31),
        },
    )
    snap = read_register(data)
    assert snap.problems == []
    assert snap.cases[REF]["Decision date"] == date(2026, 2, 14)
    assert snap.cases[REF]["On hold from"] == date(2026, 3, 3)
    assert snap.cases[REF]["Closed date"] == date(2026, 12, 1)
    assert snap.cases[REF]["Learning event date"] == date(2026, 5, 6)
    assert snap.cases[REF2]["Decision date"] == date(2026, 1, 31)


def test_bad_date_and_unknown_decision_are_cell_problems_and_the_rest_of_the_row_is_read():
    data = register([{"Reference": REF2}, {"Reference": REF}])
    data = edit(
        data,
        "Cases",
        {
            ("Decision date", 3): "next week",
            ("Decision", 3): "Maybe later",
            ("Reviewers", 3): "  Two reviewers  ",
            ("Closed date", 3): "31/02/2026",
        },
    )
    snap = read_register(data)
    row = snap.cases[REF]
    assert (
        row["Decision date"] is None
        and row["Decision"] is None
        and row["Closed date"] is None
    )
    assert row["Reviewers"] == "Two reviewers"
    by_column = {p.column: p for p in snap.problems}
    assert set(by_column) == {"Decision date", "Decision", "Closed date"}
    problem = by_column["Decision date"]
    assert problem == CellProblem(
        "Cases",
        f"{column_letter('Decision date')}3",
        "Decision date",
        REF,
        "'next week' is not a date; write it as 14/02/2026, 14 February 2026 or 2026-02-14",
    )
    assert str(problem) == (
        f"Register 'Cases'!{column_letter('Decision date')}3 (Decision date, {REF}): "
        "'next week' is not a date; write it as 14/02/2026, 14 February 2026 or 2026-02-14"
    )
    assert by_column["Decision"].cell == f"{column_letter('Decision')}3"
    assert "Concise review" in by_column["Decision"].message
    assert "not a real date" in by_column["Closed date"].message


def test_decision_is_matched_without_regard_to_case_and_spacing():
    data = edit(
        register([{"Reference": REF}]),
        "Cases",
        {("Decision", 2): "  extended   REVIEW "},
    )
    snap = read_register(data)
    assert snap.problems == []
    assert snap.cases[REF]["Decision"] == "Extended review"


def test_decisions_can_be_configured():
    data = edit(
        register([{"Reference": REF}]), "Cases", {("Decision", 2): "learning event"}
    )
    assert read_register(data).problems
    snap = read_register(data, decisions=("Learning event", "No review"))
    assert snap.cases[REF]["Decision"] == "Learning event"


def test_worker_columns_come_back_as_the_file_holds_them():
    data = edit(
        register([{"Reference": REF, "RAG": "Green"}]),
        "Cases",
        {
            ("RAG", 2): "green-ish",
            ("Review due", 2): "soon",
        },
    )
    snap = read_register(data)
    assert snap.problems == []
    assert snap.cases[REF]["RAG"] == "green-ish"
    assert snap.cases[REF]["Review due"] == "soon"


def test_rows_a_person_added_without_a_key_are_listed_and_blank_rows_ignored():
    data = register([{"Reference": REF}], [{"Reference": REF, "Agency": "NWP"}])
    data = edit(
        data, "Cases", {("Notes", 5): "someone's row", ("Subject initials", 7): "XY"}
    )
    data = edit(data, "Sign-offs", {("Reference", 4): REF})
    snap = read_register(data)
    assert list(snap.cases) == [REF]
    assert snap.unknown_rows == [
        "Register 'Cases' row 5 has no Reference",
        "Register 'Cases' row 7 has no Reference",
        "Register 'Sign-offs' row 4 has no Agency",
    ]


def test_a_repeated_reference_is_a_problem_and_the_first_row_wins():
    data = edit(
        register([{"Reference": REF, "Kind": "CPR"}]),
        "Cases",
        {
            ("Reference", 3): REF,
            ("Kind", 3): "APR",
        },
    )
    snap = read_register(data)
    assert snap.cases[REF]["Kind"] == "CPR"
    assert [(p.cell, p.reference) for p in snap.problems] == [("A3", REF)]
    assert "repeats row 2" in snap.problems[0].message


def _hand_made(
    headers: list[str], rows: list[list[object]], title: str | None = None
) -> bytes:
    """A register typed by hand: no table, an optional title row above the headers."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Cases"
    if title:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.create_sheet("Sign-offs").append(list(SIGNOFFS_ORDER))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_columns_are_found_by_header_text_in_any_order_below_a_title():
    headers = list(reversed(CASES_ORDER)) + ["Our own column"]
    headers[headers.index("Decision date")] = "  decision DATE "
    values = {"Reference": REF, "Decision": "Forum", "Decision date": "01/04/2026"}
    row = [values.get(h, None) for h in reversed(CASES_ORDER)] + ["ours"]
    snap = read_register(_hand_made(headers, [row], title="North Wales register"))
    assert snap.problems == []
    assert snap.cases[REF]["Decision"] == "Forum"
    assert snap.cases[REF]["Decision date"] == date(2026, 4, 1)
    assert "Our own column" not in snap.cases[REF]


def test_a_column_added_to_the_layout_since_is_a_problem_not_a_crash():
    headers = [h for h in CASES_ORDER if h not in ("Welsh Government notified", "Anonymisation cleared")]
    snap = read_register(_hand_made(headers, [[REF]]))
    assert snap.cases[REF]["Welsh Government notified"] is None
    assert {(p.cell, p.column) for p in snap.problems} == {
        ("1:1", "Welsh Government notified"),
        ("1:1", "Anonymisation cleared"),
    }
    assert str(snap.problems[0]).startswith("Register 'Cases'!1:1 (")


def test_a_renamed_column_people_type_in_makes_the_register_unreadable_naming_the_fix():
    headers = ["Chair's decision" if h == "Decision" else h for h in CASES_ORDER]
    with pytest.raises(RegisterUnreadable) as caught:
        read_register(_hand_made(headers, [[REF]]), source="Register/Practice Review Register.xlsx")
    error = caught.value
    assert (error.file, error.sheet, error.column) == ("Register/Practice Review Register.xlsx", "Cases", "Decision")
    assert str(error).startswith(
        "Register 'Register/Practice Review Register.xlsx' sheet 'Cases' has no 'Decision' column "
        "(is it the column now headed 'Chair's decision'?)"
    )
    assert "rename the column back to 'Decision'" in str(error)
    assert REF not in str(error) and "\n" not in str(error)


def test_no_reference_header_or_no_sheet_makes_the_register_unreadable():
    wb = Workbook()
    wb.active.title = "Something else"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(RegisterUnreadable) as caught:
        read_register(out.getvalue(), source="reg.xlsx")
    assert str(caught.value).startswith("Register 'reg.xlsx' has no 'Cases' sheet")
    assert "version history" in caught.value.hint
    with pytest.raises(RegisterUnreadable) as caught:
        read_register(_hand_made(["Ref no", "Kind"], [["x", "CPR"]]))
    assert "no header row with a 'Reference' column" in str(caught.value)
    assert "rename the column back to 'Reference'" in str(caught.value)


def test_sheets_it_does_not_know_are_ignored():
    data = register([{"Reference": REF, "Kind": "CPR"}], [{"Reference": REF, "Agency": "NWP"}])
    wb = load_workbook(io.BytesIO(data))
    other = wb.create_sheet("Our notes", 0)
    other.append(["Reference", "Decision date"])
    other.append([REF, "not a date"])
    other["C3"] = "=1/0"
    out = io.BytesIO()
    wb.save(out)
    assert read_register(out.getvalue()) == read_register(data)


def test_a_cell_that_is_not_a_number_where_one_is_stored_is_an_unreadable_register():
    data = register([{"Reference": REF, "Sign-offs outstanding": 3}])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            content = old.read(info)
            if info.filename.startswith("xl/worksheets/"):
                content = content.replace(b"<v>3</v>", b"<v>three</v>")
            new.writestr(info, content)
    with pytest.raises(RegisterError) as caught:
        read_register(out.getvalue())
    assert "three" not in str(caught.value) and "\n" not in str(caught.value)
