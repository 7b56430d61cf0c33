"""Gather: what changed since the last pass -- referral forms, final reports, the register, the
inbox. The only part of a pass that reads the outside world before the plan is made."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from typing import TYPE_CHECKING

from o365flow.errors import InputError, O365flowError
from o365flow.plan.assess import workflow_for
from o365flow.plan.facts import Board, Facts, FormFact, RegisterFacts
from o365flow.worker.services import Services
from o365flow.worker.state import State, decode, encode

if TYPE_CHECKING:
    from o365flow.worker.casefiles import CaseFiles

REPORT_SUFFIXES = (".docx", ".pdf")


INBOX_CURSOR = "cursor/inbox"


def gather(svc: Services, state: State, board: Board, now: datetime) -> Facts:
    from o365flow.worker import casefiles as folders, folderdocs as casedocs  # not needed by ``status``, which reads only the register

    problems: list[str] = []
    cursor: list = []
    register = read_register_facts(svc, state)
    files = folders.refresh(svc, state)
    return Facts(
        now=now,
        forms=tuple(referral_forms(svc, state, board, now)),
        register=register,
        final_reports=final_reports(svc, board, register, files, now),
        messages=tuple(unprocessed_messages(svc, state, problems, cursor)),
        inbox_cursor=cursor[0] if cursor else None,
        problems=tuple(problems),
        publication=publication_checks(svc, board, register),
        shares=files_to_share(svc, board, register, files, now),
        timelines=casedocs.timelines(svc, state, board, register, files),
        actions=casedocs.action_plans(svc, state, board, register, files),
        actions_written=json.loads(state.get("actions.written") or "{}"),
    )


def _saved_on(svc: Services, entry, now: datetime):
    # Contract: the local site counts a form's modification time, SharePoint its creation time.
    when = entry.modified if svc.config.backend == "local" else entry.created
    return when.astimezone(now.tzinfo).date()


def referral_forms(svc: Services, state: State, board: Board, now: datetime) -> list[FormFact]:
    library = svc.config.referrals_library
    cursor_key = f"cursor/{library}"
    changes = svc.storage.changes(library, state.get(cursor_key))
    forms = []
    for entry in changes.entries:
        if entry.is_folder or "/" in entry.path:
            continue  # forms are read from the library's top level; subfolders are people's own
        known = board.forms.get(entry.path)
        if known and (known.reference or known.etag == entry.etag):
            continue
        source = f"{library}/{entry.path}"
        if not entry.name.lower().endswith(".docx"):
            forms.append(FormFact(entry.path, entry.etag, _saved_on(svc, entry, now), None,
                                  f"{source} is not a Word .docx form; save it as a Word Document (.docx)"))
            continue
        from o365flow.documents.referral import read_referral_fields  # only when a form is read

        try:
            fields = read_referral_fields(svc.storage.read(library, entry.path), source)
            forms.append(FormFact(entry.path, entry.etag, _saved_on(svc, entry, now), fields))
        except InputError as exc:
            forms.append(FormFact(entry.path, entry.etag, _saved_on(svc, entry, now), None, str(exc)))
    # A rejected form that has gone (deleted or moved away) is no longer reported.
    present = {e.path for e in changes.entries} if changes.complete else None
    for path, known in board.forms.items():
        if not known.reference and (path in changes.deleted or (present is not None and path not in present)):
            state.forget_form(path)
    if changes.cursor:
        state.put(cursor_key, changes.cursor)
    return forms


def final_reports(svc: Services, board: Board, register: RegisterFacts, files: CaseFiles, now: datetime) -> dict:
    """The first day a report appeared in each waiting case's final-report folder."""
    found = {}
    for ref, case in board.cases.items():
        row = register.cases.get(ref) or {}
        if case.final_report_seen or row.get("Final report date") or not row.get("Decision"):
            continue
        wf = workflow_for(svc.workflows, case, row.get("Decision"))
        if not wf or not wf.final_report_folder:
            continue
        reports = files.in_folder(ref, wf.final_report_folder, REPORT_SUFFIXES)
        if reports:
            found[ref] = min(min(e.created, e.modified) for e in reports).astimezone(now.tzinfo).date()
    return found


def publication_checks(svc: Services, board: Board, register: RegisterFacts) -> dict:
    """The anonymisation check of each review whose Published date waits for one."""
    from o365flow.plan.assess import awaits_publication_check
    from o365flow.worker.namecheck import ReportCheck, check_report

    checks = {}
    for ref, case in board.cases.items():
        row = register.cases.get(ref)
        wf = workflow_for(svc.workflows, case, (row or {}).get("Decision"))
        if awaits_publication_check(ref, row, wf, board):
            try:
                checks[ref] = check_report(svc, case, wf)
            except O365flowError as exc:
                checks[ref] = ReportCheck(ref, problem=f"the final report could not be checked: {exc}")
    return checks


