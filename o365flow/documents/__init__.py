"""Word documents: reading referral forms, action plans, timeline returns and name lists,
checking a report for names, and rendering the board's templates."""

from o365flow.documents.actionplan import ActionItem, ActionPlan, named_agencies, read_action_plan, unmatched_lead_agencies
from o365flow.documents.anonymise import Hit, NameToFind, find_names, names_to_find, read_name_list
from o365flow.documents.referral import OPTIONAL_REFERRAL_LABELS, REFERRAL_LABELS, fill_referral_form, read_referral_fields
from o365flow.documents.render import render_docx, template_variables
from o365flow.documents.tables import Column, Table, TableRow, find_table
from o365flow.documents.timeline import (
    ReturnEntry,
    TimelineEntry,
    TimelineReturn,
    identify_agency,
    merge_timelines,
    read_timeline_return,
    timeline_fingerprint,
)

__all__ = [
    "OPTIONAL_REFERRAL_LABELS",
    "REFERRAL_LABELS",
    "ActionItem",
    "ActionPlan",
    "Column",
    "Hit",
    "NameToFind",
    "ReturnEntry",
    "Table",
    "TableRow",
    "TimelineEntry",
    "TimelineReturn",
    "fill_referral_form",
    "find_names",
    "find_table",
    "identify_agency",
    "merge_timelines",
    "named_agencies",
    "names_to_find",
    "read_action_plan",
    "read_name_list",
    "read_referral_fields",
    "read_timeline_return",
    "render_docx",
    "template_variables",
    "timeline_fingerprint",
    "unmatched_lead_agencies",
]
