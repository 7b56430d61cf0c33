"""``o365flow export``: the case-level dataset for a board's own analysis or a national return.

One record per case: reference, kind, dates, decision, stage, hold, timeliness and themes, the
number of actions and how many are complete or overdue. No personal data: no initials, no names,
no referring agency's free text, no notes or hold reasons (they are typed freely and may name
someone).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

from o365flow.commands.console import Console
from o365flow.plan.boardfigures import case_themes, is_done, screening_due
from o365flow.worker.services import Services

FIELDS = (
    "reference", "kind", "year", "referral_received", "decision", "decision_date", "decision_due",
    "decision_on_time", "stage", "on_hold", "held_days", "review_due", "final_report_date",
    "review_on_time", "signoff_due", "signed_off", "signoff_on_time", "published_date", "closed_date",
    "rag", "themes", "actions", "actions_complete", "actions_overdue",
)


def dataset(svc: Services, now: datetime) -> list[dict]:
    from o365flow.commands.report import actions_rows
    from o365flow.commands.status import board_views
    from o365flow.core.deadlines import hold_days

    views, rows = board_views(svc, now, include_closed=True)
    today = now.date()
    actions: dict[str, list[dict]] = {}
    for a in actions_rows(svc):
        actions.setdefault(str(a.get("Reference")), []).append(a)
    out = []
    for v in views:
        row = rows.get(v.reference) or {}
        due = screening_due(v, svc.workflows, svc.config.closure_days)
        signed = list(v.signoffs.values())
        all_signed = max(signed) if signed and all(signed) else None
        held, resumed = row.get("On hold from"), row.get("Resumed on")
        mine = actions.get(v.reference, [])
        done = [a for a in mine if is_done(a.get("Progress"))]
        late = [a for a in mine if not is_done(a.get("Progress")) and isinstance(a.get("Target date"), date)
                and a["Target date"] < today]
        out.append({
            "reference": v.reference,
            "kind": v.kind,
            "year": v.referral_received.year,
            "referral_received": v.referral_received,
            "decision": v.decision,
            "decision_date": v.decision_date,
            "decision_due": due if v.decision_date or v.stage.value == "awaiting_decision" else None,
            "decision_on_time": (v.decision_date <= due) if v.decision_date and due else None,
            "stage": v.stage.value,
            "on_hold": v.on_hold,
            "held_days": hold_days(held, resumed, today) if isinstance(held, date) and held <= today else 0,
            "review_due": v.review_due,
            "final_report_date": v.final_report_date,
            "review_on_time": (v.final_report_date <= v.review_due) if v.final_report_date and v.review_due else None,
            "signoff_due": v.signoff_due,
            "signed_off": all_signed,
            "signoff_on_time": (all_signed <= v.signoff_due) if all_signed and v.signoff_due else None,
            "published_date": row.get("Published date") if isinstance(row.get("Published date"), date) else None,
            "closed_date": row.get("Closed date") if isinstance(row.get("Closed date"), date) else None,
            "rag": v.rag or None,
            "themes": list(case_themes(row.get("Themes"), svc.config.themes)),
            "actions": len(mine),
            "actions_complete": len(done),
            "actions_overdue": len(late),
        })
    return out


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def as_json(records: list[dict]) -> str:
    return json.dumps([{k: _plain(r[k]) for k in FIELDS} for r in records], indent=2)


def as_csv(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for r in records:
        cells = []
        for k in FIELDS:
            v = r[k]
            if isinstance(v, list):
                v = "; ".join(v)
            elif isinstance(v, bool):
                v = "yes" if v else "no"
            cells.append("" if v is None else _plain(v))
        writer.writerow(cells)
    return out.getvalue()


def export_command(console: Console, svc: Services, now: datetime, fmt: str, output: Path | None) -> int:
    """The dataset as ``fmt`` (csv or json), to ``output`` or standard output."""
    records = dataset(svc, now)
    text = as_csv(records) if fmt == "csv" else as_json(records) + "\n"
    if output:
        output.write_text(text, encoding="utf-8", newline="")
        console.say(f"Saved {len(records)} case(s) to {output}.")
    else:
        console.out(text, nl=False)
    return 0
