"""The register opened by a real office suite (LibreOffice, headless), where it is installed."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date, datetime, timedelta

import pytest
from openpyxl import Workbook, load_workbook

from o365flow.core.columns import CASES_ORDER, SIGNOFFS_ORDER
from o365flow.core.deadlines import rag
from o365flow.register import Link, read_register, update_register

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(
        SOFFICE is None, reason="LibreOffice (soffice) is not installed"
    ),
]
# Comma, double quote, UTF-8, from line 1, ..., token 9 "save cell contents as shown" (the CSV
# then holds what a person sees in each cell, date format included), and token 12, the sheet
# (2: Cases, the first being the Dashboard).
CSV_AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,2"
RECALCULATED = "xlsx:Calc MS Excel 2007 XML"
ALL_SHEETS_AS_SHOWN = CSV_AS_SHOWN.rsplit(",", 1)[0] + ",-1"  # one CSV file per sheet


def _convert(tmp_path, data: bytes, target: str) -> bytes:
    """``data`` opened and saved again by LibreOffice as ``target``; the bytes it wrote."""
    return convert(tmp_path, data, target)


def convert(tmp_path, data: bytes, target: str) -> bytes:
    """What LibreOffice (headless) makes of the workbook ``data`` when it saves it as ``target``:
    for an .xlsx, every formula is calculated on the way."""
    source = tmp_path / "register.xlsx"
    source.write_bytes(data)
    out = tmp_path / "out"
    shutil.rmtree(out, ignore_errors=True)
    # A private profile: parallel runs of soffice would otherwise clash over one.
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ],
        check=False,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    converted = sorted(out.iterdir())
    return converted[0].read_bytes() if len(converted) == 1 else b""


def _register() -> bytes:
    cases = [
        {
            "Reference": "NWSB-CPR-2026-001",
            "Kind": "CPR",
            "Referral received": date(2026, 2, 14),
            "Stage": "=1+1",
            "Next deadline": date(2026, 8, 14),
            "RAG": "Green",
            "Folder": Link("NWSB-CPR-2026-001", "../Reviews/NWSB-CPR-2026-001/"),
            "Sign-offs outstanding": 2,
        },
        {
            "Reference": "NWSB-APR-2026-001",
            "Kind": "APR",
            "Referral received": date(2026, 3, 1),
            "Stage": "@SUM(A1)",
            "Final report date": date(2026, 12, 31),
            "Notes": "_x0041_ -x",
        },
    ]
    return update_register(
        None, cases, [{"Reference": "NWSB-CPR-2026-001", "Agency": "NWP"}]
    )


def test_libreoffice_shows_dates_as_dd_mm_yyyy_and_text_as_typed(tmp_path):
    text = _convert(tmp_path, _register(), CSV_AS_SHOWN).decode(
        "utf-8-sig", errors="replace"
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(CASES_ORDER)
    first, second = (dict(zip(CASES_ORDER, r)) for r in rows[1:3])
    assert first["Referral received"] == "14/02/2026"
    assert first["Next deadline"] == "14/08/2026"
    assert second["Final report date"] == "31/12/2026"
    assert first["Stage"] == "=1+1" and second["Stage"] == "@SUM(A1)"
    assert second["Notes"] == "_x0041_ -x"
    assert first["Folder"] == "NWSB-CPR-2026-001"


def test_libreoffice_renders_the_register_to_pdf(tmp_path):
    pdf = _convert(tmp_path, _register(), "pdf")
    assert pdf.startswith(b"%PDF")


def test_a_register_saved_by_libreoffice_reads_the_same_and_needs_no_rewrite(tmp_path):
    folder = Link(
        "NWSB-CPR-2026-001",
        "https://example.invalid/sites/board/Reviews/NWSB-CPR-2026-001",
    )
    cases = [
        {
            "Reference": "NWSB-CPR-2026-001",
            "Kind": "CPR",
            "Referral received": date(2026, 2, 14),
            "Stage": "=1+1",
            "Sign-offs outstanding": 2,
            "Folder": folder,
        }
    ]
    signoffs = [
        {"Reference": "NWSB-CPR-2026-001", "Agency": "NWP", "Due": date(2026, 7, 29)}
    ]
    ours = update_register(None, cases, signoffs)
    theirs = _convert(tmp_path, ours, "xlsx:Calc MS Excel 2007 XML")
    assert read_register(theirs) == read_register(ours)
    assert update_register(theirs, cases, signoffs) is None
    grown = update_register(
        theirs, cases + [{"Reference": "NWSB-APR-2026-001", "Kind": "APR"}], []
    )
    assert list(read_register(grown).cases) == [
        "NWSB-CPR-2026-001",
        "NWSB-APR-2026-001",
    ]


# -- the Dashboard, calculated by LibreOffice ---------------------------------------------------
DONE = ("complete", "completed", "done", "green")
STAGE_WORDS = (
    "Awaiting decision",
    "In review",
    "Action plan sign-off",
    "Signed off",
    "Published",
    "Forum arranged",
    "Forum held",
)
KINDS = ("CPR", "APR", "SUSR", "MAPF")


def dashboard_figures(xlsx: bytes) -> dict:
    """The Dashboard's numbers as calculated in ``xlsx``, found by their labels as a person reads
    them: {"grid": {stage: {column title: n}}, "agencies": {code: {title: n}}, "glance": {...},
    "year": {...}}."""
    wb = load_workbook(io.BytesIO(xlsx), data_only=True)
    rows = [[c.value for c in row] for row in wb["Dashboard"].iter_rows(max_col=9)]
    found: dict = {"grid": {}, "agencies": {}, "glance": {}, "year": {}}
    section, titles = None, []
    for values in rows:
        first = values[0]
        if first in ("At a glance", "Reviews completed this year"):
            section = "glance" if first == "At a glance" else "year"
        elif first in ("Open cases by stage and kind", "Action plan sign-offs outstanding by agency"):
            section = None
        elif first == "Stage":
            section, titles = "grid", values
        elif first == "Agency":
            section, titles = "agencies", values
        elif first in (None, "Total") and section in ("grid", "agencies"):
            section = None
        elif section in ("grid", "agencies"):
            found[section][first] = {
                t: v for t, v in zip(titles[1:], values[1:]) if t and t != "Name"
            }
        elif section in ("glance", "year") and first:
            found[section][first] = values[5]
    return found


def expected_figures(cases, signoffs, actions, today: date, amber_days: int = 14) -> dict:
    """The same numbers worked out in Python from the rows the register was written with."""
    soon = f"Due within {amber_days} days"

    def stage_of(row):
        return (row.get("Stage") or "").replace(" (on hold)", "")

    def is_date(value):
        return isinstance(value, date)

    grid = {}
    for stage in STAGE_WORDS:
        at = [r for r in cases if stage_of(r) == stage]
        grid[stage] = {k: sum(r.get("Kind") == k for r in at) for k in KINDS}
        grid[stage].update(
            {
                "Total": len(at),
                "On hold": len(at) - sum(r.get("Stage") == stage for r in at),
                # Counted from the RAG the worker wrote (one rule: core.deadlines.rag); a hold
                # stops only its own clocks, so a held case's RAG counts too.
                "Overdue": sum(r.get("RAG") == "Red" for r in at),
                soon: sum(r.get("RAG") == "Amber" for r in at),
            }
        )
    unfinished = {
        r["Reference"]
        for r in cases
        if stage_of(r) not in ("Closed", "Published")
    }
    agencies = {}
    for row in signoffs:
        counts = agencies.setdefault(row["Agency"], {"Outstanding": 0, "Overdue": 0})
        if row.get("Signed off") is None and row["Reference"] in unfinished:
            counts["Outstanding"] += 1
            due = row.get("Due")
            counts["Overdue"] += is_date(due) and due < today
    this_year = [
        r
        for r in cases
        if is_date(r.get("Final report date")) and r["Final report date"].year == today.year
    ]
    on_time = [
        r
        for r in this_year
        if is_date(r.get("Review due")) and r["Final report date"] <= r["Review due"]
    ]
    late_actions = [
        a
        for a in actions
        if is_date(a.get("Target date"))
        and a["Target date"] < today
        and str(a.get("Progress") or "").strip().lower() not in DONE
    ]
    totals = {t: sum(g[t] for g in grid.values()) for t in ("Total", "Overdue", soon)}
    return {
        "grid": grid,
        "agencies": agencies,
        "glance": {
            "Open cases": totals["Total"],
            "Overdue: next deadline before today": totals["Overdue"],
            f"{soon} (today included)": totals[soon],
            "Action plan sign-offs outstanding": sum(a["Outstanding"] for a in agencies.values()),
            "… of which past their due date": sum(a["Overdue"] for a in agencies.values()),
            "Actions past their target date and not complete": len(late_actions),
            "Reviews completed within 6 months this year": len(on_time),
        },
        "year": {
            "Final reports dated this year": len(this_year),
            "… on or before Review due (within 6 months)": len(on_time),
            "Share completed within 6 months": len(on_time) / len(this_year) if this_year else "",
        },
    }


def _varied_register(today: date, amber_days: int = 14):
    """Cases at every stage and kind, on hold or not, with deadlines either side of today."""
    days = lambda n: today + timedelta(days=n)
    year = today.year
    plan = [
        ("CPR", "In review", days(-3), None, days(30)),
        ("CPR", "In review", days(0), None, days(30)),
        ("APR", "In review", days(14), None, days(30)),
        ("APR", "In review", days(15), None, days(30)),
        ("SUSR", "In review (on hold)", days(-40), None, days(30)),
        ("CPR", "Awaiting decision", days(-1), None, None),
        ("MAPF", "Forum arranged", days(5), None, None),
        ("MAPF", "Forum held", None, None, None),
        ("CPR", "Action plan sign-off", days(-2), date(year, 1, 1), date(year, 1, 1)),
        ("APR", "Action plan sign-off", days(20), date(year, 1, 2), date(year, 1, 1)),
        ("SUSR", "Signed off", None, date(year - 1, 12, 31), date(year, 3, 1)),
        ("CPR", "Published", None, date(year, 1, 5), date(year, 6, 1)),
        ("APR", "Closed", days(-100), date(year, 1, 6), date(year, 6, 1)),
        ("CPR", "In review", days(-5), "not a date", days(30)),
    ]
    cases = []
    for n, (kind, stage, deadline, final, due) in enumerate(plan, start=1):
        cases.append(
            {
                "Reference": f"NWSB-{kind}-2026-{n:03d}",
                "Kind": kind,
                "Stage": stage,
                "Next deadline": deadline,
                "RAG": rag(deadline if isinstance(deadline, date) else None, today, amber_days,
                           stage.endswith("(on hold)")) or None,
                "Final report date": final,
                "Review due": due,
            }
        )
    refs = {stage: c["Reference"] for c, (_, stage, *_rest) in zip(cases, plan)}
    signoffs = []
    for stage in ("Action plan sign-off", "Published", "Closed", "Signed off"):
        for code, signed, due in (
            ("NWP", None, days(-1)),
            ("BCU", None, days(10)),
            ("CCBC", days(-7), days(-1)),
        ):
            signed = signed if stage != "Signed off" else days(-3)
            signoffs.append(
                {"Reference": refs[stage], "Agency": code, "Due": due, "Signed off": signed}
            )
    signoffs.append({"Reference": "NWSB-CPR-2099-999", "Agency": "NWP", "Due": days(-9)})
    actions = [
        {"Reference": refs["Published"], "Item": 1, "Target date": days(-1), "Progress": "In progress"},
        {"Reference": refs["Published"], "Item": 2, "Target date": days(-1), "Progress": " Complete "},
        {"Reference": refs["Published"], "Item": 3, "Target date": days(-1), "Progress": "done"},
        {"Reference": refs["Published"], "Item": 4, "Target date": days(1), "Progress": None},
        {"Reference": refs["Closed"], "Item": 1, "Target date": days(-30), "Progress": "=late"},
        {"Reference": refs["Closed"], "Item": 2, "Target date": None, "Progress": "Red"},
    ]
    return cases, signoffs, actions


def test_the_dashboard_calculated_by_libreoffice_matches_the_rows(tmp_path):
    today = date.today()
    cases, signoffs, actions = _varied_register(today)
    data = update_register(
        None, cases, signoffs, actions=actions, agencies=("BCU", "NWP", "DCC"), amber_days=14
    )
    figures = dashboard_figures(convert(tmp_path, data, RECALCULATED))
    want = expected_figures(cases, signoffs, actions, today)
    want["agencies"]["DCC"] = {"Outstanding": 0, "Overdue": 0}  # listed, nothing requested
    assert list(figures["agencies"]) == ["BCU", "NWP", "DCC", "CCBC"]
    assert figures == want
    assert want["glance"]["Open cases"] == 13 and want["glance"]["Action plan sign-offs outstanding"] == 2


def test_a_changed_amber_window_changes_what_is_due_soon(tmp_path):
    today = date.today()
    cases, signoffs, actions = _varied_register(today)
    data = update_register(None, cases, signoffs, actions=actions, amber_days=14)
    cases, signoffs, actions = _varied_register(today, amber_days=15)  # the worker's RAG moves
    data = update_register(data, cases, signoffs, amber_days=15)
    figures = dashboard_figures(convert(tmp_path, data, RECALCULATED))
    assert figures == expected_figures(cases, signoffs, actions, today, amber_days=15)


def test_every_sheet_opens_in_libreoffice_with_its_values(tmp_path):
    today = date.today()
    cases, signoffs, actions = _varied_register(today)
    when = datetime(2026, 11, 2, 9, 30)
    mail = f"escalation/{cases[0]['Reference']}/NWP"
    audit = [{"When": when, "Reference": cases[0]["Reference"], "What": "=stage", "Why": "rule: review", "Mail": mail}]
    for row in signoffs:
        if row["Agency"] == "NWP":
            row["Agency name"] = "North Wales Police"
    data = update_register(None, cases, signoffs, actions=actions, audit=audit)
    convert(tmp_path, data, ALL_SHEETS_AS_SHOWN)
    shown = {
        p.stem.split("-", 1)[1]: list(csv.reader(io.StringIO(p.read_text("utf-8-sig"))))
        for p in (tmp_path / "out").iterdir()
    }
    assert set(shown) == {"Dashboard", "Cases", "Sign-offs", "Actions", "Audit", "Learning", "Lists"}
    assert not any("#" in cell or "Err:" in cell for row in shown["Learning"] for cell in row)
    assert shown["Audit"][1] == ["02/11/2026 09:30", cases[0]["Reference"], "=stage", "rule: review", mail]
    late = dict(zip(shown["Actions"][0], shown["Actions"][5]))
    assert (late["Reference"], late["Item"], late["Progress"]) == (cases[12]["Reference"], "1", "=late")
    assert late["Target date"] == (today - timedelta(days=30)).strftime("%d/%m/%Y")
    assert not any("#" in cell or "Err:" in cell for row in shown["Dashboard"] for cell in row)
    names = {r[0]: r[1] for r in shown["Dashboard"] if r and r[0] in ("NWP", "BCU", "CCBC")}
    assert names == {"NWP": "North Wales Police", "BCU": "", "CCBC": ""}


def test_a_register_without_tables_gets_the_same_figures(tmp_path):
    # Typed by hand: plain header rows and no Excel tables, so the formulas use plain ranges.
    wb = Workbook()
    wb.active.title = "Cases"
    wb.active.append(["Our own column", *CASES_ORDER])
    wb.create_sheet("Sign-offs").append(list(SIGNOFFS_ORDER))
    out = io.BytesIO()
    wb.save(out)
    today = date.today()
    cases, signoffs, actions = _varied_register(today)
    data = update_register(out.getvalue(), cases, signoffs, actions=actions)
    assert load_workbook(io.BytesIO(data))["Cases"].tables == {}
    figures = dashboard_figures(convert(tmp_path, data, RECALCULATED))
    assert figures == expected_figures(cases, signoffs, actions, today)
