"""The shipped Word template set, built from code so that it is reproducible and reviewable.

One module per document family; ``styles`` and ``blocks`` hold the shared look and building
blocks, ``wording`` the words that differ between the review workflows. ``build_all()`` writes
every template under ``o365flow/data/templates/`` (byte-identical on every run).
"""

from __future__ import annotations

from pathlib import Path

from . import chronology, commissioning, forum, learning, publication, referral, report
from .wording import REVIEWS

# The review templates, in the order a review uses them; each is built once per workflow.
REVIEW_BUILDERS = (
    publication.welsh_government_letter,
    commissioning.terms_of_reference,
    commissioning.panel_membership,
    publication.names_not_to_publish,
    chronology.agency_timeline_return,
    chronology.summary_timeline,
    learning.learning_event_plan,
    learning.family_engagement_record,
    report.practice_review_report,
    report.action_plan,
    publication.seven_minute_briefing,
)
FORUM_BUILDERS = (forum.facilitation_plan, forum.case_learning_notes, forum.learning_summary)


def build_all() -> list[Path]:
    """Write every shipped Word template; returns the paths written."""
    written = [build(wording) for wording in REVIEWS for build in REVIEW_BUILDERS]
    written += [build() for build in FORUM_BUILDERS]
    written.append(referral.referral_form())
    return written
