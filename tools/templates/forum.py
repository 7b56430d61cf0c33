"""The multi-agency professional forum: the facilitation plan, the case learning notes taken on
the day, and the learning summary shared across the agencies (anonymised: no names, no
initials)."""

from __future__ import annotations

from .blocks import TBC, facts, grid, guidance, items, para
from .styles import new_document, save

FORUM = "Multi-agency professional forum"
SUBJECT = "{{ wording.subject_term }}"

PROMPTS = [
    f"What did each agency know about the {SUBJECT} and their circumstances, and when?",
    "What was done well? What made good practice possible?",
    "Where were there missed opportunities, and what got in the way?",
    "How well was information shared between agencies, and with the family?",
    "Which policies, procedures or systems helped or hindered?",
    "What one change would make the most difference, and who can make it?",
]


def facilitation_plan():
    """Purpose, preparation, ground rules, invitees, running order and prompts."""
    doc = new_document("Facilitation plan", f"{FORUM} · {{{{ board.name }}}}")
    facts(doc, [
        ("Reference", "{{ case.reference }}"),
        ("Date", "{{ case.learning_event_date or 'to be arranged' }}"),
        ("Time and venue", "{{ learning_event.start }} to {{ learning_event.end }}, {{ learning_event.location }}"
                           "{% if learning_event.online_link %} (or online: {{ learning_event.online_link }}){% endif %}"),
        ("Facilitator", f"{{{{ case.reviewers|join(', ') or '{TBC}' }}}}"),
        ("Coordinator", "{{ coordinator.name }} ({{ coordinator.email }})"),
    ])
    doc.add_heading("Purpose of the forum", 1)
    para(doc, "A multi-agency professional forum is a facilitated discussion for case learning, or for "
              "the dissemination of learning, where the case does not call for a practice review. "
              "There is no statutory report: the forum produces a learning summary that is shared "
              "across the member agencies.")
    doc.add_heading("Before the forum", 1)
    items(doc, [
        "Agree the questions the forum is to answer with the Chair of the review sub-group.",
        "Invite the practitioners and managers involved, and a senior manager from each agency.",
        "Ask each agency for a short summary of its involvement, brought on the day, not emailed.",
        "Book a private room; allow half a day.",
    ], numbered=True)
    doc.add_heading("Ground rules", 1)
    items(doc, [
        "The discussion is about learning, not blame.",
        "What is said stays in the room, unless it raises a safeguarding concern.",
        f"The {SUBJECT} and family are referred to by initials or role only.",
        "Notes record themes and learning, not who said what.",
    ])
    doc.add_heading("Invitees", 1)
    grid(doc, ["Agency", "Code", "Name", "Role"], [5.4, 3.0, 4.4, 3.8],
         loop=("agency in agencies", ["{{ agency.name }}", "{{ agency.code }}", "", ""]),
         empty=("not agencies", "Invitees to be confirmed."))
    doc.add_heading("Running order", 1)
    grid(doc, ["Time", "Item"], [3.0, 13.6], rows=[
        ("0:00", "Welcome, purpose and ground rules"),
        ("0:15", "Each agency's involvement, briefly"),
        ("0:45", "Discussion, using the prompts below"),
        ("2:00", "Learning identified and actions agreed"),
        ("2:30", "Close: support available, what happens next"),
    ])
    doc.add_heading("Discussion prompts", 1)
    items(doc, PROMPTS, numbered=True)
    return save(doc, "forum/facilitation-plan.docx")


def case_learning_notes():
    """Notes taken on the day: attendance, what was learnt, actions agreed."""
    doc = new_document("Case learning notes", f"{FORUM} · {{{{ board.name }}}}")
    facts(doc, [
        ("Reference", "{{ case.reference }}"),
        ("Subject initials", "{{ case.subject_initials }}"),
        ("Forum held", "{{ case.learning_event_date or 'to be arranged' }}"),
        ("Notes taken by", ""),
    ])
    guidance(doc, "Notes of the discussion, kept in the case folder and never circulated. Record "
                  "themes and learning, not who said what. The learning summary is written from "
                  "these notes.")
    doc.add_heading("Attendance", 1)
    grid(doc, ["Name", "Role", "Agency"], [5.6, 5.0, 6.0], blank_rows=8, row_height=0.7)
    for heading, prompt in [
        ("Summary of the case", "The circumstances as the forum understood them."),
        ("What went well", "Practice the forum recognised as good, and what made it possible."),
        ("What could be improved", "Missed opportunities, and what got in the way."),
        ("Learning identified", "Each learning point in a sentence or two."),
    ]:
        doc.add_heading(heading, 1)
        guidance(doc, prompt)
        para(doc, "")
    doc.add_heading("Actions agreed", 1)
    grid(doc, ["Action", "Agency", "Lead officer", "By when"], [7.6, 3.6, 3.2, 2.2], blank_rows=4)
    return save(doc, "forum/case-learning-notes.docx")


def learning_summary():
    """The anonymised summary shared across the member agencies."""
    doc = new_document("Learning summary", f"{FORUM} · {{{{ board.name }}}}")
    facts(doc, [("Reference", "{{ case.reference }}"),
                ("Forum held", "{{ case.learning_event_date or 'to be arranged' }}"),
                ("Summary dated", "(the date it is approved, after the forum)")])
    guidance(doc, "This summary is for dissemination across {{ board.name }} and its member agencies. "
                  f"It is anonymised: refer to the {SUBJECT} as \u201c{{{{ wording.subject_label }}}}\u201d, "
                  "never by name or initials, and to practitioners by role. Replace the guidance "
                  "text before it is shared, and change the header marking to OFFICIAL once it is "
                  "approved for sharing.")
    doc.add_heading("About the case", 1)
    guidance(doc, "A short, anonymised description of the circumstances and why the forum was held.")
    para(doc, "")
    doc.add_heading("Key learning points", 1)
    items(doc, ["Learning point: …", "Learning point: …", "Learning point: …"], numbered=True)
    doc.add_heading("Actions for agencies", 1)
    grid(doc, ["Agency", "Action", "By when"], [6.0, 7.6, 3.0],
         loop=("agency in agencies", ["{{ agency.name }}", "", ""]),
         empty=("not agencies", "Actions for all member agencies."))
    doc.add_heading("How to share this learning", 1)
    items(doc, [
        "Discuss it in team meetings and in supervision.",
        "Use it in single-agency and multi-agency training.",
        "Tell the business unit how the learning has been used.",
    ])
    para(doc, "Questions and feedback: {{ coordinator.name }}, {{ coordinator.email }}.")
    return save(doc, "forum/learning-summary.docx")
