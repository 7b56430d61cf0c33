"""Actions that touch only the state store's ledger: what a pass noticed and must remember (or
forget), decided by ``plan()`` like everything else so gather stays read-only."""

from __future__ import annotations

from dataclasses import dataclass

from o365flow.plan.actions import Action


@dataclass(frozen=True)
class ForgetForm(Action):
    """A referral form that could not start a case and has gone from the library (deleted or
    moved away): it is no longer reported."""

    path: str = ""

    def summary(self) -> str:
        return f"referral form {self.path!r} is no longer in the library; no longer reported"


@dataclass(frozen=True)
class RecordUnreadable(Action):
    """A message in the board mailbox that could not be read: reported once, then left alone
    (it stays in the mailbox for a person)."""

    text: str = ""

    @property
    def message_key(self) -> str:
        return "bad:" + self.text

    def summary(self) -> str:
        return f"unreadable message noted for the coordinator: {self.text}"
