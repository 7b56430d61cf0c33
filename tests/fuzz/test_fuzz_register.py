"""Register cells: anything a person can type in any cell, a Reference included. The register
is read (each bad cell a named problem), the plan is made without a traceback, and every other
case is still processed."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from o365flow.cli import cli
from o365flow.core.columns import CASES_PERSON
from o365flow.errors import RegisterError
from o365flow.plan import plan
from o365flow.plan.actions import RegisterCase, WriteRegister
from o365flow.plan.facts import Board, Facts, RegisterFacts
from o365flow.register import read_register
from tests.fuzz.conftest import NOW, text
from tests.helpers import REGISTER, Board as DemoBoard

cells = st.one_of(
    st.none(), text, st.integers(min_value=-(10**12), max_value=10**12), st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(), st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.sampled_from(["=1+1", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "31/02/2026", "No review", "Forum", "#REF!"]),
)
COLUMNS = sorted(CASES_PERSON) + ["Reference", "Stage", "Subject initials"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A demo board after its first pass: a real register with four cases."""
    root = tmp_path_factory.mktemp("reg") / "board"
    b = DemoBoard(root)
    b.runner.invoke(cli, ["init", str(root), "--demo"])
    b.run("2026-03-02")
    return _Workbook((root / REGISTER).read_bytes())


class _Workbook(bytes):
    def __repr__(self) -> str:  # a failing example prints this, not 60 KB of bytes
        return "<the demo register>"


@given(st.lists(st.tuples(st.integers(min_value=2, max_value=8), st.sampled_from(COLUMNS), cells), min_size=1, max_size=8))
def test_any_cell_is_read_or_named(demo, config, workflows, edits):
    wb = openpyxl.load_workbook(BytesIO(demo))
    ws = wb["Cases"]
    header = [c.value for c in ws[1]]
    for row, column, value in edits:
        if isinstance(value, str) and any(ord(c) < 32 and c not in "\t\n\r" for c in value):
            value = value.encode("unicode_escape").decode()  # openpyxl itself refuses these
        ws.cell(row=row, column=header.index(column) + 1).value = value
    out = BytesIO()
    wb.save(out)
    try:
        snap = read_register(out.getvalue())
    except RegisterError:
        return
    facts = Facts(now=NOW, register=RegisterFacts(True, snap.cases, snap.signoffs,
                                                  tuple(str(p) for p in snap.problems) + tuple(snap.unknown_rows)))
    result = plan(config, workflows, Board(), facts)
    for notice in result.notices:
        assert notice.text.isprintable(), notice.text  # a cell cannot forge a line or turn text around


@given(st.dictionaries(text, st.dictionaries(st.sampled_from(COLUMNS), cells, max_size=5), max_size=5))
def test_typed_references_never_stop_the_pass(config, workflows, rows):
    facts = Facts(now=NOW, register=RegisterFacts(True, rows), forms=())
    result = plan(config, workflows, Board(), facts)
    assert all(not isinstance(a, RegisterCase) for a in result.actions)
    assert all(isinstance(a, WriteRegister) or a is not None for a in result.actions)
    for notice in result.notices:
        assert notice.text.isprintable(), notice.text
