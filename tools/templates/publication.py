"""Telling others: the Welsh Government notification letter, the 7 minute briefing, and the
restricted "names not to publish" list the anonymisation check reads before publication.

The letter and the briefing leave the case folder, so they never use the subject's initials or
anyone's name from the case: only the reference, the type of review and dates.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from .blocks import TBC, facts, grid, guidance, look, para, widths
from .commissioning import review_type
from .styles import NAVY, new_document, save
from .wording import Wording

WELSH_GOVERNMENT = ["Welsh Government", "Cathays Park", "Cardiff", "CF10 3NQ"]

BRIEFING = [
    ("Background", "What happened, in two or three sentences, anonymised: who the {subject} was "
                   "(age range, circumstances in general terms) and why the review was held."),
    ("Why it matters", "Why this learning matters to practitioners and managers across the region."),
    ("What the review found", "The key findings: the three or four things that most affected what "
                              "happened."),
    ("What worked well", "Good practice the review saw, so that it is recognised and repeated."),
    ("Questions to reflect on", "Two or three questions for a team to discuss: would this happen "
                                "here? What would we do differently?"),
    ("What you should do", "Concrete changes to practice for practitioners and managers, and the "
                           "procedures or tools that help."),
    ("Further information", "Where to read the published report, the relevant Wales Safeguarding "
                            "Procedures and training, and who to contact."),
]


def letterhead(doc, board: str, recipient: list[str], date: str) -> None:
    """The top of a letter: the board's name, its address and the coordinator's, the recipient's
    address, and the date on the right (``board`` and ``date`` are template expressions)."""
    name = para(doc, board)
    name.runs[0].bold = True
    name.runs[0].font.size = Pt(16)
    name.runs[0].font.color.rgb = RGBColor.from_string(NAVY)
    para(doc, "{%p for line in board.address %}")
    para(doc, "{{ line }}", "Letter Address")
    para(doc, "{%p endfor %}")
    para(doc, "{{ coordinator.email }}", "Letter Address")
    para(doc, "")
    for line in recipient:
        para(doc, line, "Letter Address")
    para(doc, "")
    para(doc, date).alignment = WD_ALIGN_PARAGRAPH.RIGHT


def signed(doc, closing: str, name: str, on_behalf: str) -> None:
    """The end of a letter: the closing, a line for the signature, the name and on whose behalf."""
    para(doc, closing)
    para(doc, "")
    para(doc, name, "Letter Address")
    para(doc, on_behalf, "Letter Address")


def numbered_sections(doc, sections: list[tuple[str, str]]) -> None:
    """A briefing's body: each section a row, its number large on the left, its heading and
    prompt on the right, then an empty paragraph after the table."""
    table = doc.add_table(rows=0, cols=2, style="Board Table")
    for number, (heading, prompt) in enumerate(sections, start=1):
        cells = table.add_row().cells
        figure = cells[0].paragraphs[0]
        figure.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = figure.add_run(str(number))
        run.bold, run.font.size = True, Pt(22)
        run.font.color.rgb = RGBColor.from_string(NAVY)
        cells[1].paragraphs[0].text = heading
        cells[1].paragraphs[0].style = doc.styles["Heading 2"]
        cells[1].add_paragraph(prompt, style="Guidance")
        cells[1].add_paragraph("")
    look(table, first_row=False, first_col=True)
    widths(table, [1.8, 14.8])
    for row in table.rows:
        row.cells[1].paragraphs[0].paragraph_format.space_before = Pt(4)
    para(doc, "")


def welsh_government_letter(w: Wording):
    """The notification letter: letterhead, date, reference, decision and dates; no names."""
    doc = new_document("Notification to the Welsh Government", "", heading=False)
    letterhead(doc, "{{ board.name }}", WELSH_GOVERNMENT, "{{ generated_on }}")
    para(doc, "Dear Sir or Madam,")
    para(doc, f"Notification of {w.a_review}: {{{{ case.reference }}}}").runs[0].bold = True
    para(doc, "I write to notify the Welsh Government that the Chair of {{ board.name }} has "
              f"decided that a case referred to the Board meets the criteria for {w.a_review}.")
    facts(doc, [
        ("Board reference", "{{ case.reference }}"),
        ("Type of review", review_type(w)),
        ("Decision", f"{{{{ case.decision or '{TBC}' }}}}"),
        ("Decision date", f"{{{{ case.decision_date or '{TBC}' }}}}"),
        ("Review to be completed by", f"{{{{ case.review_due or '{TBC}' }}}}"),
    ], col_widths=(6.6, 10.0))
    para(doc, "The Board will tell you of any change to this timescale, for example if the review "
              "is paused for criminal proceedings or an inquest, and will send you the report when "
              "it is published.")
    para(doc, "This notification deliberately contains no names, initials or other details that "
              f"could identify the {w.subject} or their family. Please quote the Board reference "
              "above in any correspondence about this review.")
    signed(doc, "Yours faithfully,", "{{ coordinator.name }}", "On behalf of the Chair, {{ board.name }}")
    return save(doc, f"{w.folder}/welsh-government-notification.docx")


def seven_minute_briefing(w: Wording):
    """Seven numbered sections on one page, anonymised for sharing."""
    doc = new_document("7 minute briefing", f"{w.review} · {{{{ case.reference }}}}")
    guidance(doc, "Seven short sections that a manager can read out and discuss in a team meeting "
                  f"in seven minutes. Anonymised: refer to the {w.subject} as \u201c{w.subject_label}\u201d "
                  "and to practitioners by role; never use names or initials. Once the Board approves "
                  "it for sharing, change the header marking to OFFICIAL.")
    numbered_sections(doc, [(heading, prompt.format(subject=w.subject)) for heading, prompt in BRIEFING])
    para(doc, "Tell us how you used this briefing: {{ coordinator.email }}.", "Guidance")
    return save(doc, f"{w.folder}/seven-minute-briefing.docx")


def names_not_to_publish(w: Wording):
    """The restricted list of names the anonymisation check looks for (column "Name")."""
    doc = new_document("Names not to publish", f"{w.review} · {{{{ board.name }}}}")
    facts(doc, [("Reference", "{{ case.reference }}"), ("Kept by", "{{ coordinator.name }}")])
    warning = para(doc, f"Restricted: for the {w.panel}, the reviewers and the review coordinator "
                        "only. Never attach, copy or quote this list.")
    warning.runs[0].bold = True
    guidance(doc, "Before the report is published it is checked for the subject's name and initials "
                  "from the referral and for every name below; publication waits until each match "
                  f"is cleared. List one name per row: the {w.subject}, family members, other people "
                  "in the household, practitioners, schools, streets and places that would identify "
                  "the family. Add variants people use (nicknames, previous names, spellings).")
    grid(doc, ["Name"], [16.6], blank_rows=15, row_height=0.7)
    return save(doc, f"{w.folder}/names-not-to-publish.docx")
