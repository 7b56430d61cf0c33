"""The words that differ between the review workflows. CPR and APR templates are built from the
same source with "child" or "adult at risk" written in; a SUSR can be about a child or an adult,
so its templates take the subject term from the context (``wording.subject_term``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    folder: str  # templates/<folder>/
    review: str  # the review's full name
    short: str
    subject: str  # "the {subject}"
    subject_label: str  # how an anonymised report refers to the subject
    panel: str  # the group that oversees the review, in running text
    panel_title: str  # the same, at the start of a sentence or in a heading
    panel_chair: str
    reviewers: str  # who leads the review, in running text
    guidance: str  # the statutory guidance the review follows
    member: str  # one member of the panel
    # Who signs off the action plan, and when (the workflow's [signoff] and its deadline).
    signoff_by: str = "agencies"
    signoff_when: str = "within 4 weeks of the final report"

    @property
    def report(self) -> str:
        return f"{self.review} report"

    @property
    def a_review(self) -> str:
        """"a Child Practice Review", "an Adult Practice Review"."""
        return ("an " if self.review[:1].lower() in "aeiou" else "a ") + self.review


CPR = Wording(
    folder="cpr", review="Child Practice Review", short="CPR", subject="child",
    subject_label="Child A", panel="review panel", panel_title="Review panel",
    panel_chair="review panel chair", reviewers="reviewers",
    guidance="Working Together to Safeguard People: Volume 2 – Child Practice Reviews",
    member="panel member",
)
APR = Wording(
    folder="apr", review="Adult Practice Review", short="APR", subject="adult at risk",
    subject_label="Adult A", panel="review panel", panel_title="Review panel",
    panel_chair="review panel chair", reviewers="reviewers",
    guidance="Working Together to Safeguard People: Volume 3 – Adult Practice Reviews",
    member="panel member",
)
SUSR = Wording(
    folder="susr", review="Single Unified Safeguarding Review", short="SUSR",
    subject="{{ wording.subject_term }}", subject_label="{{ wording.subject_label }}",
    panel="Case Review Group", panel_title="Case Review Group",
    panel_chair="Case Review Group chair",
    reviewers="reviewers from the approved list",
    guidance="the Single Unified Safeguarding Review statutory guidance",
    member="Case Review Group member",
    signoff_by="the Case Review Group",
    signoff_when="within 28 days of the final report (the Board's own timescale)",
)
REVIEWS = (CPR, APR, SUSR)
