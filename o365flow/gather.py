"""Gather: what changed since the last pass -- referral forms, final reports, the register, the
inbox. The only part of a pass that reads the outside world before the plan is made."""

from __future__ import annotations

import json
from datetime import datetime

from .errors import InputError
from .plan.assess import workflow_for
from .plan.facts import Board, Facts, FormFact, RegisterFacts
from .services import Services
from .state import State, decode, encode

REPORT_SUFFIXES = (".docx", ".pdf")


def gather(svc: Services, state: State, board: Board, now: datetime) -> Facts:
    problems: list[str] = []
    register = read_register_facts(svc, state)
    return Facts(
        now=now,
        forms=tuple(referral_forms(svc, state, board, now)),
        register=register,
        final_reports=final_reports(svc, board, register, now),
        messages=tuple(unprocessed_messages(svc, state, problems)),
        problems=tuple(problems),
    )


def _saved_on(svc: Services, entry, now: datetime):
    # Contract: the local site counts a form's modification time, SharePoint its creation time.
    when = entry.modified if svc.config.backend == "local" else entry.created
    return when.astimezone(now.tzinfo).date()


def referral_forms(svc: Services, state: State, board: Board, now: datetime) -> list[FormFact]:
    from .documents.referral import read_referral_fields

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


def final_reports(svc: Services, board: Board, register: RegisterFacts, now: datetime) -> dict:
    """The first day a report appeared in each waiting case's final-report folder."""
    found = {}
    library = svc.config.reviews_library
    for ref, case in board.cases.items():
        row = register.cases.get(ref) or {}
        if case.final_report_seen or row.get("Final report date") or not row.get("Decision"):
            continue
        wf = workflow_for(svc.workflows, case, row.get("Decision"))
        if not wf or not wf.final_report_folder:
            continue
        reports = [
            e
            for e in svc.storage.list(library, f"{ref}/{wf.final_report_folder}")
            if not e.is_folder and e.name.lower().endswith(REPORT_SUFFIXES)
        ]
        if reports:
            found[ref] = min(min(e.created, e.modified) for e in reports).astimezone(now.tzinfo).date()
    return found


def read_register_facts(svc: Services, state: State, remember: bool = True) -> RegisterFacts:
    """The register's people's edits. Read again only when the file changed since last time."""
    cfg = svc.config
    entry = svc.storage.stat(cfg.register_library, cfg.register_path)
    if entry is None:
        return RegisterFacts(exists=False)
    cached = state.get("register.cache")
    if cached:
        data = json.loads(cached)
        if data.get("etag") == entry.etag:
            return _facts_from_cache(data)
    from .register import read_register  # openpyxl is imported only when the file changed

    snap = read_register(svc.storage.read(cfg.register_library, cfg.register_path))
    facts = RegisterFacts(
        exists=True,
        cases=snap.cases,
        signoffs=snap.signoffs,
        problems=tuple(str(p) for p in snap.problems) + tuple(snap.unknown_rows),
    )
    if remember:
        remember_register(state, entry.etag, facts)
    return facts


def remember_register(state: State, etag: str, facts: RegisterFacts) -> None:
    state.put(
        "register.cache",
        json.dumps(
            {
                "etag": etag,
                "cases": encode(facts.cases),
                "signoffs": [[list(k), encode(v)] for k, v in facts.signoffs.items()],
                "problems": list(facts.problems),
            }
        ),
    )


def _facts_from_cache(data: dict) -> RegisterFacts:
    return RegisterFacts(
        exists=True,
        cases=decode(data["cases"]),
        signoffs={tuple(k): decode(v) for k, v in data["signoffs"]},
        problems=tuple(data["problems"]),
    )


def unprocessed_messages(svc: Services, state: State, problems: list[str]) -> list:
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
