"""Derive a case's stage, deadlines and RAG from what is known about it on a given day. Pure."""

from __future__ import annotations

from datetime import date, timedelta

from o365flow.core.deadlines import add_period, hold_days, rag
from o365flow.core.model import CaseRecord, CaseView, Deadline, Stage
from o365flow.core.workflow import Workflow, route


def person(row: dict | None, column: str):
    """A coordinator-owned value from the register row (None when blank or no row yet)."""
    return (row or {}).get(column)


def workflow_for(workflows: dict[str, Workflow], case: CaseRecord, decision: str | None) -> Workflow | None:
    """The workflow a decision puts the case on; before a decision, the one its referral suggests
    (for the screening deadline)."""
    if decision == "No review":
        return None
    if decision:
        return route(workflows, case.kind, decision)
    provisional = case.referral.suggested_decision or ("Forum" if case.kind == "MAPF" else "Concise review")
    return route(workflows, case.kind, provisional) or route(workflows, case.kind, "Forum")


def awaits_publication_check(ref: str, row: dict | None, wf: Workflow | None, board) -> bool:
    """A Published date typed for a review counts only once its final report passed the
    anonymisation check (``anon/REF`` done) or a person typed a date in 'Anonymisation cleared'.
    A review the register already showed as published (before the check existed) stays so."""
    return bool(
        wf is not None
        and wf.shape == "review"
        and person(row, "Published date")
        and not person(row, "Anonymisation cleared")
        and not person(row, "Closed date")
        and f"anon/{ref}" not in board.done
        and not str(board.last_written.get(ref, {}).get("Stage") or "").startswith("Published")
    )


def view_case(
    config, workflows, board, case: CaseRecord, row: dict | None, signed: dict, today: date, cleared=False, named=()
) -> CaseView:
    """The case as the register and ``status`` show it. A Published date still waiting for the
    anonymisation check is not counted yet (``cleared``: this pass found the report clean).
    ``named``: the agencies the case's action plan names as leads (see ``agencies_to_sign_off``)."""
    wf = workflow_for(workflows, case, person(row, "Decision"))
    if not cleared and awaits_publication_check(case.reference, row, wf, board):
        row = {**row, "Published date": None}
    required = signers(config, wf, named)
    ref = case.reference
    return assess(
        case, row, {a: signed.get((ref, a)) for a in required}, workflows, today, config.amber_days, config.closure_days
    )


def signers(config, wf: Workflow | None, named=()) -> list[str]:
    """Who signs off the case's action plan: the workflow says member agencies (each by email)
    or the Case Review Group (one sign-off, ``config.case_review_group``)."""
    if wf is None or not wf.signoff:
        return []
    if wf.signed_by_group:
        return [config.case_review_group.code]
    return [a.code for a in config.agencies_to_sign_off(named)]


def final_report_date(case: CaseRecord, row: dict | None) -> date | None:
    return person(row, "Final report date") or case.final_report_seen


def assess(
    case: CaseRecord,
    row: dict | None,
    signoffs: dict[str, date | None],
    workflows: dict[str, Workflow],
    today: date,
    amber_days: int = 14,
    closures: tuple = (),
) -> CaseView:
    """Everything derived about ``case`` on ``today``. ``row`` holds the register's
    coordinator-owned values; ``signoffs`` maps each agency that must sign off to its date."""
    decision = person(row, "Decision")
    wf = workflow_for(workflows, case, decision)
    held_from, resumed = person(row, "On hold from"), person(row, "Resumed on")
    on_hold = bool(held_from and held_from <= today and (resumed is None or resumed > today))
    if resumed is not None and held_from is not None and resumed < held_from:
        resumed = None  # a typing slip; the register reports it, the clock treats it as still held
    paused = hold_days(held_from, resumed, today) if held_from and held_from <= today else 0
    frd = final_report_date(case, row)
    all_signed = None
    if signoffs and all(signoffs.values()):
        all_signed = max(signoffs.values())
    elif not signoffs and frd and wf and not wf.signoff:
        all_signed = frd
    facts = {
        "referral_received": case.referral_received,
        "decision_date": person(row, "Decision date") if decision else None,
        "welsh_government_notified": person(row, "Welsh Government notified"),
        "final_report_date": frd,
        "all_signed_off": all_signed if frd else None,
        "learning_event_date": person(row, "Learning event date"),
        "board_approval_date": person(row, "Board approval date"),
        "published_date": person(row, "Published date"),
        "closed_date": person(row, "Closed date"),
    }
    stage = _stage(decision, wf, facts, today)
    deadlines = []
    for rule in wf.deadlines if wf else ():
        start = facts.get(rule.start)
        met = facts.get(rule.met_by) is not None
        if start is None or (met and rule.id not in ("review", "signoff")):
            continue  # a met local rule needs no date (and working days cost a calendar lookup)
        due = add_period(start, rule.period, closures)
        if rule.pauses_on_hold and paused:
            due += timedelta(days=paused)
        deadlines.append(Deadline(rule.id, rule.label, due, met))
    pending = [d for d in deadlines if not d.met] if stage is not Stage.CLOSED else []
    # Each deadline is its own clock: a hold stops only the rules that say so. While on hold the
    # clocks still running come first, so an overdue step (the Welsh Government notification)
    # stays the next deadline, Red, in the register, the digest and the Dashboard.
    paused_rules = {r.id for r in wf.deadlines if r.pauses_on_hold} if wf and on_hold else set()
    running = [d for d in pending if d.rule not in paused_rules]
    nxt = min(running or pending, key=lambda d: d.due) if pending else None
    shown_rag = rag(nxt.due if nxt else None, today, amber_days, on_hold=bool(on_hold and not running))
    by_id = {d.rule: d for d in deadlines}
    return CaseView(
        reference=case.reference,
        kind=case.kind,
        stage=stage,
        on_hold=on_hold and stage is not Stage.CLOSED,
        workflow=wf.id if wf else None,
        decision=decision,
        decision_date=facts["decision_date"],
        referral_received=case.referral_received,
        review_due=by_id["review"].due if "review" in by_id else None,
        final_report_date=frd,
        signoff_due=by_id["signoff"].due if "signoff" in by_id else None,
        signoffs=dict(signoffs) if frd else {},
        next_deadline=nxt.due if nxt else None,
        next_deadline_is=nxt.label if nxt else "",
        rag=shown_rag,
        deadlines=tuple(deadlines),
    )


def _stage(decision: str | None, wf: Workflow | None, facts: dict, today: date) -> Stage:
    if facts["closed_date"]:
        return Stage.CLOSED
    if not decision:
        return Stage.AWAITING_DECISION
    if decision == "No review":
        return Stage.CLOSED
    if wf is None:
        return Stage.AWAITING_DECISION  # a decision that fits no workflow: reported, not acted on
    if wf.shape == "forum":
        held = facts["learning_event_date"]
        return Stage.FORUM_HELD if held and held <= today else Stage.FORUM_ARRANGED
    if facts["published_date"]:
        return Stage.PUBLISHED
    if facts["final_report_date"]:
        return Stage.SIGNED_OFF if facts["all_signed_off"] else Stage.ACTION_PLAN_SIGNOFF
    return Stage.IN_REVIEW
