"""The register as the worker wants it: worker-owned cells for every case and sign-off. Pure.

Only a difference from what the register holds produces a write, so a pass that changes
nothing leaves the workbook's bytes untouched (contract: Guarantees).
"""

from __future__ import annotations

from datetime import date, datetime

from o365flow.core.columns import CASES_PERSON, SIGNOFFS_PERSON

SUBMITTED = "Report submitted"
from o365flow.plan.actions import RecordProgress, RecordSignoff, SendMail, WriteRegister
from o365flow.plan.assess import final_report_date
from o365flow.plan.facts import Board, Facts
from o365flow.plan.monitoring import overlay


class FolderLink(str):
    """A case folder's path in the Reviews library; shown as the reference, linked at apply time."""

    def __new__(cls, reference: str, folder: str):
        obj = super().__new__(cls, reference)
        obj.folder = folder
        return obj


def norm(value):
    """Compare cells as people see them: blank is blank, a datetime at midnight is its date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def case_cells(case, view, folder_made: bool, returned: tuple[str, ...] = ()) -> dict:
    stage = view.stage.label + (" (on hold)" if view.on_hold else "")
    return {
        "Reference": case.reference,
        "Kind": case.kind,
        "Subject initials": case.referral.subject_initials,
        "Referring agency": case.referral.referring_agency,
        "Referral received": case.referral_received,
        "Stage": stage,
        "Review due": view.review_due,
        "Action plan sign-off due": view.signoff_due,
        "Sign-offs outstanding": ", ".join(view.outstanding) or None,
        "Timelines returned": ", ".join(returned) or None,
        "Next deadline": view.next_deadline,
        "Next deadline is": view.next_deadline_is or None,
        "RAG": view.rag or None,
        "Folder": FolderLink(case.reference, case.reference) if folder_made else None,
    }


def register_action(config, board: Board, facts: Facts, cases: dict, plan, applied: bool = False) -> WriteRegister | None:
    """The register write that brings the worker's columns up to date, or None when none
    differs. ``applied`` False (the plan): what the pass's actions will make of it, for the
    dry run and the digest; True (``settle``): from the state store after they were applied."""
    today = facts.today
    reg = facts.register
    planned = () if applied else plan.actions
    folders = {a.ref for a in planned if a.key.startswith("folder/")}
    folders |= {k.split("/", 1)[1] for k in board.done if k.startswith("folder/")}
    case_rows, changed, restored, reinstated = [], [], [], []
    for ref in sorted(cases):
        case, view = cases[ref], plan.views.get(ref)
        if view is None:
            continue
        timeline = facts.timelines.get(ref)
        want = case_cells(case, view, ref in folders, timeline.agencies if timeline else ())
        have = reg.cases.get(ref)
        last = board.last_written.get(ref, {})
        want[SUBMITTED] = submitted_on(config, board, ref, last.get(SUBMITTED) or (have or {}).get(SUBMITTED), today)
        row = dict(want)
        # Each cell compared once (a quiet pass compares every worker cell of every row).
        unlike = [c for c, v in want.items() if norm(have.get(c)) != norm(v)] if have is not None else list(want)
        differs = have is None or bool(unlike)
        if have is not None:
            for col in unlike:
                if col in last and norm(last[col]) == norm(want[col]):
                    restored.append(f"{ref} column '{col}'")
        row["Last updated"] = today if differs else (have or {}).get("Last updated") or today
        if have is not None and norm(have.get("Last updated")) != norm(row["Last updated"]):
            differs = True
        frd = final_report_date(case, None)
        if frd and not (have or {}).get("Final report date"):
            row["Final report date"] = frd
            differs = True
        if ref in reg.missing_cases:
            row.update({c: have.get(c) for c in CASES_PERSON if have.get(c) is not None and c not in row})
            reinstated.append(f"the row of {ref} on 'Cases'")
            differs = True
        if differs:
            changed.append(ref)
        case_rows.append(row)
    sign_rows = _signoff_rows(config, board, reg, plan, planned)
    sign_changed = any(
        (r["Reference"], r["Agency"]) in reg.missing_signoffs
        or reg.signoffs.get((r["Reference"], r["Agency"])) is None
        or any(norm(reg.signoffs[(r["Reference"], r["Agency"])].get(c)) != norm(v) for c, v in r.items())
        for r in sign_rows
    )
    # What lead agencies replied about their actions is shown on the Actions sheet too; the
    # fingerprint written then covers those replies, so a new one writes the sheet again.
    recorded = frozenset(a.key for a in planned if isinstance(a, RecordProgress))
    seen = board.with_done(recorded)
    prints = {ref: _with_replies(a.fingerprint, seen, ref) for ref, a in facts.actions.items()}
    actions = {ref: overlay(a.rows, seen, ref) for ref, a in facts.actions.items() if facts.actions_written.get(ref) != prints[ref]}
    if reg.exists and not changed and not sign_changed and not actions:
        return None
    return WriteRegister(
        cases=tuple(case_rows),
        signoffs=tuple(sign_rows),
        changed=tuple(changed),
        restored=tuple(restored),
        reinstated=tuple(reinstated) + tuple(f"the row of {r} for {a} on 'Sign-offs'" for r, a in reg.missing_signoffs),
        actions=actions,
        actions_fps={ref: prints[ref] for ref in actions},
        reason="worker-owned columns brought up to date",
    )


def _with_replies(fingerprint: str, board: Board, ref: str) -> str:
    keys = sorted(board.done_under(f"progress/{ref}/"))
    if not keys:
        return fingerprint
    import hashlib

    return fingerprint + "+" + hashlib.sha256("\n".join(keys).encode()).hexdigest()[:8]


def settle(config, board: Board, facts: Facts, plan) -> WriteRegister | None:
    """The register write once the pass's actions were applied: rows follow what happened, not
    what was planned. A request held (an attachment failed its name check) or refused by the
    mail server has no Requested date; a report whose submissions all went has its date."""
    return register_action(config, board, facts, dict(board.cases), plan, applied=True)


def submitted_on(config, board: Board, ref: str, known, today: date):
    """The day the report went to the last of its recipients (``[submission]``), once all went:
    the date already written, else today."""
    from o365flow.plan.publication import submission_keys

    keys = submission_keys(config, ref)
    if not keys or any(k not in board.done for k in keys):
        return None
    return norm(known) or today


def _signoff_rows(config, board: Board, reg, plan, planned) -> list[dict]:
    records = {key: rec for key, rec in board.signoffs.items()}
    requested = {(a.ref, a.agency): a.day for a in planned if isinstance(a, SendMail) and a.purpose == "request"}
    reminded = {(a.ref, a.agency): a.day for a in planned if isinstance(a, SendMail) and a.purpose == "reminder"}
    recorded = {(a.ref, a.agency): a for a in planned if isinstance(a, RecordSignoff)}
    # A signing group's row is there from the day the final report is known, so the coordinator
    # can type its sign-off even when the group has no addresses to mail.
    group = config.case_review_group.code
    groups = {(ref, group) for ref, v in plan.views.items() if v.final_report_date and group in v.signoffs}
    rows = []
    for key in sorted(set(records) | set(requested) | groups):
        ref, code = key
        view = plan.views.get(ref)
        rec = records.get(key)
        agency = config.agency(code)
        row = {
            "Reference": ref,
            "Agency": code,
            "Agency name": agency.name if agency else code,
            "Requested": requested.get(key) or (rec.requested if rec else None),
            "Due": view.signoff_due if view else None,
            "Last reminder": reminded.get(key) or (rec.last_reminder if rec else None),
        }
        have = reg.signoffs.get(key) or {}
        if key in reg.missing_signoffs:
            row.update({c: have.get(c) for c in SIGNOFFS_PERSON if have.get(c) is not None})
        signed = recorded.get(key)
        day, by, how = (signed.day, signed.by, signed.how) if signed else ((rec.signed_off, rec.signed_off_by, rec.how) if rec else (None, "", ""))
        if day and not have.get("Signed off"):
            row.update({"Signed off": day, "Signed off by": by or None, "How": how or None})
        rows.append(row)
    return rows
