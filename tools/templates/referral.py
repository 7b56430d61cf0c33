"""The referral form: no tags (people fill it in), a content control tagged with each key of
the contract, in a labelled two-column table so either way of reading it finds the field."""

from __future__ import annotations

from docx.shared import Cm

from o365flow.documents.referral import REFERRAL_LABELS

from .blocks import content_control, items, look, para, widths
from .styles import new_document, save

CONTROLS = {
    "kind": ("dropDownList", ["CPR", "APR", "SUSR", "Forum"]),
    "protected_6_months": ("dropDownList", ["Yes", "No"]),
    "incident_date": ("date", None),
    "circumstances": ("text", "multiLine"),
}


def referral_form():
    """The form staff fill in to refer a case; it has no template tags."""
    doc = new_document("Practice review referral form", "Regional Safeguarding Board",
                       reference="", footer_text="Practice review referral form",
                       marking="OFFICIAL-SENSITIVE when completed")
    para(doc, "Use this form to refer a case to the Board for a Child Practice Review, an Adult "
              "Practice Review, a Single Unified Safeguarding Review or a multi-agency professional "
              "forum. The review sub-group considers every referral against the criteria and the "
              "Board Chair decides.")
    items(doc, [
        "Complete every field. Give the subject's initials only, never a full name.",
        "Review requested: CPR (Child Practice Review), APR (Adult Practice Review), SUSR (Single "
        "Unified Safeguarding Review) or Forum (multi-agency professional forum).",
        "Dates as 14/02/2026. Keep the summary brief and factual.",
        "Save the completed form in the board's Referrals library. It is picked up automatically; "
        "the business unit will contact you with the case reference.",
    ])
    doc.add_heading("Referral details", 1)
    table = doc.add_table(rows=0, cols=2, style="Board Table")
    for number, (key, label) in enumerate(REFERRAL_LABELS.items()):
        cells = table.add_row().cells
        cells[0].text = label
        kind, options = CONTROLS.get(key, ("text", None))
        cells[1].paragraphs[0]._p.append(content_control(key, label, number, kind, options))
        if key == "circumstances":
            table.rows[-1].height = Cm(4.0)
    look(table, first_row=False, first_col=True)
    widths(table, [6.0, 10.6])
    doc.add_paragraph()
    doc.add_heading("What happens next", 1)
    para(doc, "The business unit acknowledges the referral, records it in the practice review "
              "register and brings it to the review sub-group. You will be told the decision.")
    return save(doc, "referral-form.docx")
