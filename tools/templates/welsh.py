"""The Welsh and bilingual versions of the documents that leave the business unit: the referral
form, the agency timeline return, the Welsh Government notification and the 7 minute briefing.

Terms come from the one glossary every Welsh template shares (``glossary.cy.toml``), so a
document and a message never name the same thing in two ways. Each builder writes
``<name>.cy.docx`` (Welsh) and ``<name>.cy+en.docx`` (bilingual, Welsh first) beside the English
``<name>.docx``; a board whose ``[mail] language`` is ``cy`` or ``cy+en`` gets them.

Dates in a Welsh template go through ``|cy_date`` ("29 Medi 2026") and terms from the case
through ``|cy`` (the glossary), both supplied by the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml import parse_xml
from docx.oxml.ns import qn

from o365flow.data.language import load_glossary

from .blocks import content_control
from .styles import W

GLOSSARY = load_glossary()
MARKING_CY = "SWYDDOGOL-SENSITIF – nid i’w rannu ymhellach"
MARKING_BILINGUAL = "SWYDDOGOL-SENSITIF / OFFICIAL-SENSITIVE"
TBC_CY = "i’w gadarnhau"
# Word's own prompts in a Welsh-language Word, shown in an empty content control.
PLACEHOLDERS_CY = {"text": "Cliciwch neu tapiwch yma i roi testun.", "dropDownList": "Dewiswch eitem.",
                   "date": "Cliciwch neu tapiwch i roi dyddiad."}


def term(english: str) -> str:
    """The glossary's Welsh for ``english`` (the build fails if the glossary lacks it)."""
    welsh = GLOSSARY.welsh(english)
    if welsh == english:
        raise KeyError(f"glossary.cy.toml has no Welsh for '{english}'")
    return welsh


@dataclass(frozen=True)
class WelshWording:
    """What differs between the review workflows, in Welsh."""

    folder: str
    short: str
    english: str  # the review's English name, for a bilingual title
    subject_label: str  # how an anonymised document refers to the subject, e.g. "Plentyn A"
    panel: str
    guidance: str

    @property
    def review(self) -> str:
        return term(self.english)


CPR = WelshWording("cpr", "CPR", "Child Practice Review", term("Child A"), term("review panel"),
                   "Gweithio Gyda’n Gilydd i Ddiogelu Pobl: Cyfrol 2 – Adolygiadau Ymarfer Plant")
APR = WelshWording("apr", "APR", "Adult Practice Review", term("Adult A"), term("review panel"),
                   "Gweithio Gyda’n Gilydd i Ddiogelu Pobl: Cyfrol 3 – Adolygiadau Ymarfer Oedolion")
SUSR = WelshWording("susr", "SUSR", "Single Unified Safeguarding Review", "{{ wording.subject_label|cy }}",
                    term("Case Review Group"), "canllawiau statudol yr Adolygiad Diogelu Unedig Sengl")
REVIEWS = (CPR, APR, SUSR)


def review_type(w: WelshWording) -> str:
    """The review's Welsh name and, when it says more, the Chair's decision in Welsh."""
    return (f"{w.review}{{% if case.decision and case.decision != '{w.short}' %}} – "
            "{{ case.decision|cy }}{% endif %}")


def welsh_page(doc, bilingual: bool = False) -> None:
    """Welsh words in the footer's "Page X of Y", and Welsh (UK) as the proofing language."""
    page, of = ("Tudalen / Page ", " o / of ") if bilingual else ("Tudalen ", " o ")
    for section in doc.sections:
        for paragraph in section.footer.paragraphs:
            for run in paragraph.runs:
                if run.text.endswith("\tPage "):
                    run.text = run.text[: -len("Page ")] + page
                elif run.text == " of ":
                    run.text = of
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f"<w:lang {W}/>")
        defaults.append(lang)
    lang.set(qn("w:val"), "cy-GB")


def welsh_control(key: str, label: str, number: int, kind="text", options=None):
    """A content control tagged ``key`` (what the readers look for, whatever the language) with
    a Welsh title, Word's Welsh prompt and Welsh dates."""
    return content_control(key, label, number, kind, options, language="cy-GB", prompts=PLACEHOLDERS_CY)


def build_welsh() -> list:
    """Write every Welsh and bilingual template; returns the paths written."""
    from . import welsh_forms, welsh_letters

    written = welsh_forms.referral_forms()
    for w in REVIEWS:
        written += welsh_forms.timeline_returns(w)
        written += welsh_letters.government_letters(w)
        written += welsh_letters.briefings(w)
    return written
