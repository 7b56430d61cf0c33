"""Learning across reviews, as a board uses it: themes typed on cases and on an action plan's
recommendations, a period's report, and the same figures in the report, the register's Learning
sheet (as LibreOffice calculates it) and ``status --json``, each checked against counts made here
straight from the register."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from io import BytesIO

import docx
import openpyxl
import pytest

from tests.unit.test_register_office import RECALCULATED, SOFFICE, convert

THEMES = ("Information sharing", "Professional curiosity", "Voice of the child or adult", "Domestic abuse",
          "Neglect", "Mental health", "Substance misuse", "Transitions", "Escalation", "Assessment of risk",
          "Exploitation", "Self-neglect", "Missing episodes")


def action_plan(rows) -> bytes:
    """An action plan as a panel fills it in, with the optional Theme column."""
    doc = docx.Document()
    head = ("Recommendation", "Action", "Lead agency", "Lead officer", "Target date", "Progress / RAG",
            "Evidence of outcome", "Theme")
    table = doc.add_table(rows=1, cols=len(head))
    for cell, text in zip(table.rows[0].cells, head):
        cell.text = text
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            cell.text = text
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def split(text) -> set[str]:
    """The test's own reading of a themes cell: entries separated by ';' or ','."""
    known = {"".join(t.split()).casefold(): t for t in THEMES}
    parts = str(text or "").replace(",", ";").split(";")
    return {known["".join(p.split()).casefold()] for p in parts if "".join(p.split()).casefold() in known}


def report_table(data: bytes, first_header: str) -> list[list[str]]:
    doc = docx.Document(BytesIO(data))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == first_header)
    return [[c.text for c in r.cells] for r in table.rows[1:]]


def count(text: str) -> int:
    return 0 if text in ("–", "") else int(text)


