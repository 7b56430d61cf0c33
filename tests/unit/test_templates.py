"""The shipped template set, rendered with the context each workflow really supplies: complete,
worded for its workflow, marked and referenced, and anonymised where a document is shared."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from o365flow.commands.check import DOCUMENT_CONTEXT
from o365flow.documents import render_docx, template_variables
from o365flow.documents.ooxml import w
from o365flow.plan.context import TIMELINE_KEYS, wording_for
from o365flow.configuration.workflows import load_workflows
from tools.templates.sample import (
    INITIALS,
    TIMELINE,
    demo_config,
    sample_context,
    sample_row,
)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "o365flow" / "data" / "templates"
WORKFLOWS = load_workflows()
REVIEWS = ("cpr", "apr", "susr")
# These leave the restricted case folder: no initials, no names from the case.
SHARED = ("welsh-government-notification", "seven-minute-briefing", "learning-summary")
GENERATED = [(wf.id, doc.template) for wf in WORKFLOWS.values() for doc in wf.documents]


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    return demo_config(tmp_path_factory.mktemp("board"))


def render(config, workflow_id: str, template: str, *, timeline=False, changes=None) -> bytes:
    """The template rendered as the workflow would, with ``changes`` to the context."""
    context = {**sample_context(config, WORKFLOWS[workflow_id], timeline=timeline), **(changes or {})}
    return render_docx((TEMPLATES / template).read_bytes(), context, title=Path(template).stem,
                       subject=context["case"]["reference"], source=template)


def xml_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")}


def visible(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def texts(data: bytes) -> str:
    """All the words of the body, headers and footers."""
    return "\n".join(visible(x) for n, x in xml_parts(data).items()
                     if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n))


def table_with_header(document, header: list[str]):
    return next(t for t in document.tables if [c.text for c in t.rows[0].cells] == header)


REFERENCES = {"cpr": "DRSB-CPR-2026-004", "apr": "DRSB-APR-2026-004",
              "susr": "DRSB-SUSR-2026-004", "forum": "DRSB-MAPF-2026-004"}


@pytest.mark.parametrize("workflow_id, template", GENERATED, ids=[t for _, t in GENERATED])
def test_each_generated_document_renders_completely_with_its_workflows_context(config, workflow_id, template):
    assert template.startswith(f"{workflow_id}/"), "each workflow has its own template folder"
    data = render(config, workflow_id, template)
    for name, xml in xml_parts(data).items():
        assert "{{" not in xml and "{%" not in xml, f"unrendered tag in {name}"
    context = sample_context(config, WORKFLOWS[workflow_id], timeline=False)
    assert template_variables((TEMPLATES / template).read_bytes()) <= DOCUMENT_CONTEXT <= set(context)


@pytest.mark.parametrize("workflow_id, template", GENERATED, ids=[t for _, t in GENERATED])
def test_header_and_footer_carry_the_reference_marking_and_page_numbers(config, workflow_id, template):
    parts = xml_parts(render(config, workflow_id, template))
    headers = "".join(visible(x) for n, x in parts.items() if n.startswith("word/header"))
    footers = "".join(x for n, x in parts.items() if n.startswith("word/footer"))
    assert REFERENCES[workflow_id] in headers
    assert "SENSITIVE – not for onward circulation" in headers
    assert "PAGE" in footers and "NUMPAGES" in footers
    assert "Dyffryn Regional Safeguarding Board" in visible(footers)


@pytest.mark.parametrize("workflow_id, template",
                         [(wid, t) for wid, t in GENERATED if Path(t).stem in SHARED] +
                         [(wid, f"{wid}/seven-minute-briefing.docx") for wid in REVIEWS])
def test_shared_documents_never_name_the_subject_or_anyone_in_the_case(config, workflow_id, template):
    data = render(config, workflow_id, template)
    everything = "".join(visible(x) for x in xml_parts(data).values())
    row = sample_row(workflow_id)
    for private in [INITIALS, INITIALS.replace(".", ""), *re.split(r"[;,] ?", row["Reviewers"]),
                    *re.split(r"[;,] ?", row["Panel members"])]:
        assert private not in everything


def test_every_review_workflow_generates_the_shared_documents():
    for wid in REVIEWS:
        stems = {Path(d.template).stem for d in WORKFLOWS[wid].documents}
        assert {"welsh-government-notification", "seven-minute-briefing", "names-not-to-publish"} <= stems
    assert "forum/learning-summary.docx" in {d.template for d in WORKFLOWS["forum"].documents}


def test_restricted_documents_may_carry_the_initials(config):
    data = render(config, "cpr", "cpr/family-engagement-record.docx")
    assert INITIALS in texts(data)


@pytest.mark.parametrize("workflow_id, template", GENERATED, ids=[t for _, t in GENERATED])
def test_wording_follows_the_workflow(config, workflow_id, template):
    words = texts(render(config, workflow_id, template))
    if workflow_id == "cpr":
        assert "adult at risk" not in words and "Case Review Group" not in words
    if workflow_id == "apr":
        assert "the child" not in words and "Case Review Group" not in words
    if workflow_id == "susr":
        assert "review panel" not in words.lower()
        assert "Child Practice Review" not in words and "Adult Practice Review" not in words


def test_susr_speaks_of_the_case_review_group_and_approved_reviewers(config):
    words = texts(render(config, "susr", "susr/terms-of-reference.docx"))
    assert "Case Review Group" in words and "reviewers from the approved list" in words
    assert "Single Unified Safeguarding Review" in words


def test_susr_subject_term_follows_the_referral(config):
    susr = WORKFLOWS["susr"]
    assert wording_for(susr, "CPR")["subject_term"] == "child"
    assert wording_for(susr, "APR")["subject_term"] == "adult at risk"
    assert wording_for(susr, "SUSR")["subject_term"] == "person"
    assert wording_for(WORKFLOWS["apr"], "APR")["subject_label"] == "Adult A"


@pytest.mark.parametrize("workflow_id", REVIEWS)
def test_summary_timeline_loops_over_the_merged_entries(config, workflow_id):
    template = f"{workflow_id}/summary-timeline.docx"
    assert template not in {d.template for d in WORKFLOWS[workflow_id].documents}
    assert template_variables((TEMPLATES / template).read_bytes()) <= DOCUMENT_CONTEXT | TIMELINE_KEYS
    data = render(config, workflow_id, template, timeline=True)
    for name, xml in xml_parts(data).items():
        assert "{{" not in xml and "{%" not in xml, f"unrendered tag in {name}"
    document = docx.Document(io.BytesIO(data))
    table = table_with_header(document, ["Date", "Time", "Agency", "What happened", "Who was involved",
                                         "Source record", "Note for the panel"])
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [r[0] for r in rows] == [e["date"] for e in TIMELINE]
    assert [r[6] for r in rows] == [e["flag"] for e in TIMELINE]
    words = texts(data)
    assert "Police chronology v2.docx" in words and "Not yet returned: Probation Service in Wales." in words


def test_summary_timeline_with_nothing_returned_says_so(config):
    data = render(config, "cpr", "cpr/summary-timeline.docx",
                  changes={"timeline": [], "timeline_returns": [], "timeline_missing": []})
    words = texts(data)
    assert "No entries yet" in words and "No return has been received yet." in words
    assert "Every agency asked has returned its timeline." in words


def test_agency_timeline_return_is_what_the_chronology_reader_expects(config):
    data = render(config, "apr", "apr/agency-timeline-return.docx")
    document = docx.Document(io.BytesIO(data))
    table_with_header(document, ["Date", "Time", "What happened", "Who was involved", "Source record"])
    agency_row = next(r for t in document.tables for r in t.rows if r.cells[0].text == "Agency")
    assert len(agency_row.cells) == 2
    tags = [e.get(w("val")) for e in agency_row._tr.iter(w("tag"))]
    assert tags == ["agency"]


def test_action_plan_has_its_columns_and_rows_to_fill(config):
    document = docx.Document(io.BytesIO(render(config, "susr", "susr/action-plan.docx")))
    table = table_with_header(document, ["Recommendation", "Theme", "Action", "Lead agency", "Lead officer",
                                         "Target date", "Progress / RAG", "Evidence of outcome"])
    assert len(table.rows) >= 6 and all(c.text == "" for r in table.rows[1:] for c in r.cells)


def test_panel_membership_lists_each_member_to_sign(config):
    document = docx.Document(io.BytesIO(render(config, "cpr", "cpr/panel-membership.docx")))
    table = table_with_header(document, ["Name", "Role and agency", "Signature", "Date"])
    assert [r.cells[0].text for r in table.rows[1:4]] == ["Siân Roberts", "Tom Evans", "Priya Shah"]


def test_names_not_to_publish_is_a_one_column_list(config):
    document = docx.Document(io.BytesIO(render(config, "cpr", "cpr/names-not-to-publish.docx")))
    table = table_with_header(document, ["Name"])
    assert len(table.columns) == 1 and len(table.rows) > 10
    assert "Restricted" in texts(render(config, "cpr", "cpr/names-not-to-publish.docx"))


def test_welsh_government_letter(config):
    words = texts(render(config, "cpr", "cpr/welsh-government-notification.docx"))
    assert "Dear Sir or Madam," in words and "DRSB-CPR-2026-004" in words
    assert "10 March 2026" in words and "Concise review" in words and "16 March 2026" in words
    context = sample_context(config, WORKFLOWS["cpr"], timeline=False)
    assert context["board"]["address"] == ["Dyffryn House", "High Street", "Dyffryn", "DY1 1AA"]  # from [board] address
    board = {**context["board"], "address": ["County Hall", "LL99 9ZZ"]}
    assert "County HallLL99 9ZZ" in texts(render(config, "cpr", "cpr/welsh-government-notification.docx",
                                                 changes={"board": board}))


def test_report_has_the_guidance_headings_in_each_workflows_words(config):
    for wid, chair in [("cpr", "review panel chair"), ("susr", "Case Review Group chair")]:
        document = docx.Document(io.BytesIO(render(config, wid, f"{wid}/practice-review-report.docx")))
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        assert headings[:4] == ["Brief outline of circumstances", "Practice and organisational learning",
                                "Improving systems and practice", "Recommendations"]
        assert f"Statement by {chair}" in headings
        assert headings[-3:] == ["Appendices", "Appendix 1: Terms of reference", "Appendix 2: Summary timeline"]


def test_seven_minute_briefing_has_seven_sections(config):
    document = docx.Document(io.BytesIO(render(config, "apr", "apr/seven-minute-briefing.docx")))
    numbers = [row.cells[0].text for table in document.tables for row in table.rows]
    assert numbers == [str(n) for n in range(1, 8)]


def test_documents_go_to_the_workflows_numbered_folders():
    for wf in WORKFLOWS.values():
        names = [d.name for d in wf.documents]
        assert len(names) == len(set(names))
        for doc in wf.documents:
            assert doc.folder in wf.folders and re.match(r"\d\d ", doc.folder)
            assert (TEMPLATES / doc.template).is_file()
        assert wf.final_report_folder not in {d.folder for d in wf.documents}


def test_the_readme_lists_the_shipped_templates():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Templates", 1)[1].split("\n## ", 1)[0]
    shipped = sorted(p.relative_to(TEMPLATES) for p in TEMPLATES.rglob("*.docx"))
    for path in shipped:
        assert path.name in section, f"{path} is not in the README's templates section"
    for folder in ("cpr", "apr", "susr", "forum"):
        assert f"{folder}/" in section
    assert "review/" not in section


# What people fill in is read back by the project's own readers, exactly as shipped.

def _filled(data: bytes, header: list[str], rows: list[list[str]]) -> bytes:
    document = docx.Document(io.BytesIO(data))
    table = table_with_header(document, header)
    for row, values in zip(table.rows[1:], rows):
        for cell, value in zip(row.cells, values):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_filled_in_timeline_return_is_read_back(config):
    from o365flow.documents.timeline import read_timeline_return

    blank = render(config, "cpr", "cpr/agency-timeline-return.docx")
    assert read_timeline_return(blank, "blank").entries == ()
    header = ["Date", "Time", "What happened", "Who was involved", "Source record"]
    data = _filled(blank, header, [["14/02/2025", "09:30", "Home visit", "Social worker", "Case note 4"]])
    read = read_timeline_return(data, "return")
    assert [(e.date.isoformat(), e.what, e.source) for e in read.entries] == [("2025-02-14", "Home visit", "Case note 4")]
    assert read.problems == ()


@pytest.mark.parametrize("workflow_id", REVIEWS)
def test_a_filled_in_action_plan_is_read_back_with_its_themes(config, workflow_id):
    from o365flow.documents.actionplan import read_action_plan

    header = ["Recommendation", "Theme", "Action", "Lead agency", "Lead officer", "Target date",
              "Progress / RAG", "Evidence of outcome"]
    data = _filled(render(config, workflow_id, f"{workflow_id}/action-plan.docx"), header, [
        ["1. Share PPNs", "Information sharing; Domestic abuse", "Audit screening", "Dyffryn Police", "DI Jones",
         "31/03/2027", "Amber", ""],
        ["", "", "Train call handlers", "Dyffryn Police", "", "", "", ""],  # the theme carries on
    ])
    plan = read_action_plan(data, "plan")
    assert [(i.action, i.lead_agency, i.theme) for i in plan.items] == [
        ("Audit screening", "Dyffryn Police", "Information sharing; Domestic abuse"),
        ("Train call handlers", "Dyffryn Police", "Information sharing; Domestic abuse"),
    ]
    assert plan.items[0].target_date.isoformat() == "2027-03-31" and plan.problems == ()


def test_the_names_list_is_read_back(config):
    from o365flow.documents.anonymise import read_name_list

    blank = render(config, "susr", "susr/names-not-to-publish.docx")
    assert read_name_list(blank) == []
    assert read_name_list(_filled(blank, ["Name"], [["Jane Doe"], [""], ["Bryn"]])) == ["Jane Doe", "Bryn"]


@pytest.mark.parametrize("template", ["welsh-government-notification", "seven-minute-briefing",
                                      "practice-review-report"])
@pytest.mark.parametrize("workflow_id", REVIEWS)
def test_the_anonymisation_check_finds_nothing_in_what_is_published(config, workflow_id, template):
    from o365flow.documents.anonymise import find_names, names_to_find

    data = render(config, workflow_id, f"{workflow_id}/{template}.docx")
    assert find_names(data, names_to_find(subject_initials=INITIALS), source=template) == []
