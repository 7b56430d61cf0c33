"""The register's public columns (contract: "The register workbook"). Pure data.

Worker-owned columns are written on every pass (a person's edit there is restored and
reported). Person-owned columns are typed by coordinators and never overwritten; a few of
them the worker *fills when blank* (``FILLED_WHEN_BLANK``) and then leaves alone.
"""

from __future__ import annotations

CASES_SHEET = "Cases"
SIGNOFFS_SHEET = "Sign-offs"

CASES_WORKER = (
    "Reference",
    "Kind",
    "Subject initials",
    "Referring agency",
    "Referral received",
    "Stage",
    "Review due",
    "Action plan sign-off due",
    "Sign-offs outstanding",
    "Timelines returned",
    "Next deadline",
    "Next deadline is",
    "RAG",
    "Folder",
    "Last updated",
    "Report submitted",
)

CASES_PERSON = (
    "Decision",
    "Decision date",
    "Welsh Government notified",
    "Reviewers",
    "Panel members",
    "On hold from",
    "Resumed on",
    "Hold reason",
    "Learning event date",
    "Final report date",
    "Board approval date",
    "Anonymisation cleared",
    "Published date",
    "Closed date",
    "Themes",
    "Notes",
)

# The order a new workbook shows them in: identity first, then the decision a person records,
# then the worker's view of the clock, then the rest of what people type.
CASES_ORDER = (
    "Reference",
    "Kind",
    "Subject initials",
    "Referring agency",
    "Referral received",
    "Decision",
    "Decision date",
    "Welsh Government notified",
    "Stage",
    "Next deadline",
    "Next deadline is",
    "RAG",
    "Review due",
    "Action plan sign-off due",
    "Sign-offs outstanding",
    "Timelines returned",
    "Reviewers",
    "Panel members",
    "On hold from",
    "Resumed on",
    "Hold reason",
    "Learning event date",
    "Final report date",
    "Board approval date",
    "Anonymisation cleared",
    "Published date",
    "Closed date",
    "Folder",
    "Notes",
    "Last updated",
    "Themes",  # added after the rest, so registers made before it keep their columns' places
    "Report submitted",  # the day the report went to the last of the Welsh Ministers, NISB, inspectorates
)

SIGNOFFS_WORKER = ("Reference", "Agency", "Agency name", "Requested", "Due", "Last reminder")
SIGNOFFS_PERSON = ("Signed off", "Signed off by", "How")
SIGNOFFS_ORDER = SIGNOFFS_WORKER + SIGNOFFS_PERSON

# Person-owned cells the worker fills when (and only when) they are blank.
FILLED_WHEN_BLANK = {
    CASES_SHEET: ("Final report date",),
    SIGNOFFS_SHEET: ("Signed off", "Signed off by", "How"),
}

DATE_COLUMNS = frozenset(
    {
        "Referral received",
        "Review due",
        "Action plan sign-off due",
        "Next deadline",
        "Last updated",
        "Report submitted",
        "Decision date",
        "Welsh Government notified",
        "On hold from",
        "Resumed on",
        "Learning event date",
        "Final report date",
        "Board approval date",
        "Anonymisation cleared",
        "Published date",
        "Closed date",
        "Requested",
        "Due",
        "Last reminder",
        "Signed off",
        "Target date",
    }
)

DECISIONS = ("Concise review", "Extended review", "Forum", "SUSR", "No review")
RAG_VALUES = ("Red", "Amber", "Green")

# The sheets o365flow keeps entirely (a person's edit there is restored on the next pass).
ACTIONS_SHEET = "Actions"
# One row per action read from a case's action plan document ("Item" numbers them 1, 2, ...).
ACTIONS_COLUMNS = (
    "Reference",
    "Item",
    "Recommendation",
    "Action",
    "Lead agency",
    "Lead officer",
    "Target date",
    "Progress",
    "Evidence of outcome",
    "Theme",
)
AUDIT_SHEET = "Audit"
# Append-only: every change the worker made, when, and the rule or event that caused it. A
# message sent carries its key in "Mail" (what, which case, to whom: references, agency codes,
# dates, never a name), so a lost state store is rebuilt knowing every message that went.
AUDIT_COLUMNS = ("When", "Reference", "What", "Why", "Mail")
DASHBOARD_SHEET = "Dashboard"
LEARNING_SHEET = "Learning"
LISTS_SHEET = "Lists"
