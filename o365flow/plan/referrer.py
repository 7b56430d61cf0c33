"""Mail to the person who referred: an acknowledgement with the reference when the referral is
registered, and a letter when the Chair's decision is recorded. Pure.

The referral form promises both. They carry the reference and the decision only: never the
subject's initials or the circumstances (the referrer knows them; mail can go astray). Sent to
the referrer's address on the form; a form without one is sent nothing. Only recent events are
written about, so a board that starts using o365flow mid-way does not mail its old referrers.
"""

from __future__ import annotations

from datetime import date, timedelta

from o365flow.core.model import KIND_NAMES, CaseRecord
from o365flow.core.settings import Config
from o365flow.plan.actions import SendMail
from o365flow.plan.context import board_context, long_date
from o365flow.plan.facts import Board
from o365flow.plan.mail import message_id

RECENT = timedelta(days=14)

# What the decision means, in words the referrer reads ("... decided that there will be ...").
_DECISIONS = {
    "Concise review": "a concise {kind}",
    "Extended review": "an extended {kind}",
    "SUSR": "a Single Unified Safeguarding Review",
    "Forum": "a multi-agency professional forum",
    "No review": "no review",
}


def decision_words(decision: str, kind: str) -> str:
    return _DECISIONS.get(decision, decision).format(kind=KIND_NAMES.get(kind, "review"))


def decision_letter_due(case: CaseRecord, row: dict | None, board: Board, today: date) -> bool:
    """Is the Chair's decision to be written to the referrer (so gather reads their address
    from the form on the site: the state store does not keep it)?"""
    row = row or {}
    decision, decided = row.get("Decision"), row.get("Decision date")
    return bool(decision and decided and f"decided/{case.reference}/{decision}" not in board.done
                and today - decided <= RECENT)


def referrer_mail(config: Config, board: Board, case: CaseRecord, row: dict | None, today: date,
                  address: str = "") -> list[SendMail]:
    """``address``: the referrer's, read from the form this pass (the state store keeps none)."""
    address = (address or case.referral.referrer_email or "").strip()
    if "@" not in address:
        return []
    ref, row = case.reference, row or {}
    context = {
        **board_context(config),
        "case": {"reference": ref, "kind_name": KIND_NAMES[case.kind], "referral_received": long_date(case.referral_received)},
    }
    out = []

    def mail(key: str, purpose: str, template: str, reason: str, **extra) -> SendMail:
        return SendMail(mail_key=key, purpose=purpose, ref=ref, to=(address,), template=template,
                        context={**context, **extra}, message_id=message_id(config, key, ref), day=today, reason=reason,
                        audience="the referrer")

    key = f"ack/{ref}"
    if key not in board.done and today - case.referral_received <= RECENT:
        out.append(mail(key, "acknowledgement", "referrer-acknowledgement", "referral registered: the referrer is told the reference"))
    decision, decided = row.get("Decision"), row.get("Decision date")
    key = f"decided/{ref}/{decision}"
    if decision and decided and key not in board.done and today - decided <= RECENT:
        out.append(
            mail(key, "decision letter", "referrer-decision", "the Chair's decision recorded: the referrer is told",
                 letter={"words": decision_words(decision, case.kind), "date": long_date(decided),
                         "review": decision != "No review"},
                 decision=decision, decision_date=long_date(decided))
        )
    return out
