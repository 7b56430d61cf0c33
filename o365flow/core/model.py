"""The board's data as the core sees it: frozen dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum


class Stage(str, Enum):
    """Stage ids as ``status --json`` gives them; ``label`` is what the register shows."""

    AWAITING_DECISION = "awaiting_decision"
    IN_REVIEW = "in_review"
    ACTION_PLAN_SIGNOFF = "action_plan_signoff"
    SIGNED_OFF = "signed_off"
    PUBLISHED = "published"
    FORUM_ARRANGED = "forum_arranged"
    FORUM_HELD = "forum_held"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Stage.AWAITING_DECISION: "Awaiting decision",
    Stage.IN_REVIEW: "In review",
    Stage.ACTION_PLAN_SIGNOFF: "Action plan sign-off",
    Stage.SIGNED_OFF: "Signed off",
    Stage.PUBLISHED: "Published",
    Stage.FORUM_ARRANGED: "Forum arranged",
    Stage.FORUM_HELD: "Forum held",
    Stage.CLOSED: "Closed",
}

KIND_NAMES = {
    "CPR": "Child Practice Review",
    "APR": "Adult Practice Review",
    "SUSR": "Single Unified Safeguarding Review",
    "MAPF": "Multi-agency professional forum",
}


@dataclass(frozen=True)
class Referral:
    """What a valid referral form says (the contract's fields)."""

    kind: str
    subject_initials: str
    referring_agency: str
    incident_date: date | None = None
    circumstances: str = ""
    protected_6_months: bool | None = None
    referrer_name: str = ""
    referrer_email: str = ""

    @property
    def suggested_decision(self) -> str:
        """Concise vs extended as the guidance's criteria suggest; the Chair decides. A SUSR has
        no such split: its referral suggests a SUSR."""
        if self.kind == "MAPF":
            return "Forum"
        if self.kind == "SUSR":
            return "SUSR"
        if self.protected_6_months is None:
            return ""
        return "Extended review" if self.protected_6_months else "Concise review"


@dataclass(frozen=True)
class CaseRecord:
    """A registered case as the state store keeps it. The reference never changes."""

    reference: str
    kind: str
    year: int
    seq: int
    source: str  # the referral form's path in the Referrals library
    referral_received: date
    referral: Referral
    final_report_seen: date | None = None  # first .docx/.pdf in the final-report folder
    folder_created: bool = False


@dataclass(frozen=True)
class SignoffRecord:
    """One agency's sign-off of one case's action plan, as the worker recorded it."""

    reference: str
    agency: str
    requested: date | None = None
    last_reminder: date | None = None
    signed_off: date | None = None
    signed_off_by: str = ""
    how: str = ""
    request_id: str = ""  # Message-ID of the request, for matching replies


@dataclass(frozen=True)
class Deadline:
    rule: str
    label: str
    due: date
    met: bool


@dataclass(frozen=True)
class CaseView:
    """Everything derived about a case on a given day: stage, deadlines, RAG."""

    reference: str
    kind: str
    stage: Stage
    on_hold: bool
    workflow: str | None
    decision: str | None
    decision_date: date | None
    referral_received: date
    review_due: date | None
    final_report_date: date | None
    signoff_due: date | None
    signoffs: dict[str, date | None] = field(default_factory=dict)
    next_deadline: date | None = None
    next_deadline_is: str = ""
    rag: str = ""
    deadlines: tuple[Deadline, ...] = ()

    @property
    def outstanding(self) -> list[str]:
        return sorted(code for code, when in self.signoffs.items() if when is None)


@dataclass(frozen=True)
class Now:
    """The pass's clock, fixed for the whole pass (``--now`` or the real clock)."""

    moment: datetime  # aware, in the board's time zone

    @property
    def today(self) -> date:
        return self.moment.date()
