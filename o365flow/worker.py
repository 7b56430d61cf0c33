"""One pass: gather -> plan -> apply, under the pass lock, with a report of what it did.

The register is written last. If a person saved the workbook while the pass worked (its etag
changed), the pass re-reads it and plans again -- people's cells are merged, never overwritten --
up to ``REGISTER_ATTEMPTS`` times; a register that is locked (open for editing and not
replaceable) is left for the next pass and reported.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime

from .errors import BackendError, ConflictError, FileCheckedOut, FileLocked, InputError, O365flowError
from .gather import gather, read_register_facts, remember_register, unprocessed_messages
from .lock import PassLock
from .plan import Plan, plan
from .plan.actions import WriteRegister
from .plan.facts import RegisterFacts
from .services import Services
from .state import State, encode

log = logging.getLogger("o365flow")
REGISTER_ATTEMPTS = 3


@dataclass
class PassReport:
    done: list[str] = field(default_factory=list)  # one line per action applied
    failed: list[str] = field(default_factory=list)  # items that failed (exit 1)
    warnings: list[str] = field(default_factory=list)
    plan: Plan | None = None

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def make_plan(svc: Services, state: State, now: datetime) -> Plan:
    facts = gather(svc, state, state.board(), now)
    return plan(svc.config, svc.workflows, state.board(), facts)


def dry_run(svc: Services, now: datetime) -> Plan:
    """What the next pass would do. Changes nothing anywhere (the state store included)."""
    with State(svc.config.state_dir) as state:
        state.db.execute("BEGIN")
        try:
            return make_plan(svc, state, now)
        finally:
            state.db.execute("ROLLBACK")


def run_pass(svc: Services, now: datetime, stop=lambda: False) -> PassReport:
    """One pass. ``stop()`` is asked between actions (``watch`` ends cleanly on a signal)."""
    report = PassReport()
    with PassLock(svc.config.state_dir), State(svc.config.state_dir) as state:
        facts = gather(svc, state, state.board(), now)
        board = state.board()  # gather may have forgotten forms that are gone
        the_plan = plan(svc.config, svc.workflows, board, facts)
        report.plan = the_plan
        _notices(report, the_plan)
        for attempt in range(REGISTER_ATTEMPTS):
            _apply_all(svc, state, the_plan, now, report, stop)
            _keep_inbox_cursor(state, facts)
            write = next((a for a in the_plan.actions if isinstance(a, WriteRegister)), None)
            if write is None and facts.register.exists and state.audit_since(_audit_written(state)):
                write = WriteRegister(reason="audit trail brought up to date")  # what this pass did
            if write is None or stop():
                break
            digested = any(getattr(a, "purpose", "") == "digest" for a in the_plan.actions)
            outcome = _write_register(svc, state, write, facts.register, now, digested)
            if outcome == "written":
                report.done.append(write.summary())
                break
            where = f"register '{svc.config.register_library}/{svc.config.register_path}'"
            if outcome == "locked":
                report.failed.append(f"{where} is open and could not be replaced; it will be brought up to date on the next pass")
                break
            if outcome == "checked out":
                text = f"{where} is checked out in SharePoint, so nothing can update it; check it in (or discard the check-out) and the next pass brings it up to date"
                report.failed.append(text)
                state.attend(now.date(), "Waiting on a person", text)
                break
            # Changed while we worked: re-read it and plan again, so people's edits are merged.
            log.info("the register changed during the pass; reading it again and merging")
            register = read_register_facts(svc, state)
            board = state.board()
            facts = replace(
                facts,
                register=register,
                forms=(),
                final_reports={},
                messages=tuple(unprocessed_messages(svc, state, [])),
            )
            the_plan = plan(svc.config, svc.workflows, board, facts)
            report.plan = the_plan
        else:
            report.failed.append("the register kept changing during the pass; it will be updated on the next pass")
    return report


def _keep_inbox_cursor(state: State, facts) -> None:
    """Move the mailbox's cursor on only once every reply read this pass was handled, so a
    reply whose handling failed is read again next time."""
    from .gather import INBOX_CURSOR

    if facts.inbox_cursor and not ({m.key for m in facts.messages} - state.processed_keys()):
        state.put(INBOX_CURSOR, facts.inbox_cursor)


def _notices(report: PassReport, the_plan: Plan) -> None:
    for n in the_plan.notices:
        target = report.failed if n.failed else report.warnings
        if n.text not in target:
            target.append(n.text)


def _apply_all(svc, state, the_plan, now, report, stop) -> None:
    from .apply import apply_action

    for action in the_plan.actions:
        if isinstance(action, WriteRegister):
            continue
        if stop():
            report.warnings.append("stopped on request; the rest is left for the next pass")
            return
        try:
            outcome = apply_action(svc, state, action, now)
            report.done.append(action.summary() + ("" if outcome in ("done", "generated") else f" ({outcome})"))
            log.info("%s", action.summary(), extra={"reference": action.reference, "rule": action.reason})
        except (InputError, ConflictError) as exc:
            report.failed.append(f"{action.summary()}: {exc}")
        except BackendError as exc:
            report.failed.append(f"{action.summary()}: {exc}")
        except O365flowError as exc:
            report.failed.append(f"{action.summary()}: {exc}")


def _write_register(svc: Services, state: State, write: WriteRegister, seen: RegisterFacts, now, digested=False) -> str:
    """'written', 'changed' (re-read and merge) or 'locked'."""
    from .register import Link, read_register, update_register

    cfg, storage = svc.config, svc.storage
    entry = storage.stat(cfg.register_library, cfg.register_path)
    cached = json.loads(state.get("register.cache") or "{}")
    if seen.exists and (entry is None or entry.etag != cached.get("etag")):
        return "changed"
    data = storage.read(cfg.register_library, cfg.register_path) if entry else None
    rows = [_linked(row, svc, Link) for row in write.cases]
    audit = state.audit_since(_audit_written(state))
    new = update_register(
        data,
        rows,
        list(write.signoffs),
        decisions=_decisions(),
        amber_days=cfg.amber_days,
        actions=[r for ref in sorted(write.actions) for r in write.actions[ref]] if write.actions else None,
        audit=[{"When": datetime.fromisoformat(at).replace(tzinfo=None), "Reference": ref, "What": what, "Why": why}
               for _, at, ref, what, why in audit],
        agencies=tuple(a.code for a in cfg.agencies_to_sign_off()),
    )
    if new is None:
        _remember_written(state, write, audit)
        return "written"
    try:
        written = storage.write(cfg.register_library, cfg.register_path, new, if_match=entry.etag if entry else None,
                                create_only=entry is None)
    except FileCheckedOut:
        return "checked out"
    except FileLocked:
        return "locked"
    except ConflictError:
        return "changed"
    snap = read_register(new)
    remember_register(
        state,
        written.etag,
        RegisterFacts(True, snap.cases, snap.signoffs, tuple(str(p) for p in snap.problems) + tuple(snap.unknown_rows)),
    )
    _remember_written(state, write, audit)
    if not digested:  # today's digest has gone already: these wait for tomorrow's
        from .plan.mail import attention_of

        for section, text in attention_of(write):
            state.attend(now.date(), section, text)
    state.audit(now, None, "register updated", f"{write.reason}: {len(write.changed)} row(s)")
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


def _audit_written(state: State) -> int:
    return int(state.get("audit.written") or 0)


def _linked(row: dict, svc: Services, Link) -> dict:
    from .plan.rows import FolderLink

    folder = row.get("Folder")
    if isinstance(folder, FolderLink):
        row = {**row, "Folder": Link(str(folder), svc.storage.link(svc.config.reviews_library, folder.folder))}
    return row


def _decisions():
    from .columns import DECISIONS

    return DECISIONS
