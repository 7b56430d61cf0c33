"""Reading an action plan back as people fill it in, and which agencies it names."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date

import docx
import pytest

from o365flow.core.settings import Agency
from o365flow.documents import ActionItem, named_agencies, read_action_plan, unmatched_lead_agencies
from o365flow.documents.actionplan import ActionPlan
from o365flow.errors import DocumentError
from tests.helpers import docx_bytes as _save

HEADER = ("Recommendation", "Action", "Lead agency", "Lead officer", "Target date", "Progress / RAG",
          "Evidence of outcome")
AGENCIES = (
    Agency("POLICE", "North Wales Police", "police@example.org"),
    Agency("UHB", "Betsi Cadwaladr University Health Board", "uhb@example.org"),
    Agency("CONWY", "Conwy County Borough Council", "conwy@example.org"),
    Agency("EDU", "Education Service", "edu@example.org"),
)


def _plan(rows, header=HEADER):
    """A plan shaped like the template: a facts table, the actions table, the sign-off table."""
    document = docx.Document()
    document.add_heading("Action plan", 0)
    facts = document.add_table(rows=2, cols=2)
    for row, (label, value) in zip(facts.rows, [("Reference", "DRSB-CPR-2026-001"), ("Owner", "Coordinator")]):
        row.cells[0].text, row.cells[1].text = label, value
    document.add_heading("Actions", 1)
    table = document.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for values in rows:
        for cell, text in zip(table.add_row().cells, values):
            cell.text = text
    document.add_heading("Sign-off by agencies", 1)  # without it, Word joins the two tables
    signoff = document.add_table(rows=2, cols=4)
    for cell, text in zip(signoff.rows[0].cells, ("Agency", "Code", "Signed off by", "Date")):
        cell.text = text
    return document, table


def test_the_template_table_filled_in_reads_back():
    document, _ = _plan([
        ("1. Share referrals", "Agree a joint protocol", "North Wales Police", "DI Example", "31/03/2027",
         "Amber", ""),
        ("2. Training", "Deliver training", "UHB", "Named nurse", "30 June 2027", "Green", "Attendance list"),
    ])
    plan = read_action_plan(_save(document), "Reviews/R/06 Action plan/plan.docx")
    assert plan == ActionPlan("Reviews/R/06 Action plan/plan.docx", (
        ActionItem("1. Share referrals", "Agree a joint protocol", "North Wales Police", "DI Example",
                   date(2027, 3, 31), "Amber", "", 2),
        ActionItem("2. Training", "Deliver training", "UHB", "Named nurse", date(2027, 6, 30), "Green",
                   "Attendance list", 3),
    ), ())


def test_edited_the_way_people_do():
    # A renamed header, rows added, a blank row, a merged recommendation, dates typed several ways.
    header = ("Recommendations", "Actions to be taken", "Lead organisation", "Lead officer",
              "Target date (dd/mm/yyyy)", "Status", "Evidence")
    document, table = _plan([
        ("R1 Improve information sharing", "Protocol", "Police", "", "3/4/26", "Red", ""),
        ("", "Audit", "UHB", "", "3 April 2026", "Amber", ""),
        ("", "Briefing", "Conwy", "", "2026-04-03", "", ""),
        ("", "", "", "", "", "", ""),
        ("R2 Escalation", "Policy", "edu", "", "next spring", "", ""),
        ("", "Review", "Police", "", "31/02/2027", "", ""),
    ], header=header)
    table.cell(1, 0).merge(table.cell(3, 0))  # the recommendation merged down over its actions
    plan = read_action_plan(_save(document), "plan.docx")
    assert [(i.row, i.recommendation, i.action, i.lead_agency, i.target_date) for i in plan.items] == [
        (2, "R1 Improve information sharing", "Protocol", "Police", date(2026, 4, 3)),
        (3, "R1 Improve information sharing", "Audit", "UHB", date(2026, 4, 3)),
        (4, "R1 Improve information sharing", "Briefing", "Conwy", date(2026, 4, 3)),
        (6, "R2 Escalation", "Policy", "edu", None),
        (7, "R2 Escalation", "Review", "Police", None),
    ]
    assert plan.problems == (
        ("plan.docx, table 2, row 6: the target date is not a date; write it as 14/02/2026, "
         "14 February 2026 or 2026-02-14 (or March 2027 for the end of a month)"),
        ("plan.docx, table 2, row 7: the target date is not a real date; write it as 14/02/2026, "
         "14 February 2026 or 2026-02-14"),
    )
    # What was typed is never echoed back into a message.
    assert not any("spring" in p or "31/02" in p for p in plan.problems)


def test_recommendation_written_once_above_its_actions_or_as_a_heading_row():
    document, table = _plan([
        ("Recommendation 1", "", "", "", "", "", ""),
        ("", "First action", "Police", "", "", "", ""),
        ("", "Second action", "UHB", "", "", "", ""),
        ("Recommendation 2: across the row", "", "", "", "", "", ""),
        ("", "Third action", "Conwy", "", "", "", ""),
        ("Recommendation 3 (no actions yet)", "", "", "", "", "", ""),
    ])
    table.cell(4, 0).merge(table.cell(4, 6))
    plan = read_action_plan(_save(document), "plan.docx")
    assert [(i.row, i.recommendation, i.action) for i in plan.items] == [
        (3, "Recommendation 1", "First action"),
        (4, "Recommendation 1", "Second action"),
        (6, "Recommendation 2: across the row", "Third action"),
        (7, "Recommendation 3 (no actions yet)", ""),
    ]


@pytest.mark.parametrize("typed, expected", [
    ("14/02/2027", date(2027, 2, 14)),
    ("14.02.27", date(2027, 2, 14)),
    ("14th Feb 2027", date(2027, 2, 14)),
    ("March 2027", date(2027, 3, 31)),
    ("End of February 2028", date(2028, 2, 29)),
    ("06/2027", date(2027, 6, 30)),
    ("TBC", None),
    ("", None),
])
def test_target_dates_as_typed(typed, expected):
    document, _ = _plan([("R", "A", "Police", "", typed, "", "")])
    plan = read_action_plan(_save(document), "p.docx")
    assert plan.items[0].target_date == expected
    assert plan.problems == ()


def test_blank_template_has_no_items_and_no_problems():
    document, _ = _plan([("",) * 7] * 8)
    assert read_action_plan(_save(document), "p.docx") == ActionPlan("p.docx", (), ())


def test_a_document_without_the_actions_table_names_the_file_and_the_fix():
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Recommendation", "Action", "Who")):
        cell.text = text
    with pytest.raises(DocumentError) as caught:
        read_action_plan(_save(document), "plan.docx")
    assert str(caught.value).startswith("plan.docx: table 1 has no column headed Lead agency; ")


def _items(*leads: str) -> ActionPlan:
    return ActionPlan("p", tuple(ActionItem("R", "A", lead, "", None, "", "", i) for i, lead in enumerate(leads)))


def test_named_agencies_by_code_or_name_any_case():
    plan = _items("north wales police (PPU)", "Police", "uhb / Conwy County Borough Council", "")
    assert named_agencies(plan, AGENCIES) == ("POLICE", "UHB", "CONWY")
    assert named_agencies(_items("Education Service and UHB"), AGENCIES) == ("UHB", "EDU")
    assert named_agencies(_items(), AGENCIES) == ()


def test_code_must_be_a_whole_word():
    assert named_agencies(_items("Education department"), AGENCIES) == ()
    assert named_agencies(_items("Reduce (EDU)"), AGENCIES) == ("EDU",)


def test_all_agencies_names_every_member():
    assert named_agencies(_items("All agencies"), AGENCIES) == ("POLICE", "UHB", "CONWY", "EDU")


def test_lead_agencies_that_name_no_member_are_listed_once():
    plan = _items("Police", "Probation Service", "probation   Service", "Wales Ambulance", "")
    assert unmatched_lead_agencies(plan, AGENCIES) == ("Probation Service", "Wales Ambulance")


@pytest.mark.office
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_plan_saved_again_by_libreoffice_reads_the_same(tmp_path):
    document, table = _plan([
        ("R1", "Protocol", "Police", "DI", "3/4/26", "Red", ""),
        ("", "Audit", "UHB", "", "3 April 2026", "Amber", ""),
        ("", "", "", "", "", "", ""),
        ("R2", "Policy", "Conwy", "", "March 2027", "", ""),
    ])
    table.cell(1, 0).merge(table.cell(2, 0))
    data = _save(document)
    source = tmp_path / "plan.docx"
    source.write_bytes(data)
    subprocess.run([shutil.which("soffice"), "--headless", "--convert-to", "docx:MS Word 2007 XML",
                    "--outdir", str(tmp_path / "out"), str(source)],
                   env={**os.environ, "HOME": str(tmp_path / "home")}, check=True, capture_output=True, timeout=180)
    again = read_action_plan((tmp_path / "out" / "plan.docx").read_bytes(), "plan.docx")
    assert again == read_action_plan(data, "plan.docx")
    assert [(i.recommendation, i.action) for i in again.items] == [("R1", "Protocol"), ("R1", "Audit"),
                                                                   ("R2", "Policy")]