def files_to_share(svc: Services, board: Board, register: RegisterFacts, files: CaseFiles, now: datetime) -> dict:
    """Files saved in the share folder of each case that has reached its share stage and has not
    yet been shared with every agency, each with what the name check found in it."""
    from o365flow.plan import _signed
    from o365flow.plan.assess import view_case
    from o365flow.plan.learning import ShareFile, reached
    from o365flow.worker.namecheck import find_in

    cfg, found = svc.config, {}
    signed = None
    for ref, case in board.cases.items():
        row = register.cases.get(ref)
        wf = workflow_for(svc.workflows, case, (row or {}).get("Decision"))
        if not wf or not wf.share or not (row or {}).get("Decision"):
            continue
        if all(f"share/{ref}/{a.code}" in board.done for a in cfg.agencies if a.dissemination):
            continue
        candidates = files.in_folder(ref, wf.share.folder, REPORT_SUFFIXES)
        if not candidates:
            continue  # nothing saved to share: no need to work out the case's stage
        signed = signed if signed is not None else _signed(board, Facts(now=now, register=register))
        view = view_case(cfg, svc.workflows, board, case, row, signed, now.date())
        if not reached(view, wf, wf.share.after):
            continue
        # A Word file is checked for names before it goes out; a PDF cannot be read for them.
        checked, notes = find_in(svc, case, [e for e in candidates if e.name.lower().endswith(".docx")])
        found[ref] = tuple(
            ShareFile(e.path, e.name, (*notes, *checked[e.path]) if e.path in checked else ()) for e in candidates
        )
    return found


def read_register_facts(svc: Services, state: State, remember: bool = True) -> RegisterFacts:
    """The register's people's edits. Read again only when the file changed since last time."""
    cfg = svc.config
    entry = svc.storage.stat(cfg.register_library, cfg.register_path)
    cached = state.get("register.cache")
    previous = _facts_from_cache(json.loads(cached)) if cached else None
    if entry is None:
        # Deleted or moved away: made again, with every row's values as they were last read.
        return _with_missing(RegisterFacts(exists=False), previous)
    if cached and json.loads(cached).get("etag") == entry.etag:
        return previous
    from o365flow.register import read_register  # the workbook is parsed only when the file changed

    snap = read_register(
        svc.storage.read(cfg.register_library, cfg.register_path), source=f"{cfg.register_library}/{cfg.register_path}"
    )
    facts = RegisterFacts(
        exists=True,
        cases=snap.cases,
        signoffs=snap.signoffs,
        problems=tuple(str(p) for p in snap.problems) + tuple(snap.unknown_rows),
    )
    facts = _with_missing(facts, previous)
    if remember:
        remember_register(state, entry.etag, facts)
    return facts


def _with_missing(facts: RegisterFacts, previous: RegisterFacts | None) -> RegisterFacts:
    """Rows a person deleted by mistake are never silently rebuilt empty: they keep the values
    they had when last read, and are named so the pass puts them back and says so."""
    if previous is None:
        return facts
    cases = {ref: row for ref, row in previous.cases.items() if ref not in facts.cases}
    signoffs = {key: row for key, row in previous.signoffs.items() if key not in facts.signoffs}
    if not cases and not signoffs:
        return facts
    return replace(
        facts,
        cases={**facts.cases, **cases},
        signoffs={**facts.signoffs, **signoffs},
        missing_cases=tuple(sorted(cases)),
        missing_signoffs=tuple(sorted(signoffs)),
    )


def remember_register(state: State, etag: str, facts: RegisterFacts) -> None:
    state.put(
        "register.cache",
        json.dumps(
            {
                "etag": etag,
                "cases": encode(facts.cases),
                "signoffs": [[list(k), encode(v)] for k, v in facts.signoffs.items()],
                "problems": list(facts.problems),
                "missing_cases": list(facts.missing_cases),
                "missing_signoffs": [list(k) for k in facts.missing_signoffs],
            }
        ),
    )


def _facts_from_cache(data: dict) -> RegisterFacts:
    return RegisterFacts(
        exists=True,
        cases=decode(data["cases"]),
        signoffs={tuple(k): decode(v) for k, v in data["signoffs"]},
        problems=tuple(data["problems"]),
        missing_cases=tuple(data.get("missing_cases", ())),
        missing_signoffs=tuple(tuple(k) for k in data.get("missing_signoffs", ())),
    )


def unprocessed_messages(svc: Services, state: State, problems: list[str], cursor: list | None = None) -> list:
    """Replies not yet processed. A server mailbox is asked only for what arrived since the last
    pass; its new cursor goes in ``cursor`` for the worker to keep once every reply is handled."""
    from o365flow.mail.base import IncrementalInbox

    if isinstance(svc.inbox, IncrementalInbox):
        changes = svc.inbox.changes(state.get(INBOX_CURSOR))
        messages, bad = changes.messages, changes.problems
        if cursor is not None:
            cursor.append(changes.cursor)
    else:
        messages, bad = svc.inbox.fetch()
    done = state.processed_keys()
    fresh = [m for m in messages if m.key not in done]
    # An unreadable message is reported once and then left alone (it stays in the mailbox).
    for line in bad:
        key = "bad:" + line
        if key not in done:
            problems.append(line)
            state.processed_key(key, line)
            state.attend(datetime.now().date(), "Waiting on a person", line)
    return fresh
