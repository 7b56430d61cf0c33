"""Word documents: reading referral forms, action plans, timeline returns and name lists,
checking a report for names, and rendering the board's templates."""

_WHERE = {
    "ActionItem": "o365flow.documents.actionplan",
    "ActionPlan": "o365flow.documents.actionplan",
    "Column": "o365flow.documents.tables",
    "Hit": "o365flow.documents.anonymise",
    "NameToFind": "o365flow.documents.anonymise",
    "OPTIONAL_REFERRAL_LABELS": "o365flow.documents.referral",
    "REFERRAL_LABELS": "o365flow.documents.referral",
    "ReturnEntry": "o365flow.documents.timeline",
    "Table": "o365flow.documents.tables",
    "TableRow": "o365flow.documents.tables",
    "TimelineEntry": "o365flow.documents.timeline",
    "TimelineReturn": "o365flow.documents.timeline",
    "fill_referral_form": "o365flow.documents.referral",
    "find_names": "o365flow.documents.anonymise",
    "find_table": "o365flow.documents.tables",
    "identify_agency": "o365flow.documents.timeline",
    "merge_timelines": "o365flow.documents.timeline",
    "named_agencies": "o365flow.documents.actionplan",
    "names_to_find": "o365flow.documents.anonymise",
    "read_action_plan": "o365flow.documents.actionplan",
    "read_name_list": "o365flow.documents.anonymise",
    "read_referral_fields": "o365flow.documents.referral",
    "read_timeline_return": "o365flow.documents.timeline",
    "render_docx": "o365flow.documents.render",
    "template_variables": "o365flow.documents.render",
    "timeline_fingerprint": "o365flow.documents.timeline",
    "unmatched_lead_agencies": "o365flow.documents.actionplan",
}


def __getattr__(name: str):
    # Imported on first use: python-docx and docxtpl are large, and a quiet pass reads no document.
    if name in _WHERE:
        import importlib

        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'o365flow.documents' has no attribute {name!r}")


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
