"""What the plan does with documents people saved in a case folder. Pure.

- Timeline returns: when the merged entries change, the summary timeline is made again (its
  key carries the merge's fingerprint, so an unchanged merge makes nothing).
- The action plan: its rows go to the register's Actions sheet when they changed, and actions
  past their target date and not complete are listed in the coordinator's digest.
"""

from __future__ import annotations

import re
from datetime import date

from o365flow.core.settings import Config
from o365flow.core.model import CaseRecord
from o365flow.core.workflow import Workflow
from o365flow.plan.actions import RenderDocument
from o365flow.plan.context import document_context, short_date

DONE_WORDS = re.compile(r"\b(complete|completed|done|closed|achieved|finished)\b", re.IGNORECASE)


def summary_timeline(config: Config, case: CaseRecord, row: dict | None, wf: Workflow, facts, done) -> list[RenderDocument]:
    """The summary timeline document, made again when the merged returns changed."""
    if facts is None or not facts.entries or not wf.summary_timeline:
        return []
    ref = case.reference
    version = f"timeline/{ref}/{facts.fingerprint}"
    if version in done:
        return []
    spec = wf.summary_timeline
    names = {a.code: a.name for a in config.agencies}
    context = document_context(config, case, row, wf)
    context["timeline"] = [
        {
            "date": short_date(e.date),
            "time": e.time.strftime("%H:%M") if e.time else "",
            "agency": e.agency,
            "what": e.what,
            "who": e.who,
            "source": e.source,
            "flag": e.flag,
        }
        for e in facts.entries
    ]
    context["timeline_returns"] = [{"agency": names.get(code, code), "file": name} for code, name in facts.files]
    context["timeline_missing"] = [a.name for a in config.agencies if a.code not in facts.agencies]
    return [
        RenderDocument(
            ref=ref,
            template=spec.template,
            path=f"{ref}/{spec.folder}/{spec.name.replace('{reference}', ref)}",
            context=context,
            version=version,
            reason=f"timeline returns merged ({len(facts.files)} return(s), {len(facts.entries)} entries)",
        )
    ]


def overdue_actions(ref: str, facts, today: date, board=None) -> list[str]:
    """Digest lines for actions past their target date and not marked complete (in the document,
    or by the lead agency's reply when ``board`` is given)."""
    from o365flow.plan.monitoring import overlay

    lines = []
    rows = (overlay(facts.rows, board, ref) if board is not None else facts.rows) if facts else ()
    for row in rows:
        due = row.get("Target date")
        if due and due < today and not DONE_WORDS.search(str(row.get("Progress") or "")):
            lead = row.get("Lead agency") or "no lead agency"
            lines.append(f"{ref}: action {row['Item']} ({lead}) had a target date of {short_date(due)} and is not marked complete")
    return lines
