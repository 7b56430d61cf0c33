"""The review's outputs: the report, with the headings of the guidance's report template, and
the action plan that carries its recommendations."""

from __future__ import annotations

from .blocks import TBC, facts, grid, guidance, heading, items, para, signature_block
from .commissioning import review_type
from .styles import new_document, save
from .wording import Wording

# Theme: the recommendation's learning themes from the board's list, read into the Actions sheet.
ACTION_COLUMNS = ["Recommendation", "Theme", "Action", "Lead agency", "Lead officer", "Target date",
                  "Progress / RAG", "Evidence of outcome"]


def practice_review_report(w: Wording):
    """The report draft, with the guidance's headings and the statements to sign."""
    doc = new_document(w.report, "{{ board.name }} · {{ case.reference }}")
    facts(doc, [("Reference", "{{ case.reference }}"),
                ("Type of review", review_type(w)),
                ("Final report date", f"{{{{ case.final_report_date or '{TBC}' }}}}")])
    guidance(doc, f"This report is anonymised. Refer to the {w.subject} as agreed by the {w.panel} "
                  f"(for example \u201c{w.subject_label}\u201d) and to practitioners by role. Do not "
                  "include names, initials or details that would identify the family; every name on "
                  "the case's \u201cnames not to publish\u201d list is checked before publication. "
                  "Delete the guidance text in each section before the report is approved.")

    doc.add_heading("Brief outline of circumstances", 1)
    guidance(doc, "Summarise the circumstances that led to the review, the period under review and "
                  "the agencies involved. Keep it brief: the detail of events belongs in the summary "
                  "timeline (Appendix 2).")
    para(doc, "")

    doc.add_heading("Practice and organisational learning", 1)
    guidance(doc, "Set out the learning the review has identified: what happened and why, what was "
                  "done well, and where practice or the systems supporting it could have been "
                  "better. Draw on the agency timelines, the learning event and the family's "
                  "contribution. Give each learning theme a short heading.")
    para(doc, "")

    doc.add_heading("Improving systems and practice", 1)
    doc.add_heading("Recommendations", 2)
    guidance(doc, "In order to promote the learning from this case, the review identified the "
                  "following actions for the Board and its member agencies, and the improvement "
                  "outcomes expected. Each recommendation is carried into the action plan.")
    items(doc, ["Recommendation: …  Expected outcome: …", "Recommendation: …  Expected outcome: …"],
          numbered=True)

    heading(doc, "Statement by reviewer(s)", new_page=True)
    guidance(doc, "Each reviewer makes the following statement. Prior to my involvement with this "
                  "review I:")
    items(doc, [
        f"have not been directly concerned with the {w.subject} or the family, or have given "
        "professional advice on the case;",
        "have had no immediate line management of the practitioners involved;",
        "have the appropriate recognised qualifications, knowledge, experience and training to "
        "undertake the review.",
    ])
    guidance(doc, "The review was conducted appropriately and was rigorous in its analysis and "
                  "evaluation of the issues set out in the terms of reference.")
    signature_block(doc, "Reviewer (name)")
    signature_block(doc, "Reviewer (name)")

    doc.add_heading(f"Statement by {w.panel_chair}", 1)
    guidance(doc, "I make the following statement: I am satisfied that the reviewers' work has been "
                  "conducted to a satisfactory standard and that the report and its recommendations "
                  "reflect the learning from this case.")
    signature_block(doc, f"{w.panel_chair[0].upper()}{w.panel_chair[1:]} (name)")

    heading(doc, "Appendices", new_page=True)
    doc.add_heading("Appendix 1: Terms of reference", 2)
    guidance(doc, f"Insert the terms of reference as agreed by the {w.panel}.")
    doc.add_heading("Appendix 2: Summary timeline", 2)
    guidance(doc, "Insert the summary timeline merged from the agency returns, anonymised.")
    return save(doc, f"{w.folder}/practice-review-report.docx")


def action_plan(w: Wording):
    """The action plan table (read back into the register) and the agencies' sign-off."""
    doc = new_document("Action plan", f"{w.review} · {{{{ board.name }}}}", landscape=True)
    facts(doc, [("Reference", "{{ case.reference }}"),
                ("Final report date", f"{{{{ case.final_report_date or '{TBC}' }}}}"),
                ("Owner", "{{ coordinator.name }} ({{ coordinator.email }})")], col_widths=(6.0, 19.3))
    guidance(doc, "One row for each action arising from each recommendation in the report. Progress "
                  "is reported to the Board until every action is complete: Red – not started or at "
                  "risk; Amber – in progress; Green – on track; Complete – done and evidenced.")
    doc.add_heading("Actions", 1)
    grid(doc, ACTION_COLUMNS, [4.0, 2.8, 4.4, 2.4, 2.8, 2.4, 2.8, 3.7], blank_rows=8)
    if w.signoff_by == "agencies":
        doc.add_heading("Sign-off by agencies", 1)
        para(doc, f"Each agency signs off this action plan {w.signoff_when}, by replying to the "
                  "sign-off request it is sent.")
    else:
        doc.add_heading(f"Sign-off by {w.signoff_by}", 1)
        para(doc, f"{w.signoff_by[0].upper()}{w.signoff_by[1:]} signs off this action plan {w.signoff_when}: "
                  "a member replies to the sign-off request, or the review coordinator records the date "
                  "in the register.")
    grid(doc, ["Agency", "Code", "Signed off by", "Date"], [10.0, 3.0, 8.0, 4.3],
         loop=("agency in signoff_agencies", ["{{ agency.name }}", "{{ agency.code }}", "", ""]),
         empty=("not signoff_agencies", "No agency is asked to sign off this plan."))
    return save(doc, f"{w.folder}/action-plan.docx")
