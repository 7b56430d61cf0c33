"""Commissioning a review: the terms of reference, and the panel membership and
confidentiality agreement."""

from __future__ import annotations

from .blocks import TBC, facts, grid, guidance, items, para, people
from .styles import new_document, save
from .wording import Wording


def review_type(w: Wording) -> str:
    """The review's name and, when it says more, the Chair's decision (concise or extended)."""
    return (f"{w.review}{{% if case.decision and case.decision != '{w.short}' %}} – "
            "{{ case.decision }}{% endif %}")


def key_facts(w: Wording) -> list[tuple[str, str]]:
    """The label | value rows that open a review document."""
    return [
        ("Reference", "{{ case.reference }}"),
        ("Type of review", review_type(w)),
        ("Referring agency", "{{ case.referring_agency or 'not recorded' }}"),
        ("Referral received", "{{ case.referral_received or 'not recorded' }}"),
        ("Decision date", f"{{{{ case.decision_date or '{TBC}' }}}}"),
    ]


def _reviewers_rule(w: Wording) -> str:
    """Who leads the review, as the kind of review has it: a SUSR has no concise/extended split;
    the "two reviewers" rule is printed for an extended CPR/APR only."""
    if w.short == "SUSR":
        return ("The review is led by a review chair and reviewers from the approved list kept by the "
                "Welsh Government; its scale is set in these terms of reference.")
    return ("{% if case.decision == 'Extended review' %}An extended review is led by two "
            f"{w.reviewers}, at least one independent of the agencies involved in the case."
            "{% else %}The reviewers are independent of the line management of the case."
            "{% endif %}")


def terms_of_reference(w: Wording):
    """Purpose, scope, decision, reviewers and panel, agencies, timescales, confidentiality."""
    doc = new_document("Terms of reference", f"{w.review} · {{{{ board.name }}}}")
    facts(doc, key_facts(w) + [("Review due", f"{{{{ case.review_due or '{TBC}' }}}}")])

    doc.add_heading("Purpose of the review", 1)
    para(doc, f"This review is commissioned by {{{{ board.name }}}} under {w.guidance}. Its purpose "
              f"is to identify learning for the agencies that worked with the {w.subject} and their "
              "family, and to improve practice and the systems that support it. It is not an inquiry "
              "into how the person died or was harmed, nor into who is culpable.")
    para(doc, "The review follows the principles of the learning and reviewing framework: support for "
              "professionals, fair and just learning, transparency, engagement of the family, "
              "accountability, and effectiveness through action and audit.")

    doc.add_heading("Scope", 1)
    para(doc, "The review will consider the involvement of agencies during the 12 months before the "
              "incident{% if case.incident_date %} of {{ case.incident_date }}{% endif %}, unless "
              f"the {w.panel} agrees a different period and records why. Relevant events before "
              "that period may be summarised by agencies where they help to explain what happened.",
         bold_prefix="Period under review. ")
    para(doc, "The review will address in particular:")
    items(doc, [
        "What each agency knew, what it did, and whether this was in line with its policies and "
        "procedures and with the Wales Safeguarding Procedures.",
        "How well agencies shared information and worked together.",
        "What helped and what hindered good practice, including organisational factors.",
        "What should change, and how the Board will know that it has made a difference.",
    ], numbered=True)

    doc.add_heading("Decision", 1)
    para(doc, "The Chair of {{ board.name }} decided{% if case.decision_date %} on "
              "{{ case.decision_date }}{% endif %} that this case meets the criteria for: "
              f"{review_type(w)}.")
    guidance(doc, "{% if case.suggested_review %}Suggested from the referral's answers: "
                  "{{ case.suggested_review }}. {% endif %}The decision rests with the Chair; this "
                  "document records it.")

    doc.add_heading(f"Reviewers and {w.panel}", 1)
    doc.add_heading("Reviewers", 2)
    guidance(doc, _reviewers_rule(w))
    people(doc, "case.reviewers")
    doc.add_heading(w.panel_title, 2)
    people(doc, "case.panel_members")
    para(doc, f"Members of the {w.panel} have had no direct involvement with the case or line "
              "management of those who did. Each signs the confidentiality agreement before "
              "receiving any case material.")

    doc.add_heading("Agencies asked to contribute", 1)
    para(doc, "Each agency below is asked to examine its records and return an agency timeline for the "
              "period under review, and to nominate practitioners to attend the learning event.")
    grid(doc, ["Agency", "Code", "Timeline return received"], [9.0, 3.2, 4.4],
         loop=("agency in agencies", ["{{ agency.name }}", "{{ agency.code }}", ""]),
         empty=("not agencies", f"Agencies to be confirmed by the {w.panel}."))

    doc.add_heading("Timescales", 1)
    grid(doc, ["Milestone", "Date"], [10.0, 6.6], rows=[
        ("Decision by the Board Chair", f"{{{{ case.decision_date or '{TBC}' }}}}"),
        ("Learning event", "{{ case.learning_event_date or 'to be arranged' }}"),
        ("Review completed (within 6 months of the decision)", f"{{{{ case.review_due or '{TBC}' }}}}"),
        ("Final report", f"{{{{ case.final_report_date or '{TBC}' }}}}"),
        (f"Action plan signed off by {w.signoff_by}", w.signoff_when),
    ])
    para(doc, "If the review is put on hold (for example for criminal proceedings or an inquest) the "
              "timescale stops and restarts when it resumes; the Board is told of any change.")

    doc.add_heading("Family involvement", 1)
    para(doc, "The reviewers will invite the family to contribute, at a time and in a way that suits "
              "them, and will tell them about the findings before the report is published.")

    doc.add_heading("Confidentiality", 1)
    para(doc, "Everything shared for this review is confidential to the review. Documents are held in "
              "the review's folder only, are not forwarded by email, and are not circulated beyond "
              f"the {w.panel} and reviewers. The published report will be anonymised: it will not "
              f"name the {w.subject} or members of their family.")
    guidance(doc, "Review coordinator: {{ coordinator.name }}, {{ coordinator.email }}. "
                  "Prepared on {{ generated_on }}.")
    return save(doc, f"{w.folder}/terms-of-reference.docx")


