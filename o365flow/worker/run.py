"""One pass: gather -> plan -> apply, under the pass lock, with a report of what it did.

The register is written last. If a person saved the workbook while the pass worked (its etag
changed), the pass re-reads it and plans again -- people's cells are merged, never overwritten --
up to ``REGISTER_ATTEMPTS`` times; a register that is locked (open for editing and not
replaceable) is changed cell by cell where the backend can (``registerwrite``), else left for
the next pass and reported.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime

from o365flow.errors import BackendError, ConflictError, InputError, O365flowError
from o365flow.plan import Plan, plan
from o365flow.plan.actions import Notice, WriteRegister
from o365flow.plan.rows import settle
from o365flow.worker import bankholidays, cursors, tidy
from o365flow.worker.gather import gather, unprocessed_messages
from o365flow.worker.lock import PassLock
from o365flow.worker.rebuild import reconcile
from o365flow.worker.registerio import audit_written, read_register_facts, remember_register, write_register
from o365flow.worker.services import Services
from o365flow.worker.state import State

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


def _prepare(svc: Services, state: State, now: datetime):
    """The register read, the state store checked against it (and rebuilt from the site when it
    is lost, older or another board's), then everything else gathered."""
    register, rebuilt = reconcile(svc, state, read_register_facts(svc, state), now)
    board = state.board()
    return board, gather(svc, state, board, now, register), rebuilt


def dry_run(svc: Services, now: datetime) -> Plan:
    """What the next pass would do. Changes nothing anywhere: gather only reads, and the state
    store is opened read-only; a store that must be rebuilt is rebuilt in a copy in memory."""
    with State(svc.config.state_dir, readonly=True) as disk:
        state = disk.in_memory_copy()
        bankholidays.load(state)
        try:
            board, facts, rebuilt = _prepare(svc, state, now)
            the_plan = plan(svc.config, svc.workflows, board, facts)
        finally:
            state.db.close()
    the_plan.notices[:0] = [Notice(line, failed=False) for line in rebuilt]
    return the_plan


def run_pass(svc: Services, now: datetime, stop=lambda: False) -> PassReport:
    """One pass. ``stop()`` is asked between actions (``watch`` ends cleanly on a signal)."""
    report = PassReport()
    with PassLock(svc.config.state_dir), State(svc.config.state_dir) as state:
        bankholidays.load(state)
        tidy.start_pass(svc.config)
        tidy.keep_mail_private(svc.config)
        board, facts, rebuilt = _prepare(svc, state, now)
        report.warnings += rebuilt
        the_plan = plan(svc.config, svc.workflows, board, facts)
        report.plan = the_plan
        _notices(report, the_plan)
        for attempt in range(REGISTER_ATTEMPTS):
            _apply_all(svc, state, the_plan, now, report, stop)
            cursors.keep(state, facts.keep)
            cursors.keep_inbox_cursor(state, facts)
            remember_register(state, facts.register)  # before the write, which caches its own
            # The rows follow what was done, not what was planned (a held request has no
            # Requested date); a plan that wrote nothing may write now (a request went).
            write = None if facts.register.broken else settle(svc.config, state.board(), facts, the_plan)
            if write is None and facts.register.exists and not facts.register.broken and state.audit_since(audit_written(state)):
                write = WriteRegister(reason="audit trail brought up to date")  # what this pass did
            if write is None or stop():
                break
            digested = any(getattr(a, "purpose", "") == "digest" for a in the_plan.actions)
            outcome = write_register(svc, state, write, facts.register, now, digested)
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
            messages, _, inbox_cursor = unprocessed_messages(svc, state)
            facts = replace(
                facts,
                register=register,
                forms=(),
                forms_gone=(),
                final_reports={},
                messages=tuple(messages),
                inbox_cursor=inbox_cursor,
                unreadable=(),
                keep={},
            )
            the_plan = plan(svc.config, svc.workflows, board, facts)
            report.plan = the_plan
        else:
            report.failed.append("the register kept changing during the pass; it will be updated on the next pass")
        bankholidays.save(state)
        tidy.finish_pass(svc.config)
    return report


def _notices(report: PassReport, the_plan: Plan) -> None:
    for n in the_plan.notices:
        target = report.failed if n.failed else report.warnings
        if n.text not in target:
            target.append(n.text)


def _apply_all(svc, state, the_plan, now, report, stop) -> None:
    from o365flow.worker.apply import apply_action

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
