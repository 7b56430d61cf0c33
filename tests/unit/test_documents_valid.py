"""Every document o365flow generates is valid Office Open XML (checked with the Open XML SDK's
rules, ported to Python by ``openxml-audit``), and its wording follows the kind of review."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree

from tests.unit.test_templates import GENERATED, WORKFLOWS, render, texts
from tools.templates.sample import demo_config

openxml_audit = pytest.importorskip("openxml_audit")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# CT_TcPr's sequence in the schema (ECMA-376 part 1, 17.4.70).
TCPR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
              "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
              "tcPrChange")
ALL = sorted(set(GENERATED) | {(wf.id, wf.summary_timeline.template) for wf in WORKFLOWS.values() if wf.summary_timeline})


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    return demo_config(tmp_path_factory.mktemp("board"))


@pytest.fixture(scope="module")
def validator():
    return openxml_audit.OpenXmlValidator()


@pytest.mark.parametrize("workflow_id, template", ALL, ids=[t for _, t in ALL])
def test_every_generated_document_is_valid_ooxml(config, validator, tmp_path, workflow_id, template):
    path = tmp_path / "rendered.docx"
    path.write_bytes(render(config, workflow_id, template, timeline=True))
    result = validator.validate(str(path))
    assert result.is_valid, [str(e) for e in result.errors[:5]]


@pytest.mark.parametrize("workflow_id", ["cpr", "apr", "susr"])
def test_shaded_timeline_cells_keep_the_schema_order(config, workflow_id):
    data = render(config, workflow_id, f"{workflow_id}/summary-timeline.docx", timeline=True)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    shaded = 0
    for tc_pr in root.iter(f"{W}tcPr"):
        names = [c.tag.replace(W, "") for c in tc_pr]
        assert names == sorted(names, key=TCPR_ORDER.index), names
        shaded += "shd" in names
    assert shaded >= 3  # one per timeline row


def _words(config, workflow_id, template, decision=None):
    changes = None
    if decision:
        from tools.templates.sample import sample_context

        context = sample_context(config, WORKFLOWS[workflow_id], timeline=False)
        changes = {"case": {**context["case"], "decision": decision}}
    return texts(render(config, workflow_id, template, changes=changes))


def test_the_two_reviewers_rule_is_printed_for_an_extended_review_only(config):
    rule = "An extended review is led by two"
    assert rule in _words(config, "cpr", "cpr/terms-of-reference.docx", decision="Extended review")
    assert rule not in _words(config, "cpr", "cpr/terms-of-reference.docx", decision="Concise review")
    susr = _words(config, "susr", "susr/terms-of-reference.docx")
    assert rule not in susr and "approved list kept by the Welsh Government" in susr
    assert "Action plan signed off by the Case Review Group" in susr and "signed off by agencies" not in susr


def test_the_adult_review_letter_reads_an(config):
    words = _words(config, "apr", "apr/welsh-government-notification.docx")
    assert "Notification of an Adult Practice Review" in words and "a Adult" not in words
    assert "Notification of a Child Practice Review" in _words(config, "cpr", "cpr/welsh-government-notification.docx")


def test_susr_action_plan_is_signed_off_by_the_case_review_group(config):
    words = _words(config, "susr", "susr/action-plan.docx")
    assert "Sign-off by the Case Review Group" in words and "Each agency signs off" not in words


def test_learning_event_plan_gives_the_invitations_times_and_place(config):
    words = _words(config, "cpr", "cpr/learning-event-plan.docx")
    events = config.learning_events
    assert f"{events.start} to {events.end}" in words and events.location in words
    times = re.findall(r"(\d\d:\d\d)", words.split("Programme", 1)[1].split("Supporting", 1)[0])
    assert times[0] == events.start and all(events.start <= t < events.end for t in times)
    assert "09:30" not in words and "15:00" not in words


def test_forum_learning_summary_is_not_dated_before_the_forum(config):
    words = _words(config, "forum", "forum/learning-summary.docx")
    assert "Prepared on" not in words and "the date it is approved, after the forum" in words