def panel_membership(w: Wording):
    """The panel's role, the confidentiality agreement, and a row for each member to sign."""
    title = f"{w.panel_title} membership and confidentiality agreement"
    doc = new_document(title, f"{w.review} · {{{{ board.name }}}}")
    facts(doc, [("Reference", "{{ case.reference }}"), ("Type of review", review_type(w)),
                ("Chair", "")])

    doc.add_heading("Membership", 1)
    para(doc, f"The {w.panel} oversees the review on behalf of {{{{ board.name }}}}: it agrees the "
              "terms of reference, supports the reviewers, quality-assures the report and agrees "
              "the recommendations and the action plan.")
    guidance(doc, "Members are senior managers of the agencies involved who have had no direct "
                  "involvement with the case, and no line management of those who did. Add any "
                  "member not yet listed in the blank rows.")

    doc.add_heading("Confidentiality agreement", 1)
    para(doc, f"As a {w.member}, I agree that:")
    items(doc, [
        "I will use the information I receive for this review only.",
        "I will keep case material in the review's folder and will not forward it by email, "
        "print it unless I must, or copy it to any other system.",
        f"I will not discuss the {w.subject}, their family or the practitioners involved outside "
        f"meetings of the {w.panel}, except with the reviewers or the review coordinator.",
        "I will tell the review coordinator at once of any conflict of interest, or if I find "
        "that I have had involvement with the case.",
        "I will return or delete any copies I hold when the review is complete.",
        "I understand that this duty continues after the review has been published.",
    ], numbered=True)

    doc.add_heading("Members", 1)
    grid(doc, ["Name", "Role and agency", "Signature", "Date"], [4.6, 6.0, 3.6, 2.4],
         loop=("name in case.panel_members", ["{{ name }}", "", "", ""]), blank_rows=4)
    doc.add_heading("Reviewers", 1)
    grid(doc, ["Name", "Role and organisation", "Signature", "Date"], [4.6, 6.0, 3.6, 2.4],
         loop=("name in case.reviewers", ["{{ name }}", "", "", ""]), blank_rows=1)
    guidance(doc, "Keep this signed record in the case folder. Material is shared with a member only "
                  "after they have signed.")
    return save(doc, f"{w.folder}/panel-membership.docx")
