"""A realistic, invented case for previewing and testing the templates: the demo board's
configuration, a case of each workflow's kind, a decision row as a coordinator would type it,
and a merged timeline of eight entries (one date on which two agencies disagree)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from o365flow.core.settings import Config

from o365flow.configuration.loader import load_config
from o365flow.core.model import CaseRecord, Referral
from o365flow.plan.context import document_context
from o365flow.commands.init import CONFIG
from o365flow.core.workflow import Workflow

KIND_BY_WORKFLOW = {"cpr": "CPR", "apr": "APR", "susr": "SUSR", "forum": "MAPF"}
INITIALS = "Q.Z."
GENERATED_ON = "16 March 2026"

TIMELINE = [
    {"date": "04/01/2025", "time": "", "agency": "Dyffryn University Health Board",
     "what": "Health visitor home visit; Q.Z. seen with mother. Weight on the 9th centile.",
     "who": "Health visitor; mother", "source": "Child health record", "flag": ""},
    {"date": "19/02/2025", "time": "22:40", "agency": "Dyffryn Police",
     "what": "Call to a verbal argument at the family home; no offences disclosed. PPN submitted.",
     "who": "Two response officers; mother; partner", "source": "Incident log 0212", "flag": ""},
    {"date": "20/02/2025", "time": "09:15", "agency": "Dyffryn County Council Social Services",
     "what": "PPN received and screened by the IAA team: information and advice, no further action.",
     "who": "Duty social worker; team manager", "source": "Contact record C-1182", "flag": ""},
    {"date": "11/04/2025", "time": "", "agency": "Dyffryn University Health Board",
     "what": "Missed appointment at the paediatric clinic; letter sent to offer another.",
     "who": "Paediatric clinic administrator", "source": "Outpatient system", "flag": ""},
    {"date": "02/06/2025", "time": "14:00", "agency": "Dyffryn County Council Social Services",
     "what": "Strategy discussion after a referral from the school nurse; section 47 enquiry agreed.",
     "who": "Social worker; police sergeant; school nurse", "source": "Strategy minutes",
     "flag": "Agencies record different outcomes for this meeting"},
    {"date": "02/06/2025", "time": "14:00", "agency": "Dyffryn Police",
     "what": "Strategy discussion: single-agency social services assessment agreed; no police action.",
     "who": "Police sergeant; social worker", "source": "PVP record 55/25",
     "flag": "Agencies record different outcomes for this meeting"},
    {"date": "18/07/2025", "time": "", "agency": "Dyffryn County Council Social Services",
     "what": "Initial child protection conference: Q.Z. not registered; care and support plan agreed.",
     "who": "Conference chair; family; agencies", "source": "Conference minutes", "flag": ""},
    {"date": "20/01/2026", "time": "07:55", "agency": "Welsh Ambulance Services NHS Trust",
     "what": "999 call; Q.Z. taken to the emergency department with a head injury.",
     "who": "Paramedic crew", "source": "Patient report form", "flag": ""},
]
RETURNS = [
    {"agency": "Dyffryn County Council Social Services", "file": "DCC timeline return.docx"},
    {"agency": "Dyffryn Police", "file": "Police chronology v2.docx"},
    {"agency": "Dyffryn University Health Board", "file": "UHB timeline.docx"},
    {"agency": "Welsh Ambulance Services NHS Trust", "file": "WAST return.docx"},
]
MISSING = ["Probation Service in Wales"]


def demo_config(folder: Path) -> Config:
    """The configuration ``o365flow init`` writes, loaded from ``folder``."""
    path = folder / "o365flow.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return load_config(path)


def sample_case(kind: str) -> CaseRecord:
    referral = Referral(kind, INITIALS, "Dyffryn Police", incident_date=date(2026, 1, 20),
                        circumstances="(stays on the form)", protected_6_months=False)
    return CaseRecord(f"DRSB-{kind}-2026-004", kind, 2026, 4, "Referrals/form.docx",
                      date(2026, 2, 2), referral)


def sample_row(workflow_id: str) -> dict:
    decision = {"susr": "SUSR", "forum": "Forum"}.get(workflow_id, "Concise review")
    return {
        "Decision": decision, "Decision date": date(2026, 3, 10),
        "Reviewers": "Dr Eleri Morgan; Gareth Hughes",
        "Panel members": "Siân Roberts, Tom Evans, Priya Shah",
        "Learning event date": date(2026, 5, 14),
    }


def sample_context(config: Config, wf: Workflow, *, timeline: bool = True) -> dict:
    """What the workflow supplies at the decision, with the pass's date filled in, and (for the
    summary timeline) the merged timeline keys."""
    case = sample_case(KIND_BY_WORKFLOW.get(wf.id, "CPR"))
    context = {**document_context(config, case, sample_row(wf.id), wf), "generated_on": GENERATED_ON}
    if timeline:
        context.update(timeline=TIMELINE, timeline_returns=RETURNS, timeline_missing=MISSING)
    return context
