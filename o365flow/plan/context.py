"""What templates see: the context for documents and mail, built from plain data. Pure."""

from __future__ import annotations

import hashlib
import re
from datetime import date

from o365flow.core.settings import Config
from o365flow.core.model import KIND_NAMES, CaseRecord
from o365flow.core.workflow import Workflow


def long_date(day: date | None) -> str:
    """``14 February 2026``; "" when unknown."""
    return f"{day.day} {day:%B %Y}" if day else ""


def short_date(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def split_names(text: str | None) -> list[str]:
    """A register cell listing people, separated by semicolons, commas or new lines."""
    return [p.strip() for p in re.split(r"[;,\n]", text or "") if p.strip()]


# Keys the chronology merge adds to the document context when it renders a workflow's summary
# timeline: ``timeline`` [{date, time, agency, what, who, source, flag}] (flag "" or a short note
# for the panel), ``timeline_returns`` [{agency, file}], ``timeline_missing`` [agency names].
TIMELINE_KEYS = frozenset({"timeline", "timeline_returns", "timeline_missing"})

# Words that differ between workflows. A SUSR or a forum can be about a child or an adult, so the
# subject term follows the referral's kind there; a board's own workflow gets neutral words.
_WORDING = {
    "cpr": ("Child Practice Review", "review panel", "review panel chair", "reviewers"),
    "apr": ("Adult Practice Review", "review panel", "review panel chair", "reviewers"),
    "susr": ("Single Unified Safeguarding Review", "Case Review Group", "Case Review Group chair",
             "reviewers from the approved list"),
    "forum": ("Multi-agency professional forum", "forum", "forum facilitator", "facilitators"),
}
_SUBJECT = {"CPR": ("child", "Child A"), "APR": ("adult at risk", "Adult A")}
_SUBJECT_BY_WORKFLOW = {"cpr": "CPR", "apr": "APR"}


def wording_for(wf: Workflow, kind: str) -> dict:
    """``wording`` in the document context: review_name, panel_name, panel_chair, reviewers,
    subject_term ("child", "adult at risk", "person") and subject_label ("Child A"...), the
    anonymised way shared documents refer to the subject."""
    review, panel, chair, reviewers = _WORDING.get(wf.id, (wf.name, "review panel", "review panel chair", "reviewers"))
    term, label = _SUBJECT.get(_SUBJECT_BY_WORKFLOW.get(wf.id, kind), ("person", "Person A"))
    return {"review_name": review, "panel_name": panel, "panel_chair": chair, "reviewers": reviewers,
            "subject_term": term, "subject_label": label}


def board_context(config: Config) -> dict:
    """``board`` (name, code, address: letterhead lines, empty when not configured) and
    ``coordinator``."""
    address = list(config.board_address)
    return {
        "board": {"name": config.board_name, "code": config.board_code, "address": address},
        "coordinator": {"name": config.coordinator_name, "email": config.coordinator_email},
    }


def document_context(config: Config, case: CaseRecord, row: dict | None, wf: Workflow) -> dict:
    """Everything a Word template may use (documents live in the restricted case folder, so the
    subject's initials may appear, though never in the documents that are shared: the Welsh
    Government letter, the 7 minute briefing, the forum learning summary; the circumstances never
    do: they stay on the referral form)."""
    row = row or {}
    from o365flow.core.deadlines import add_period

    decision_date = row.get("Decision date")
    review_rule = wf.deadline("review")
    review_due = add_period(decision_date, review_rule.period) if (decision_date and review_rule) else None
    if wf.signed_by_group:
        signoff = [{"code": config.case_review_group.code, "name": config.case_review_group.name}]
    else:
        signoff = [{"code": a.code, "name": a.name} for a in config.agencies_to_sign_off()]
    return {
        **board_context(config),
        "case": {
            "reference": case.reference,
            "kind": case.kind,
            "kind_name": KIND_NAMES[case.kind],
            "workflow": wf.id,
            "workflow_name": wf.name,
            "decision": row.get("Decision") or "",
            "decision_date": long_date(decision_date),
            "review_due": long_date(review_due),
            "referral_received": long_date(case.referral_received),
            "incident_date": long_date(case.referral.incident_date),
            "referring_agency": case.referral.referring_agency,
            "subject_initials": case.referral.subject_initials,
            "reviewers": split_names(row.get("Reviewers")),
            "panel_members": split_names(row.get("Panel members")),
            "suggested_review": case.referral.suggested_decision,
            "learning_event_date": long_date(row.get("Learning event date")),
            "final_report_date": long_date(row.get("Final report date") or case.final_report_seen),
        },
        "agencies": [{"code": a.code, "name": a.name} for a in config.agencies],
        "signoff_agencies": signoff if wf.signoff else [],
        "learning_event": learning_event(config),
        "wording": wording_for(wf, case.kind),
        "generated_on": "",  # filled at apply time with the pass's date
    }


# The learning event's programme, as shares of the time between the configured start and end.
_PROGRAMME = (
    (0.0, "Welcome, purpose and ground rules"),
    (0.08, "Overview of the review and the merged timeline"),
    (0.2, "Practitioner discussion: what happened, and what it was like at the time"),
    (0.45, "Break"),
    (0.52, "Themes: what helped, what got in the way"),
    (0.72, "What would make a difference: ideas for practice and systems"),
    (0.9, "Next steps, support available, evaluation and close"),
)


def learning_event(config: Config) -> dict:
    """``learning_event`` in the document context: start, end, location and online link from
    ``[learning_events]`` (what the invitation says), and a programme within those times."""
    events = config.learning_events
    start, end = str(events.get("start", "10:00")), str(events.get("end", "13:00"))
    first = int(start[:2]) * 60 + int(start[3:5])
    length = int(end[:2]) * 60 + int(end[3:5]) - first
    programme = []
    for share, session in _PROGRAMME:
        minute = first + int(round(length * share / 5.0)) * 5
        programme.append({"time": f"{minute // 60:02d}:{minute % 60:02d}", "session": session})
    return {
        "start": start,
        "end": end,
        "location": str(events.get("location", "")) or "to be confirmed",
        "online_link": str(events.get("online_link", "")),
        "programme": programme,
    }


def principals_for(config: Config, row: dict | None) -> tuple[tuple[str, ...], str]:
    """Who may open a case folder: the business unit's group and the panel members typed in the
    register. The fingerprint changes when the list does, so access is granted again."""
    people = sorted({p.lower() for p in split_names((row or {}).get("Panel members"))})
    principals = (config.access_group or config.coordinator_email, *people)
    fingerprint = hashlib.sha256("\n".join(principals).encode()).hexdigest()[:12]
    return principals, fingerprint