def tagged_board(board):
    """Four cases referred this year, decided and tagged; an action plan with themes."""
    today = date.today()
    start = (today - timedelta(days=60)).isoformat()
    board.run(start)
    refs = {r["Kind"]: r["Reference"] for r in board.rows()}
    board.set_case(refs["CPR"], Decision="Concise review", Decision_date=today - timedelta(days=55),
                   Themes="Neglect; Information sharing")
    board.set_case(refs["APR"], Decision="Extended review", Decision_date=today - timedelta(days=50),
                   Themes="self-neglect, Mental Health")
    board.set_case(refs["SUSR"], Themes="Domestic abuse;Neglect")
    board.set_case(refs["MAPF"], Themes="Professional curiosity; not a theme")
    board.run((today - timedelta(days=45)).isoformat())
    path = f"{refs['CPR']}/08 Action plan/{refs['CPR']} Action plan.docx"
    board.save_file("Reviews", path, action_plan([
        ("1. Share information at strategy meetings", "Audit attendance", "POLICE", "", "01/01/2026", "Amber", "",
         "Information sharing"),
        ("", "Refresh training", "DCC", "", "31/12/2099", "Not started", "", ""),
        ("2. Neglect toolkit", "Roll out the toolkit", "DCC", "", "01/02/2026", "Complete", "", "Neglect; Escalation"),
        ("3. Curiosity", "Supervision prompts", "UHB", "", "", "", "", "Professional curiosity"),
    ]))
    board.run(today.isoformat())
    return refs


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_report_learning_sheet_and_status_agree_with_the_register(board, tmp_path):
    refs = tagged_board(board)
    today = date.today()
    cases = board.rows("Cases")
    actions = [r for r in board.rows("Actions") if r["Reference"]]
    assert {r["Theme"] for r in actions if r["Reference"] == refs["CPR"]} == {
        "Information sharing", "Neglect; Escalation", "Professional curiosity"}

    # Counted here, from the register alone.
    by_theme = Counter(t for r in cases for t in split(r["Themes"]))
    by_kind = Counter((t, r["Kind"]) for r in cases for t in split(r["Themes"]))
    action_themes = Counter(t for a in actions for t in split(a["Theme"]))
    recommendations = Counter(t for rec in {(a["Reference"], a["Recommendation"]) for a in actions}
                              for t in set().union(*(split(a["Theme"]) for a in actions
                                                     if (a["Reference"], a["Recommendation"]) == rec)))
    heat = Counter((t, a["Lead agency"]) for a in actions for t in split(a["Theme"]))
    assert by_theme["Neglect"] == 2 and by_theme["Self-neglect"] == 1 and by_theme["Mental health"] == 1
    assert recommendations["Information sharing"] == 1 and recommendations["Neglect"] == 1

    # status --json
    result = board.cli("status", "--json", "--all", "--now", today.isoformat())
    assert result.exit_code == 0, result.output
    status = json.loads(result.output)
    assert Counter(t for c in status for t in c["themes"]) == by_theme
    assert Counter((t, c["kind"]) for c in status for t in c["themes"]) == by_kind

    # The report for the year so far.
    out = tmp_path / "report.docx"
    result = board.cli("report", "--from", f"01/01/{today.year}", "--to", today.strftime("%d/%m/%Y"),
                       "--now", today.isoformat(), "-o", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    rows = {r[0]: (count(r[1]), count(r[2])) for r in report_table(data, "Theme")}
    assert {t: n for t, (n, _) in rows.items() if n} == dict(by_theme)
    assert {t: n for t, (_, n) in rows.items() if n} == dict(recommendations)
    agencies = {r[0]: [count(x) for x in r[1:]] for r in report_table(data, "Lead agency")}
    assert agencies["Total"] == [2, 1, 1]  # open, complete, overdue (01/01/2026 has passed)
    text = "\n".join([p.text for p in docx.Document(BytesIO(data)).paragraphs]
                     + [c.text for t in docx.Document(BytesIO(data)).tables for r in t.rows for c in r.cells])
    for case in cases:
        assert case["Subject initials"] not in text.split()

    # The Learning sheet, as LibreOffice calculates it.
    calculated = openpyxl.load_workbook(BytesIO(convert(tmp_path, board.register_bytes(), RECALCULATED)),
                                        data_only=True)["Learning"]
    grid = [list(r) for r in calculated.iter_rows(values_only=True)]
    heads = [i for i, r in enumerate(grid) if r[0] == "Theme"]
    years, kinds, recs = heads
    year_col = grid[years].index(today.year)
    for offset, theme in enumerate(THEMES, start=1):
        assert grid[years + offset][0] == theme
        assert grid[years + offset][year_col] == by_theme[theme], theme
        for col, kind in enumerate(grid[kinds][1:5], start=1):
            assert grid[kinds + offset][col] == by_kind[(theme, kind)], (theme, kind)
        assert grid[recs + offset][1] == recommendations[theme], theme
        assert grid[recs + offset][2] == action_themes[theme], theme
        for col, code in enumerate(grid[recs][3:], start=3):
            if code and code != "Other":
                assert grid[recs + offset][col] == heat[(theme, code)], (theme, code)


def test_export_holds_the_cases_without_personal_data(board, tmp_path):
    refs = tagged_board(board)
    result = board.cli("export", "--format", "json", "--now", date.today().isoformat())
    assert result.exit_code == 0, result.output
    records = {r["reference"]: r for r in json.loads(result.output)}
    assert set(records) == set(refs.values())
    assert records[refs["CPR"]]["themes"] == ["Information sharing", "Neglect"]
    assert records[refs["CPR"]]["actions"] == 4 and records[refs["CPR"]]["actions_complete"] == 1
    initials = {r["Subject initials"] for r in board.rows()}
    assert not any(i in result.output for i in initials)
    csv_out = board.cli("export", "--format", "csv", "--now", date.today().isoformat())
    assert csv_out.exit_code == 0
    lines = csv_out.output.splitlines()
    assert lines[0].startswith("reference,kind,year") and len(lines) == 5
    assert not any(i in csv_out.output for i in initials)


def test_a_report_period_can_be_a_quarter_and_a_bad_one_is_named(board, tmp_path):
    board.run("2026-03-02")
    out = tmp_path / "q1.docx"
    result = board.cli("report", "--quarter", "2026Q1", "--now", "2026-04-02", "-o", str(out), "--no-charts")
    assert result.exit_code == 0, result.output
    referrals = {r[0]: count(r[1]) for r in report_table(out.read_bytes(), "Kind of review requested")}
    assert referrals["Total"] == 4
    bad = board.cli("report", "--quarter", "2026Q5")
    assert bad.exit_code == 2 and "2026Q3" in bad.output and "Traceback" not in bad.output
