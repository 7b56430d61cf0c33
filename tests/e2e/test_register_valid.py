"""The register is valid Office Open XML in every state a pass leaves it in: new, patched cell by
cell, rows appended, rewritten whole (a deleted row put back), with sign-offs, a hold and the
Audit, Actions and Learning sheets filled -- checked with the Open XML SDK's rules
(``openxml-audit``) after every pass."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest

from o365flow.register.fontorder import ORDER, in_order
from tests.e2e.test_register_rows import delete_row

openxml_audit = pytest.importorskip("openxml_audit")

CPR = "DRSB-CPR-2026-001"


# The one finding accepted: strings are stored in their cells (``inlineStr``, as openpyxl writes
# them and as the patch writes a changed cell without rewriting a shared table), which is valid
# SpreadsheetML; Excel moves them into a shared-strings table the next time it saves the file.
ACCEPTED = {"Excel_InlineStrCells"}


def errors_in(board, tmp_path) -> list[str]:
    path = tmp_path / "register.xlsx"
    path.write_bytes(board.register_bytes())
    result = openxml_audit.OpenXmlValidator().validate(str(path))
    return [f"{e.id}: {e.part_uri} {e.path}: {e.description}" for e in result.errors if e.id not in ACCEPTED]


def fonts(data: bytes) -> list[list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("xl/styles.xml").decode("utf-8")
    return [re.findall(r"<(\w+)\b", body) for body in re.findall(r"<font>(.*?)</font>", styles, re.S)]


def test_every_state_of_the_register_is_valid(board, tmp_path):
    states = []

    def check(label):
        states.append(label)
        assert errors_in(board, tmp_path) == [], label

    board.run("2026-03-02")
    check("new register, referrals registered")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10), Reviewers="A. Reviewer (independent)")
    board.run("2026-03-11")
    check("decision recorded: cells patched")
    board.set_case(CPR, On_hold_from=date(2026, 4, 1), Hold_reason="Criminal proceedings")
    board.run("2026-04-02")
    check("on hold")
    board.set_case(CPR, Resumed_on=date(2026, 4, 20), Final_report_date=date(2026, 8, 3))
    board.run("2026-08-03")
    check("final report: sign-off rows appended")
    board.edit("Sign-offs", {"Reference": CPR, "Agency": "WAST"}, {"Signed off": date(2026, 8, 5), "How": "Letter"})
    board.run("2026-08-06")
    check("a sign-off typed")
    delete_row(board, "Cases", {"Reference": CPR})
    board.run("2026-08-07")
    check("a deleted row put back: rewritten whole")
    assert len(states) == 6


def test_a_register_saved_with_fonts_out_of_order_is_put_right_on_the_next_write(board):
    board.run("2026-03-02")
    # set_case saves the workbook with openpyxl, which writes each font's name first.
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    assert any(f != sorted(f, key=ORDER.index) for f in fonts(board.register_bytes()))
    board.run("2026-03-11")
    assert all(f == sorted(f, key=ORDER.index) for f in fonts(board.register_bytes()))


def test_font_order_keeps_what_it_does_not_understand():
    ordered = '<fonts><font><b val="1"/><sz val="11"/><name val="Calibri"/></font></fonts>'
    assert in_order(ordered) == ordered
    assert in_order('<font><name val="Calibri"/><b val="1"/></font>') == '<font><b val="1"/><name val="Calibri"/></font>'
    commented = '<font><name val="Calibri"/><!-- kept --><b val="1"/></font>'
    assert in_order(commented) == commented
    assert in_order('<x:font><x:name val="C"/><x:sz val="9"/></x:font>') == '<x:font><x:sz val="9"/><x:name val="C"/></x:font>'
