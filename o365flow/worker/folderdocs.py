"""Reading what people save in a case folder: agencies' timeline returns and the action plan.

Each is read again only when its files changed (their paths and etags make the cache key), so a
pass with nothing new reads no document. What is read goes to the plan as facts; the summary
timeline is rendered, and the Actions sheet written, from there.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from o365flow.core.filelabel import case_file_label
from o365flow.errors import InputError, O365flowError
from o365flow.worker.casefiles import CaseFiles
from o365flow.plan.assess import workflow_for
from o365flow.plan.facts import Board, RegisterFacts
from o365flow.worker.services import Services
from o365flow.worker.state import State, decode, encode


@dataclass(frozen=True)
class TimelineFacts:
    """A case's timeline returns: which agencies returned one, and (when they changed since the
    summary was last made) the merged entries to render."""

    agencies: tuple[str, ...]  # agency codes with a return, sorted
    files: tuple[tuple[str, str], ...]  # (agency code, file name)
    fingerprint: str  # of the merged entries
    entries: tuple = ()  # TimelineEntry; empty when nothing changed since the summary was made
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionsFacts:
    """A case's action plan as rows of the register's Actions sheet."""

    rows: tuple[dict, ...]
    fingerprint: str
    problems: tuple[str, ...] = ()
    named: tuple[str, ...] = field(default=())  # agency codes named as lead agencies


def _inputs(files) -> str:
    return hashlib.sha256("\n".join(f"{f.path}\t{f.etag}" for f in files).encode()).hexdigest()[:16]


def timelines(svc: Services, state: State, board: Board, register: RegisterFacts, files: CaseFiles, keep: dict) -> dict:
    """Each decided case's timeline returns; what was read is put in ``keep`` (state key ->
    text) to be cached once the pass is applied."""
    found = {}
    for ref, case in board.cases.items():
        row = register.cases.get(ref) or {}
        wf = workflow_for(svc.workflows, case, row.get("Decision"))
        if not row.get("Decision") or not wf or not wf.timelines_folder:
            continue
        summary_name = wf.summary_timeline.name.replace("{reference}", ref).lower() if wf.summary_timeline else ""
        returns = [
            f for f in files.in_folder(ref, wf.timelines_folder, (".docx",))
            if "(blank)" not in f.name.lower() and f.name.lower() != summary_name
        ]
        if not returns:
            continue
        key, cache_key = _inputs(returns), f"timeline.cache/{ref}"
        cached = json.loads(state.get(cache_key) or "{}")
        # Unchanged returns are not read again once their summary is made -- or when they merge
        # to nothing (blank returns, or none could be read: a rejected file is remembered by its
        # etag until it changes): there is no summary to make, so nothing to read them for.
        if cached.get("inputs") == key and (cached.get("empty") or f"timeline/{ref}/{cached.get('fingerprint')}" in board.done):
            found[ref] = TimelineFacts(tuple(cached["agencies"]), tuple(map(tuple, cached["files"])),
                                       cached["fingerprint"], (), tuple(cached["problems"]))
            continue
        from o365flow.documents.timeline import identify_agency, merge_timelines, read_timeline_return, timeline_fingerprint

        read, problems, named = [], [], []
        for f in returns:
            source = case_file_label(svc.config.reviews_library, f.path)  # never the file name
            try:
                ret = read_timeline_return(svc.storage.read(svc.config.reviews_library, f.path), source)
            except (InputError, O365flowError) as exc:
                problems.append(str(exc))
                continue
            code = identify_agency(ret, f.name, svc.config.agencies)
            if code is None:
                problems.append(f"{source}: the agency is not named; fill in the 'Agency' row, or put the agency's code in the file name")
                continue
            problems += ret.problems
            read.append((code, ret))
            named.append((code, f.name))
        entries = merge_timelines(read)
        fp = timeline_fingerprint(entries)
        agencies = tuple(sorted({c for c, _ in named}))
        keep[cache_key] = json.dumps({"inputs": key, "fingerprint": fp, "agencies": agencies,
                                      "files": sorted(named), "problems": problems, "empty": not entries})
        found[ref] = TimelineFacts(agencies, tuple(sorted(named)), fp, tuple(entries), tuple(problems))
    return found


def action_plans(svc: Services, state: State, board: Board, register: RegisterFacts, files: CaseFiles, keep: dict) -> dict:
    """Each decided case's action plan as rows; what was read is put in ``keep`` as above."""
    found = {}
    for ref, case in board.cases.items():
        row = register.cases.get(ref) or {}
        wf = workflow_for(svc.workflows, case, row.get("Decision"))
        if not row.get("Decision") or not wf or not wf.action_plan_folder:
            continue
        plans = files.in_folder(ref, wf.action_plan_folder, (".docx",))
        if not plans:
            continue
        key, cache_key = _inputs(plans), f"actionplan.cache/{ref}"
        cached = json.loads(state.get(cache_key) or "{}")
        if cached.get("inputs") == key:
            found[ref] = ActionsFacts(tuple(decode(cached["rows"])), cached["fingerprint"],
                                      tuple(cached["problems"]), tuple(cached["named"]))
            continue
        from o365flow.documents.actionplan import named_agencies, read_action_plan  # only when one is read

        # The newest document is the plan (drafts are often kept beside it).
        newest = max(plans, key=lambda f: (f.modified, f.name))
        source = case_file_label(svc.config.reviews_library, newest.path)
        rows, problems, named = [], [], ()
        try:
            plan = read_action_plan(svc.storage.read(svc.config.reviews_library, newest.path), source)
            problems = list(plan.problems)
            named = named_agencies(plan, svc.config.agencies)
            for n, item in enumerate(plan.items, start=1):
                rows.append({
                    "Reference": ref,
                    "Item": n,
                    "Recommendation": item.recommendation or None,
                    "Action": item.action or None,
                    "Lead agency": item.lead_agency or None,
                    "Lead officer": item.lead_officer or None,
                    "Target date": item.target_date,
                    "Progress": item.progress or None,
                    "Evidence of outcome": item.evidence or None,
                    **({"Theme": item.theme} if item.theme else {}),  # only when the plan has themes
                })
        except (InputError, O365flowError) as exc:
            problems = [str(exc)]
        fp = hashlib.sha256(json.dumps(encode(rows), sort_keys=True).encode()).hexdigest()[:16]
        keep[cache_key] = json.dumps({"inputs": key, "rows": encode(rows), "fingerprint": fp,
                                      "problems": problems, "named": list(named)})
        found[ref] = ActionsFacts(tuple(rows), fp, tuple(problems), tuple(named))
    return found


def named_leads(state: State, reference: str) -> tuple[str, ...]:
    """The agencies the case's action plan named as leads when it was last read."""
    cached = json.loads(state.get(f"actionplan.cache/{reference}") or "{}")
    return tuple(cached.get("named", ()))
