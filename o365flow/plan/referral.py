"""What the coordinator is told about a new referral beyond its fields. Pure.

Workflows carry the dates they apply to: since 1 October 2024 a Child or Adult Practice Review
no longer starts in Wales, so a CPR or APR referral received on or after that day is flagged
and the workflow's ``instead`` (SUSR) is suggested. The Chair still decides; a case opened
before then runs to the end under its own workflow.
"""

from __future__ import annotations

from datetime import date

from o365flow.core.model import KIND_NAMES, Referral
from o365flow.core.workflow import Workflow, starts_for_kind
from o365flow.plan.context import long_date


def suggestion(workflows: dict[str, Workflow], referral: Referral, received: date) -> tuple[str, tuple[str, ...]]:
    """The decision to suggest for a referral received on ``received``, and the flags for the
    coordinator (no personal data: kind, dates and the rule)."""
    fits, instead = starts_for_kind(workflows, referral.kind, received)
    if fits:
        return referral.suggested_decision, ()
    limit = min(
        (wf.referred_before for wf in workflows.values() if wf.referred_before and any(referral.kind in r.kinds for r in wf.routes)),
        default=None,
    )
    since = f" since {long_date(limit)}" if limit else ""
    hint = f"; {instead} suggested instead" if instead else ""
    flag = (
        f"a {KIND_NAMES[referral.kind]} referral received {long_date(received)}: no new {referral.kind} starts{since}"
        f"{hint} (the Chair decides)"
    )
    return instead or referral.suggested_decision, (flag,)


def decision_label(decision: str) -> str:
    """A decision as it reads inside a sentence: "concise review", but "SUSR"."""
    return decision if decision.isupper() else decision.lower()
