"""The register through the worker's eyes: its facts (read only when the file changed, else
from the cache in the state store) and writing it at the end of a pass, without ever
overwriting a person's edit.

- Nobody has it open: the new workbook replaces the file, on condition that it is still the
  version the pass read (its etag); if a person saved it meanwhile, the pass re-reads and merges.
- Someone has it open (SharePoint answers 423): only the changed cells and new rows are sent,
  through the workbook API, so people see them appear and keep what they are typing.
- Checked out to a person: left for the next pass, and the coordinator is told.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from o365flow.errors import ConflictError, FileCheckedOut, FileLocked, RegisterError, RegisterUnreadable
from o365flow.plan.actions import WriteRegister
from o365flow.plan.facts import RegisterFacts
from o365flow.worker.services import Services
from o365flow.worker.state import State, decode, encode

CACHE_KEY = "register.cache"
# The cached read's etag on its own, so that a pass can tell the cache is current without
# parsing it (megabytes of JSON at 10,000 cases).
CACHE_ETAG_KEY = "register.cache.etag"
RESTORE = "restore the previous version from the library's version history"


def read_register_facts(svc: Services, state: State) -> RegisterFacts:
    """The register's people's edits. Read again only when the file changed since the cached
    read (``remember_register`` keeps one, once the pass is applied). Reads only."""
    cfg = svc.config
    entry = svc.storage.stat(cfg.register_library, cfg.register_path)
    cached = state.get(CACHE_KEY)
    data = json.loads(cached) if cached else None
    previous = _facts_from_cache(data) if data else None
    if entry is None:
        # Deleted or moved away: made again, with every row's values as they were last read.
        return _with_missing(RegisterFacts(exists=False), previous)
    if data and data.get("etag") == entry.etag:
        return previous
    from o365flow.register import read_register  # the workbook is parsed only when the file changed

    where = f"the register '{cfg.register_library}/{cfg.register_path}'"
    try:
        source = f"{cfg.register_library}/{cfg.register_path}"
        snap = read_register(svc.storage.read(cfg.register_library, cfg.register_path), source=source)
    except RegisterUnreadable as exc:  # names the file, sheet and column, and the fix
        return _broken(previous, exc.message, exc.hint or RESTORE)
    except RegisterError as exc:
        return _broken(previous, f"{where} cannot be read: {exc.message}", RESTORE)
    missing = structural_problems(snap.problems, previous)
    if missing:
        return _broken(previous, f"{where} {'; '.join(missing)}",
                       f"put the name back as it was, or {RESTORE}")
    facts = RegisterFacts(
        exists=True,
        etag=entry.etag,
        cases=snap.cases,
        signoffs=snap.signoffs,
        problems=tuple(str(p) for p in snap.problems) + tuple(snap.unknown_rows),
    )
    return _with_missing(facts, previous)


def structural_problems(problems, previous: RegisterFacts | None) -> list[str]:
    """What is missing from the register's shape (a sheet, its header row, a person's column)
    that held data when it was last read, one line each. A column missing that never held
    anything (one a newer version adds) is not a problem: the register's writer adds it. (The
    reader raises ``RegisterUnreadable`` for these itself; this guards a reader that reports
    one as a cell problem instead.)"""
    from o365flow.core.columns import CASES_PERSON, CASES_SHEET, SIGNOFFS_PERSON, SIGNOFFS_SHEET

    last = previous or RegisterFacts()
    rows = {CASES_SHEET: list(last.cases.values()), SIGNOFFS_SHEET: list(last.signoffs.values())}
    person = {CASES_SHEET: CASES_PERSON, SIGNOFFS_SHEET: SIGNOFFS_PERSON}
    lines = []
    for p in problems:
        if p.reference is not None or p.sheet not in rows or not rows[p.sheet]:
            continue  # a cell's problem (reported as such), or nothing there to lose
        if not p.column:
            lines.append(f"has no '{p.sheet}' sheet (renamed or deleted?)")
        elif p.message.startswith("no header row"):
            lines.append(f"has no header row with a 'Reference' column on sheet '{p.sheet}'")
        elif p.column in person[p.sheet] and any(r.get(p.column) is not None for r in rows[p.sheet]):
            lines.append(f"has no '{p.column}' column on sheet '{p.sheet}' (renamed or deleted?)")
    return lines


def _broken(previous: RegisterFacts | None, problem: str, fix: str) -> RegisterFacts:
    """A register that cannot be used: the last values read stand in for it."""
    text = (f"{problem}. Until it is put right nothing is written to the register and new referrals "
            f"wait; reminders and the digest go on from what was last read. To fix: {fix}")
    last = previous or RegisterFacts()
    return RegisterFacts(exists=True, cases=last.cases, signoffs=last.signoffs, broken=text)


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


def remember_register(state: State, facts: RegisterFacts) -> None:
    """Cache what was read of the register (by its etag), unless it is cached already."""
    if not facts.exists or not facts.etag:
        return
    if state.get(CACHE_ETAG_KEY) == facts.etag:
        return
    cached = state.get(CACHE_KEY)  # a store from before the etag was kept apart
    if cached and json.loads(cached).get("etag") == facts.etag:
        state.put(CACHE_ETAG_KEY, facts.etag)
        return
    state.put(
        CACHE_KEY,
        json.dumps(
            {
                "etag": facts.etag,
                "cases": encode(facts.cases),
                "signoffs": [[list(k), encode(v)] for k, v in facts.signoffs.items()],
                "problems": list(facts.problems),
                "missing_cases": list(facts.missing_cases),
                "missing_signoffs": [list(k) for k in facts.missing_signoffs],
            }
        ),
    )
    state.put(CACHE_ETAG_KEY, facts.etag)


def _facts_from_cache(data: dict) -> RegisterFacts:
    return RegisterFacts(
        exists=True,
        etag=data.get("etag", ""),
        cases=decode(data["cases"]),
        signoffs={tuple(k): decode(v) for k, v in data["signoffs"]},
        problems=tuple(data["problems"]),
        missing_cases=tuple(data.get("missing_cases", ())),
        missing_signoffs=tuple(tuple(k) for k in data.get("missing_signoffs", ())),
    )


def write_register(svc: Services, state: State, write: WriteRegister, seen: RegisterFacts, now, digested=False) -> str:
    """'written', 'changed' (re-read and merge), 'locked' or 'checked out'."""
    from o365flow.core.columns import DECISIONS
    from o365flow.register import Link, read_register, register_edits, update_register

    cfg, storage = svc.config, svc.storage
    entry = storage.stat(cfg.register_library, cfg.register_path)
    if seen.exists and (entry is None or entry.etag != seen.etag):
        return "changed"
    data = storage.read(cfg.register_library, cfg.register_path) if entry else None
    audit = state.audit_since(audit_written(state))
    args = (
        [_linked(row, svc, Link) for row in write.cases],
        list(write.signoffs),
    )
    options = dict(
        decisions=DECISIONS,
        amber_days=cfg.amber_days,
        actions=[r for ref in sorted(write.actions) for r in write.actions[ref]] if write.actions else None,
        audit=[{"When": datetime.fromisoformat(at).replace(tzinfo=None), "Reference": ref, "What": what, "Why": why,
                "Mail": mail} for _, at, ref, what, why, mail in audit],
        agencies=tuple(a.code for a in cfg.agencies_to_sign_off()),
        source=f"{cfg.register_library}/{cfg.register_path}",
        themes=cfg.themes,
    )
    new = update_register(data, *args, **options, board=cfg.board_name)
    if new is None:
        _remember_written(state, write, audit)
        return "written"
    try:
        written = storage.write(cfg.register_library, cfg.register_path, new, if_match=entry.etag if entry else None,
                                create_only=entry is None)
        snap = read_register(new, source=options["source"])
        remember_register(
            state,
            RegisterFacts(True, snap.cases, snap.signoffs,
                          tuple(str(p) for p in snap.problems) + tuple(snap.unknown_rows), etag=written.etag),
        )
        how = "register updated"
    except FileCheckedOut:
        return "checked out"
    except FileLocked:
        if svc.workbook is None or entry is None:
            return "locked"  # the local site: a file open in another program is written once closed
        edits = register_edits(data, *args, **options)
        if edits is None:
            return "locked"  # the change needs the whole file (a new layout): once it is closed
        try:
            svc.workbook.update_workbook(cfg.register_library, cfg.register_path, edits, if_match=entry.etag)
        except FileCheckedOut:
            return "checked out"
        except FileLocked:
            return "locked"
        except ConflictError:
            return "changed"
        # The cache is left as it was: co-authors may have typed meanwhile, so the next pass
        # downloads the workbook once and reads it afresh.
        how = "register updated cell by cell (open in Excel)"
    except ConflictError:
        return "changed"
    _remember_written(state, write, audit)
    if not digested:  # today's digest has gone already: these wait for tomorrow's
        from o365flow.plan.mail import attention_of

        for section, text in attention_of(write):
            state.attend(now.date(), section, text)
    state.audit(now, None, "register updated", f"{how}: {write.reason}: {len(write.changed)} row(s)")
    return "written"


def _remember_written(state: State, write: WriteRegister, audit: list) -> None:
    if write.cases:
        last = {row["Reference"]: {k: v for k, v in row.items() if k != "Last updated"} for row in write.cases}
        state.put("register.last_written", json.dumps(encode(last)))
    if write.actions_fps:
        written = json.loads(state.get("actions.written") or "{}")
        state.put("actions.written", json.dumps({**written, **write.actions_fps}, sort_keys=True))
    if audit:
        state.put("audit.written", str(audit[-1][0]))


def audit_written(state: State) -> int:
    """The last audit entry already in the register's Audit sheet."""
    return int(state.get("audit.written") or 0)


def _linked(row: dict, svc: Services, Link) -> dict:
    from o365flow.plan.rows import FolderLink

    folder = row.get("Folder")
    if isinstance(folder, FolderLink):
        row = {**row, "Folder": Link(str(folder), svc.storage.link(svc.config.reviews_library, folder.folder))}
    return row
