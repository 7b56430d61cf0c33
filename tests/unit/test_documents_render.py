"""Rendering the shipped Word templates, and what a template is not allowed to do."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from o365flow.commands.check import DOCUMENT_CONTEXT
from o365flow.documents import render_docx, template_variables
from o365flow.errors import DocumentError
from o365flow.plan.context import TIMELINE_KEYS

TEMPLATES = Path(__file__).resolve().parents[2] / "o365flow" / "data" / "templates"
# The English set of case documents; the Welsh (.cy.docx) and bilingual (.cy+en.docx) versions:
# test_welsh_documents; the board's quarterly report has its own context: tests/e2e/test_learning.py.
RENDERED = sorted(p for p in TEMPLATES.rglob("*.docx")
                  if p.name != "referral-form.docx" and len(p.suffixes) == 1 and p.parent.name != "report")
REVIEW_SET = {
    "welsh-government-notification", "terms-of-reference", "panel-membership", "names-not-to-publish",
    "agency-timeline-return", "summary-timeline", "learning-event-plan", "family-engagement-record",
    "practice-review-report", "action-plan", "seven-minute-briefing",
}
EXPECTED = {f"{folder}/{name}.docx" for folder in ("cpr", "apr", "susr") for name in REVIEW_SET} | {
    "forum/facilitation-plan.docx", "forum/case-learning-notes.docx", "forum/learning-summary.docx",
}
CONTEXT_KEYS = DOCUMENT_CONTEXT | TIMELINE_KEYS
REFERENCE = "NWSB-CPR-2026-001"
CONTEXT = {
    "board": {"name": "North Wales Safeguarding Board", "code": "NWSB", "address": ["Ffordd y Castell", "LL99 9ZZ"]},
    "case": {
        "reference": REFERENCE, "kind": "CPR", "kind_name": "Child Practice Review",
        "workflow": "cpr", "workflow_name": "Child practice review", "decision": "Extended review",
        "decision_date": "14 February 2026", "review_due": "14 August 2026",
        "referral_received": "2 February 2026", "incident_date": "20 January 2026",
        "referring_agency": "North Wales Police", "subject_initials": "ZQ",
        "reviewers": ["Reviewer One", "Reviewer Two"], "panel_members": ["Panel Chair"],
        "suggested_review": "Extended review", "learning_event_date": "",
        "final_report_date": "",
    },
    "agencies": [
        {"code": "NWP", "name": "North Wales Police"},
        {"code": "BCUHB", "name": "Betsi Cadwaladr University Health Board"},
        {"code": "CCBC", "name": "Conwy County Borough Council & Partners"},
    ],
    "signoff_agencies": [{"code": "NWP", "name": "North Wales Police"}],
    "coordinator": {"name": "Review Coordinator", "email": "reviews@example.org"},
    "generated_on": "15 February 2026",
    "wording": {"review_name": "Child Practice Review", "panel_name": "review panel",
                "panel_chair": "review panel chair", "reviewers": "reviewers",
                "subject_term": "child", "subject_label": "Child A"},
    "timeline": [{"date": "03/02/2025", "time": "", "agency": "North Wales Police", "what": "Call & visit",
                  "who": "Officer", "source": "Log 1", "flag": ""}],
    "timeline_returns": [{"agency": "North Wales Police", "file": "NWP.docx"}],
    "timeline_missing": [],
}


def _parts(data: bytes) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {n: archive.read(n).decode("utf-8") for n in archive.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)}


def _template(*paragraphs: list[str]) -> bytes:
    """A .docx with one paragraph per item; an item is the list of its runs."""
    document = docx.Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text in runs:
            paragraph.add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_whole_template_set_is_shipped():
    shipped = {str(p.relative_to(TEMPLATES)) for p in RENDERED}
    assert shipped == EXPECTED
    assert (TEMPLATES / "referral-form.docx").is_file()


@pytest.mark.parametrize("path", RENDERED, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_shipped_template_renders_completely(path):
    data = render_docx(path.read_bytes(), CONTEXT, title=path.stem, subject=REFERENCE)
    parts = _parts(data)
    assert any(n.startswith("word/header") for n in parts), "header missing"
    assert any(n.startswith("word/footer") for n in parts), "footer missing"
    for name, xml in parts.items():
        assert "{{" not in xml and "{%" not in xml, f"unrendered tag in {name}"
    headers = "".join(xml for name, xml in parts.items() if "header" in name)
    footers = "".join(xml for name, xml in parts.items() if "footer" in name)
    assert REFERENCE in headers
    assert "OFFICIAL-SENSITIVE" in headers
    assert "NUMPAGES" in footers and "PAGE" in footers
    document = docx.Document(io.BytesIO(data))
    if path.stem != "welsh-government-notification":  # a letter opens with its letterhead
        assert document.paragraphs[0].style.name == "Title"
    for section in document.sections:  # A4, portrait or landscape
        assert {round(section.page_width.mm), round(section.page_height.mm)} == {210, 297}


@pytest.mark.parametrize("path", RENDERED, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_shipped_template_renders_with_empty_lists_and_dates(path):
    context = copy.deepcopy(CONTEXT)
    context["agencies"] = context["signoff_agencies"] = []
    context["board"]["address"] = context["timeline"] = context["timeline_returns"] = []
    context["timeline_missing"] = ["North Wales Police"]
    context["case"].update(reviewers=[], panel_members=[], decision="", decision_date="",
                           review_due="", incident_date="", suggested_review="")
    parts = _parts(render_docx(path.read_bytes(), context))
    for name, xml in parts.items():
        assert "{{" not in xml and "{%" not in xml, f"unrendered tag in {name}"


def test_empty_lists_say_to_be_confirmed():
    context = copy.deepcopy(CONTEXT)
    context["agencies"] = []
    context["case"]["panel_members"] = []
    data = render_docx((TEMPLATES / "cpr/terms-of-reference.docx").read_bytes(), context)
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert "To be confirmed." in texts
    assert "Reviewer One" in texts
    agencies_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Agency")
    assert [row.cells[0].text for row in agencies_table.rows] == [
        "Agency", "Agencies to be confirmed by the review panel."]


def test_agency_rows_are_looped_and_values_escaped():
    data = render_docx((TEMPLATES / "cpr/terms-of-reference.docx").read_bytes(), CONTEXT)
    document = docx.Document(io.BytesIO(data))
    agencies_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Agency")
    assert [row.cells[1].text for row in agencies_table.rows[1:]] == ["NWP", "BCUHB", "CCBC"]
    assert agencies_table.rows[3].cells[0].text == "Conwy County Borough Council & Partners"


def test_report_has_the_guidance_headings():
    data = render_docx((TEMPLATES / "cpr/practice-review-report.docx").read_bytes(), CONTEXT)
    headings = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.style.name.startswith("Heading")]
    for heading in ["Brief outline of circumstances", "Practice and organisational learning",
                    "Improving systems and practice", "Statement by reviewer(s)",
                    "Statement by review panel chair", "Appendices",
                    "Appendix 1: Terms of reference", "Appendix 2: Summary timeline"]:
        assert heading in headings


@pytest.mark.parametrize("name, header", [
    ("cpr/agency-timeline-return.docx", ["Date", "Time", "What happened", "Who was involved", "Source record"]),
    ("cpr/action-plan.docx", ["Recommendation", "Action", "Lead agency", "Lead officer", "Target date",
                                 "Progress / RAG", "Evidence of outcome"]),
])
def test_return_tables_have_their_columns_and_blank_rows(name, header):
    document = docx.Document(io.BytesIO(render_docx((TEMPLATES / name).read_bytes(), CONTEXT)))
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == header)
    assert len(table.rows) >= 6
    assert all(cell.text == "" for cell in table.rows[-1].cells)


@pytest.mark.parametrize("path", sorted(p for p in TEMPLATES.rglob("*.docx") if p.parent.name != "report"),
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_use_only_the_context(path):
    assert template_variables(path.read_bytes()) <= CONTEXT_KEYS


def test_referral_form_has_no_tags():
    assert template_variables((TEMPLATES / "referral-form.docx").read_bytes()) == set()


def test_template_variables_sees_headers_and_not_loop_variables():
    document = docx.Document()
    document.add_paragraph("{% for a in agencies %}{{ a.name }}{% endfor %}{% set x = 1 %}{{ x }}{{ range(2)|list }}")
    document.sections[0].header.paragraphs[0].text = "{{ case.reference }}"
    document.sections[0].footer.paragraphs[0].text = "{{ board.name }}"
    buffer = io.BytesIO()
    document.save(buffer)
    assert template_variables(buffer.getvalue()) == {"agencies", "case", "board"}


def test_placeholder_split_across_runs_renders():
    data = render_docx(_template(["Ref: {{ ca", "se.refer", "ence }} end"]), CONTEXT)
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == f"Ref: {REFERENCE} end"


def test_core_properties_are_set():
    data = render_docx(_template(["{{ case.reference }}"]), CONTEXT, title="Terms of reference", subject=REFERENCE)
    properties = docx.Document(io.BytesIO(data)).core_properties
    assert properties.title == "Terms of reference"
    assert properties.subject == REFERENCE
    assert properties.author == "o365flow"
    assert properties.last_modified_by == "o365flow"


def test_rendering_is_deterministic():
    template = (TEMPLATES / "cpr/action-plan.docx").read_bytes()
    assert render_docx(template, CONTEXT, subject=REFERENCE) == render_docx(template, CONTEXT, subject=REFERENCE)


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__ }}",
    "{{ case.__class__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ case.reviewers.append('x') }}",
    "{% if ''.__class__ %}leak{% endif %}",
])
def test_sandbox_refuses_python_internals(attack):
    with pytest.raises(DocumentError, match="not allowed in a template"):
        render_docx(_template([attack]), CONTEXT)


def test_syntax_error_names_where():
    with pytest.raises(DocumentError) as caught:
        render_docx(_template(["Fine"], ["Broken {% if case.reference %} here"]), CONTEXT,
                    source="templates/review/broken.docx")
    assert str(caught.value).startswith("templates/review/broken.docx (document.xml): ")
    assert "Broken" in str(caught.value)


def test_undefined_name_is_an_error_not_a_blank():
    with pytest.raises(DocumentError, match="refrence"):
        render_docx(_template(["{{ case.refrence }}"]), CONTEXT)


def test_errors_never_echo_case_data():
    for template in (["{{ {}[case.subject_initials] }}"], ["{{ 1 / 0 }}"]):
        with pytest.raises(DocumentError) as caught:
            render_docx(_template(template), CONTEXT)
        assert "ZQ" not in str(caught.value)


def test_not_a_template():
    with pytest.raises(DocumentError, match="not a Word document"):
        render_docx(b"plain text", CONTEXT)
    with pytest.raises(DocumentError, match="^odd.docx: not a Word document"):
        template_variables(b"plain text", source="odd.docx")


def test_the_report_template_uses_only_the_report_context():
    path = TEMPLATES / "report" / "quarterly-report.docx"
    assert template_variables(path.read_bytes()) <= {"board", "period", "as_at"}
