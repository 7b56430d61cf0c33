"""The Welsh (.cy.docx) and bilingual (.cy+en.docx) documents: complete with each workflow's
context, in Welsh terms and dates, anonymised where shared, and read back by the project's own
readers when filled in, in Welsh or bilingual."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from o365flow.commands.check import DOCUMENT_CONTEXT
from o365flow.configuration.workflows import load_workflows
from o365flow.documents import render_docx, template_variables
from o365flow.documents.anonymise import find_names, names_to_find
from o365flow.documents.referral import REFERRAL_LABELS_CY, fill_referral_form, read_referral_fields
from o365flow.documents.render import template_candidates
from o365flow.documents.timeline import read_timeline_return
from tools.templates.sample import INITIALS, demo_config, sample_context

TEMPLATES = Path(__file__).resolve().parents[2] / "o365flow" / "data" / "templates"
WORKFLOWS = load_workflows()
NAMES = ("agency-timeline-return", "welsh-government-notification", "seven-minute-briefing")
LANGUAGES = ("cy", "cy+en")
DOCUMENTS = [(wid, name, lang) for wid in ("cpr", "apr", "susr") for name in NAMES for lang in LANGUAGES]
SHARED = ("welsh-government-notification", "seven-minute-briefing")


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    return demo_config(tmp_path_factory.mktemp("board"))


def render(config, wid: str, name: str, language: str) -> bytes:
    path = TEMPLATES / wid / f"{name}.{language}.docx"
    context = sample_context(config, WORKFLOWS[wid])
    return render_docx(path.read_bytes(), context, title=name, subject=context["case"]["reference"], source=path.name)


def parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n).decode("utf-8") for n in archive.namelist()
                if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)}


def words(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def test_every_welsh_and_bilingual_document_is_shipped():
    shipped = {str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.docx") if ".cy" in p.name}
    expected = {f"{wid}/{name}.{lang}.docx" for wid, name, lang in DOCUMENTS}
    assert shipped == expected | {"referral-form.cy.docx", "referral-form.cy+en.docx"}


@pytest.mark.parametrize("wid, name, language", DOCUMENTS)
def test_each_renders_completely_in_welsh(config, wid, name, language):
    path = TEMPLATES / wid / f"{name}.{language}.docx"
    assert template_variables(path.read_bytes()) <= DOCUMENT_CONTEXT
    data = render(config, wid, name, language)
    xml = parts(data)
    for part, text in xml.items():
        assert "{{" not in text and "{%" not in text, part
    body = words(xml["word/document.xml"])
    headers = "".join(words(x) for n, x in xml.items() if "header" in n)
    footers = "".join(words(x) for n, x in xml.items() if "footer" in n)
    assert "SWYDDOGOL-SENSITIF" in headers and "Tudalen" in footers
    assert {"cpr": "Adolygiad Ymarfer Plant", "apr": "Adolygiad Ymarfer Oedolion",
            "susr": "Adolygiad Diogelu Unedig Sengl"}[wid] in body
    if name != "seven-minute-briefing":
        assert re.search(r"\d (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr) 2026", body)
    english = re.search(r"Dear Sir or Madam|How to complete this return|Why it matters", body)
    if language == "cy":
        assert english is None and "OFFICIAL" not in headers
    else:  # the Welsh first, then the English
        assert english and body.index("Annwyl Syr" if "notification" in name else
                                      ("Sut i lenwi" if "timeline" in name else "Pam mae")) < english.start()
        assert "OFFICIAL-SENSITIVE" in headers


@pytest.mark.parametrize("wid, name, language", [d for d in DOCUMENTS if d[1] in SHARED])
def test_what_is_shared_names_no_one(config, wid, name, language):
    data = render(config, wid, name, language)
    assert find_names(data, names_to_find(subject_initials=INITIALS), source=name) == []


def test_the_letter_gives_the_decision_and_dates_in_welsh(config):
    body = words(parts(render(config, "cpr", "welsh-government-notification", "cy"))["word/document.xml"])
    assert "Adolygiad Ymarfer Plant – Adolygiad cryno" in body
    assert "Dyddiad y penderfyniad10 Mawrth 2026" in body and "16 Mawrth 2026" in body
    assert "Llywodraeth CymruParc CathaysCaerdydd" in body


def test_the_susr_briefing_names_the_subject_as_the_referral_says(config):
    body = words(parts(render(config, "susr", "seven-minute-briefing", "cy"))["word/document.xml"])
    assert "Unigolyn A" in body and "{{" not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_welsh_referral_form_is_read_back(language):
    form = (TEMPLATES / f"referral-form.{language}.docx").read_bytes()
    assert template_variables(form) == set()
    empty = read_referral_fields(form, "blank")
    assert set(empty) >= set(REFERRAL_LABELS_CY) - {"subject_name"} and not any(empty.values())
    yes = "Oedd / Yes" if language == "cy+en" else "Oedd"
    filled = fill_referral_form(form, {"kind": "Fforwm", "subject_initials": "A.B.", "incident_date": "14 Chwefror 2026",
                                       "protected_6_months": yes, "referring_agency": "Heddlu Dyffryn"})
    fields = read_referral_fields(filled, "filled")
    assert fields["kind"] == "Fforwm" and fields["subject_initials"] == "A.B." and fields["protected_6_months"] == yes
    assert fields["incident_date"] == "14 Chwefror 2026" and fields["referring_agency"] == "Heddlu Dyffryn"


def test_a_welsh_form_without_content_controls_is_read_by_its_labels():
    document = docx.Document()
    table = document.add_table(rows=0, cols=2)
    for label, value in [("Yr adolygiad y gofynnir amdano:", "Adolygiad Ymarfer Plant"),
                         ("Llythrennau blaen yr unigolyn *", "C.D."),
                         ("Dyddiad y digwyddiad (dd/mm/bbbb)", "3 Awst 2026"),
                         ("Yr asiantaeth sy'n atgyfeirio", "Heddlu Dyffryn"),  # a straight apostrophe
                         ("Enw’r atgyfeiriwr", "Rhingyll"),
                         ("Ar y gofrestr neu wedi’i amddiffyn yn y 6 mis blaenorol", "Nac oedd")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    buffer = io.BytesIO()
    document.save(buffer)
    fields = read_referral_fields(buffer.getvalue(), "typed")
    assert fields == {"kind": "Adolygiad Ymarfer Plant", "subject_initials": "C.D.", "incident_date": "3 Awst 2026",
                      "referring_agency": "Heddlu Dyffryn", "referrer_name": "Rhingyll", "protected_6_months": "Nac oedd"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_filled_in_welsh_timeline_return_is_read_back(config, language):
    blank = render(config, "cpr", "agency-timeline-return", language)
    assert read_timeline_return(blank, "blank").entries == ()
    document = docx.Document(io.BytesIO(blank))
    table = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Dyddiad"))
    for row, values in zip(table.rows[1:], [["14/02/2025", "09:30", "Ymweliad cartref", "Gweithiwr cymdeithasol", "Nodyn 4"],
                                            ["3 Mawrth 2025", "", "Galwad ffôn", "Ymwelydd iechyd", "Cofnod 7"]]):
        for cell, value in zip(row.cells, values):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    filled = fill_referral_form(buffer.getvalue(), {"agency": "Heddlu Dyffryn"})  # the Agency control
    read = read_timeline_return(filled, "return")
    assert read.problems == () and read.agency == "Heddlu Dyffryn"
    assert [(e.date.isoformat(), e.what, e.source) for e in read.entries] == [
        ("2025-02-14", "Ymweliad cartref", "Nodyn 4"), ("2025-03-03", "Galwad ffôn", "Cofnod 7")]


@pytest.mark.parametrize("language, candidates", [
    ("en", ["cpr/agency-timeline-return.docx"]),
    ("cy", ["cpr/agency-timeline-return.cy.docx", "cpr/agency-timeline-return.docx"]),
    ("cy+en", ["cpr/agency-timeline-return.cy+en.docx", "cpr/agency-timeline-return.docx"]),
])
def test_the_boards_language_picks_the_template(language, candidates):
    assert template_candidates("cpr/agency-timeline-return.docx", language) == candidates
