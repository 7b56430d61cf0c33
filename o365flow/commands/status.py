"""``status``: every open case on a given day, from the state store and the register alone
(no library listing, no inbox): fast enough to run from a terminal at any time."""

from __future__ import annotations

from datetime import datetime

from o365flow.core.model import CaseView, Stage
from o365flow.plan.assess import view_case
from o365flow.plan.needs import signed_dates
from o365flow.worker.rebuild import needs_rebuild, reconcile
from o365flow.worker.registerio import read_register_facts
from o365flow.worker.services import Services
from o365flow.worker import bankholidays
from o365flow.worker.state import State


def case_views(svc: Services, now: datetime, include_closed: bool = False) -> list[CaseView]:
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
    return views


def as_json(view: CaseView) -> dict:
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "reference": view.reference,
        "kind": view.kind,
        "stage": view.stage.value,
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
    }


def as_table(views: list[CaseView]) -> str:
    if not views:
        return "No open cases."
    head = ("Reference", "Stage", "Next deadline", "RAG", "Outstanding")
    rows = []
    for v in views:
        stage = v.stage.value + (" (on hold)" if v.on_hold else "")
        nxt = f"{v.next_deadline:%d/%m/%Y} {v.next_deadline_is}" if v.next_deadline else "-"
        waiting = ", ".join(v.outstanding) if v.outstanding else ("Chair's decision" if v.stage is Stage.AWAITING_DECISION else "-")
        rows.append((v.reference, stage, nxt, v.rag or "-", waiting))
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(r) for r in rows])
