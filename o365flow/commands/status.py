"""``status``: every open case on a given day, from the state store and the register alone
(no library listing, no inbox): fast enough to run from a terminal at any time."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from o365flow.commands.console import Console
from o365flow.core.model import CaseView, Stage
from o365flow.plan.assess import view_case
from o365flow.plan.needs import signed_dates
from o365flow.plan.wording import due_phrase, long_date
from o365flow.worker.rebuild import needs_rebuild, reconcile
from o365flow.worker.registerio import read_register_facts
from o365flow.worker.services import Services
from o365flow.worker import bankholidays
from o365flow.worker.state import State


def case_views(svc: Services, now: datetime, include_closed: bool = False) -> list[CaseView]:
    return board_views(svc, now, include_closed)[0]


def board_views(svc: Services, now: datetime, include_closed: bool = False):
    """The cases on ``now`` and the register's rows they were worked out from (by reference)."""
    cfg = svc.config
    with State(cfg.state_dir, readonly=True) as disk:
        bankholidays.load(disk)
        state, register = disk, read_register_facts(svc, disk)
        if needs_rebuild(disk.board(), register):
            # A lost or older store: shown as the next pass rebuilds it, in a copy in memory.
            state = disk.in_memory_copy()
            register, _ = reconcile(svc, state, register, now)
        board = state.board()
        named = {}
        if cfg.signoff_named:
            from o365flow.worker.folderdocs import named_leads

            named = {ref: named_leads(state, ref) for ref in board.cases}
    signed = signed_dates(board, register)
    views = []
    for ref in sorted(board.cases):
        case = board.cases[ref]
        view = view_case(cfg, svc.workflows, board, case, register.cases.get(ref), signed, now.date(), named=named.get(ref, ()))
        if include_closed or view.stage is not Stage.CLOSED:
            views.append(view)
    return views, register.cases


def as_json(view: CaseView, row: dict | None = None, themes: tuple[str, ...] = ()) -> dict:
    """One case for ``status --json`` (the contract's keys, then ``stage_label`` and ``themes``)."""
    from o365flow.plan.boardfigures import case_themes

    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "reference": view.reference,
        "kind": view.kind,
        "stage": view.stage.value,
        "stage_label": view.stage.label,
        "on_hold": view.on_hold,
        "workflow": view.workflow,
        "referral_received": iso(view.referral_received),
        "decision": view.decision,
        "decision_date": iso(view.decision_date),
        "review_due": iso(view.review_due),
        "final_report_date": iso(view.final_report_date),
        "signoff_due": iso(view.signoff_due),
        "signoffs": {code: iso(day) for code, day in sorted(view.signoffs.items())},
        "outstanding": view.outstanding,
        "next_deadline": iso(view.next_deadline),
        "next_deadline_is": view.next_deadline_is or None,
        "rag": view.rag or None,
        "themes": list(case_themes((row or {}).get("Themes"), themes)),
    }


def what_goes_next(view: CaseView, days_before: tuple[int, ...], today: date) -> str:
    """The next letter or reminder o365flow would send for the case, or what it waits for."""
    if view.stage is Stage.AWAITING_DECISION:
        return "waits for the Chair's decision"
    if view.outstanding and view.signoff_due:
        points = sorted(view.signoff_due - timedelta(days=n) for n in days_before)
        ahead = [p for p in points if p >= today]
        who = ", ".join(view.outstanding)
        if ahead:
            return f"sign-off reminder to {who} on {long_date(ahead[0])}"
        if view.signoff_due >= today:
            return "-"
        return f"sign-off overdue from {who}: in the coordinator's digest"
    if view.next_deadline_is:
        return "-"
    return "-"


def as_table(views: list[CaseView], now: datetime | None = None, board: str = "", days_before: tuple[int, ...] = (7, 0)) -> str:
    """The cases as a coordinator reads them: the register's words, UK dates, one line each."""
    today = (now or datetime.now()).date()
    head_line = f"{board + ': ' if board else ''}cases as at {long_date(today)}" + (f" {now:%H:%M}" if now else "")
    if not views:
        return f"{head_line}\nNo open cases."
    head = ("Reference", "Kind", "Stage", "Next deadline", "RAG", "Waiting on", "Next letter or reminder")
    rows = []
    for v in views:
        stage = v.stage.label + (" (on hold)" if v.on_hold else "")
        nxt = due_phrase(v.next_deadline_is, v.next_deadline, v.rag == "Red") if v.next_deadline else "-"
        waiting = ", ".join(v.outstanding) if v.outstanding else ("Chair's decision" if v.stage is Stage.AWAITING_DECISION else "-")
        rows.append((v.reference, v.kind, stage, nxt, v.rag or "-", waiting, what_goes_next(v, days_before, today)))
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([head_line, "", line(head), line(["-" * w for w in widths])] + [line(r) for r in rows])


def status_command(console: Console, svc: Services, now: datetime, include_closed: bool) -> int:
    """The cases as a table, or with ``--json`` a JSON array."""
    views, rows = board_views(svc, now, include_closed)
    cfg = svc.config
    if console.as_json:
        console.out(json.dumps([as_json(v, rows.get(v.reference), cfg.themes) for v in views], indent=2))
    else:
        console.out(as_table(views, now, cfg.board_name, cfg.reminder_days_before))
    return 0
