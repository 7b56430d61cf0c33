"""Hearing from those involved: the learning event plan and attendance record, and the family
engagement record."""

from __future__ import annotations

from .blocks import TBC, facts, grid, guidance, heading, items, para
from .styles import new_document, save
from .wording import Wording

# The programme's times come from the board's [learning_events] start and end, the same times the
# invitation gives (``learning_event.programme`` in the document context).
PROGRAMME_LOOP = ("item in learning_event.programme", ["{{ item.time }}", "{{ item.session }}"])


def learning_event_plan(w: Wording):
    """Arrangements, invitees, programme, and an attendance record on its own page."""
    doc = new_document("Learning event plan and attendance record", f"{w.review} · {{{{ board.name }}}}")
    facts(doc, [
        ("Reference", "{{ case.reference }}"),
        ("Date", "{{ case.learning_event_date or 'to be arranged' }}"),
        ("Time", "{{ learning_event.start }} to {{ learning_event.end }}"),
        ("Venue", "{{ learning_event.location }}{% if learning_event.online_link %} (or online: "
                  "{{ learning_event.online_link }}){% endif %}"),
        ("Facilitators", f"{{{{ case.reviewers|join(', ') or '{TBC}' }}}}"),
        ("Organised by", "{{ coordinator.name }} ({{ coordinator.email }})"),
    ])
    doc.add_heading("Purpose of the event", 1)
    para(doc, "The learning event brings together the practitioners and managers who worked with the "
              f"{w.subject} and their family, so that the reviewers understand what happened and why "
              "from those involved. It is a safe space to reflect and learn, not to apportion blame.")
    doc.add_heading("Invitees", 1)
    para(doc, "Each agency nominates the practitioners and first-line managers involved during the "
              "period under review.")
    grid(doc, ["Agency", "Code", "Practitioners invited", "Confirmed"], [5.4, 3.0, 5.6, 2.6],
         loop=("agency in agencies", ["{{ agency.name }}", "{{ agency.code }}", "", ""]),
         empty=("not agencies", "Agencies to be confirmed."))
    doc.add_heading("Programme", 1)
    grid(doc, ["Time", "Session"], [3.0, 13.6], loop=PROGRAMME_LOOP,
         empty=("not learning_event.programme", "Programme to be agreed."))
    doc.add_heading("Supporting practitioners", 1)
    items(doc, [
        "Tell practitioners beforehand what the event is for and how their contribution will be used.",
        "Managers make time for a debrief afterwards; staff support services are available.",
        "Nothing said at the event is attributed to a named practitioner in the report.",
    ])
    heading(doc, "Attendance record", new_page=True)
    facts(doc, [("Reference", "{{ case.reference }}"),
                ("Date", "{{ case.learning_event_date or 'to be arranged' }}")])
    grid(doc, ["Name", "Role", "Agency", "Signature"], [4.6, 4.4, 4.6, 3.0], blank_rows=16)
    guidance(doc, "Attendance records are confidential to the review and kept in the case folder.")
    return save(doc, f"{w.folder}/learning-event-plan.docx")


def family_engagement_record(w: Wording):
    """Who is offered involvement, a contact log, the family's contribution and feedback."""
    doc = new_document("Family engagement record", f"{w.review} · {{{{ board.name }}}}")
    facts(doc, [
        ("Reference", "{{ case.reference }}"),
        ("Subject initials", "{{ case.subject_initials }}"),
        ("Family liaison", f"{{{{ case.reviewers|join(', ') or '{TBC}' }}}}"),
    ])
    guidance(doc, "A record of how the family was invited to take part in the review, what they "
                  "contributed, and how they were told of its findings. It stays in the case folder "
                  "and is never published. Refer to family members by initials and relationship.")

    doc.add_heading("Who is to be offered involvement", 1)
    grid(doc, [f"Family member (initials and relationship to the {w.subject})", "Contact arrangements",
               "Support or interpreter needed"], [6.6, 5.6, 4.4], blank_rows=4)

    doc.add_heading("Before contact", 1)
    items(doc, [
        "Check with the police and the Crown Prosecution Service whether contact could affect any "
        "criminal proceedings, and with the coroner where there is an inquest.",
        "Agree with the agencies involved who is best placed to make the first approach.",
        "Offer an independent advocate or a support service; record the offer below.",
    ])

    doc.add_heading("Contact log", 1)
    grid(doc, ["Date", "Family member", "By whom", "How", "Summary", "Next step"],
         [2.2, 2.6, 2.6, 2.0, 4.6, 2.6], blank_rows=6)

    doc.add_heading("The family's contribution", 1)
    guidance(doc, "In the family's own words where they agree: what they want the review to know, "
                  "what helped, what did not, and what they think should change.")
    para(doc, "")

    doc.add_heading("Feedback on findings", 1)
    facts(doc, [
        ("Told of the findings on", ""),
        ("By whom", ""),
        ("Saw the report before publication", "Yes / No"),
        ("Views on publication", ""),
        ("Support offered afterwards", ""),
    ], col_widths=(6.0, 10.6))
    return save(doc, f"{w.folder}/family-engagement-record.docx")
