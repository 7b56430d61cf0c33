"""When the register's shape counts as broken for the worker: a sheet, its header row, or a
column people fill in that held data when last read. A column a newer version adds, which never
held anything, is not: the register's writer adds it."""

from datetime import date

from o365flow.plan.facts import RegisterFacts
from o365flow.register.model import CellProblem
from o365flow.worker.registerio import structural_problems

REF = "DRSB-CPR-2026-001"
LAST = RegisterFacts(True, {REF: {"Decision": "Concise review", "Anonymisation cleared": None}},
                     {(REF, "DCC"): {"Signed off": date(2026, 8, 4)}})


def missing(column: str, sheet: str = "Cases") -> CellProblem:
    return CellProblem(sheet, "1:1", column, None, f"there is no '{column}' column; o365flow adds it on its next pass")


def test_a_renamed_column_that_held_data_is_named():
    assert structural_problems([missing("Decision")], LAST) == [
        "has no 'Decision' column on sheet 'Cases' (renamed or deleted?)"]


def test_a_new_column_that_never_held_anything_is_left_to_the_writer():
    assert structural_problems([missing("Anonymisation cleared")], LAST) == []
    assert structural_problems([missing("Stage")], LAST) == []  # the worker's own: it writes it


def test_a_deleted_sheet_or_header_row_is_named_when_it_held_rows():
    sheet = CellProblem("Sign-offs", "A1", "", None, "there is no 'Sign-offs' sheet; o365flow adds it on its next pass")
    header = CellProblem("Cases", "1:5", "Reference", None, "no header row with a 'Reference' column; restore the header row")
    assert structural_problems([sheet, header], LAST) == [
        "has no 'Sign-offs' sheet (renamed or deleted?)",
        "has no header row with a 'Reference' column on sheet 'Cases'",
    ]
    assert structural_problems([sheet, header], None) == []  # nothing read before: nothing to lose


def test_a_cell_problem_is_not_a_shape_problem():
    cell = CellProblem("Cases", "K2", "Decision date", REF, "not a date")
    assert structural_problems([cell], LAST) == []
