"""Writing the register at the end of a pass, without ever overwriting a person's edit.

- Nobody has it open: the new workbook replaces the file, on condition that it is still the
  version the pass read (its etag); if a person saved it meanwhile, the pass re-reads and merges.
- Someone has it open (SharePoint answers 423): only the changed cells and new rows are sent,
  through the workbook API, so people see them appear and keep what they are typing.
- Checked out to a person: left for the next pass, and the coordinator is told.
"""

from __future__ import annotations

import json
from datetime import datetime

from o365flow.errors import ConflictError, FileCheckedOut, FileLocked
from o365flow.worker.gather import remember_register
from o365flow.plan.actions import WriteRegister
from o365flow.plan.facts import RegisterFacts
from o365flow.worker.services import Services
from o365flow.worker.state import State, encode


def write_register(svc: Services, state: State, write: WriteRegister, seen: RegisterFacts, now, digested=False) -> str:
    """'written', 'changed' (re-read and merge), 'locked' or 'checked out'."""
    from o365flow.core.columns import DECISIONS
    from o365flow.register import Link, read_register, register_edits, update_register

    cfg, storage = svc.config, svc.storage
    entry = storage.stat(cfg.register_library, cfg.register_path)
    cached = json.loads(state.get("register.cache") or "{}")
    if seen.exists and (entry is None or entry.etag != cached.get("etag")):
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
        audit=[{"When": datetime.fromisoformat(at).replace(tzinfo=None), "Reference": ref, "What": what, "Why": why}
               for _, at, ref, what, why in audit],
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
            written.etag,
            RegisterFacts(True, snap.cases, snap.signoffs, tuple(str(p) for p in snap.problems) + tuple(snap.unknown_rows)),
        )
        how = "register updated"
    except FileCheckedOut:
        return "checked out"
    except FileLocked:
        edits = register_edits(data, *args, **options)
        if edits is None:
            return "locked"  # the change needs the whole file (a new layout): once it is closed
        try:
            storage.update_workbook(cfg.register_library, cfg.register_path, edits, if_match=entry.etag)
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
