"""The inputs of ``plan()``: the board as the state store knows it, and what a pass gathered."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from datetime import date, datetime

from o365flow.core.model import CaseRecord, SignoffRecord


@dataclass(frozen=True)
class FormFact:
    """A referral form that is new or changed since it was last read."""

    path: str
    etag: str
    saved_on: date  # the day it was saved in the library (board time)
    fields: dict | None  # raw field text; None when the file could not be read
    error: str = ""


@dataclass(frozen=True)
class RegisterFacts:
    """The register as read this pass (``cases`` hold every column by header)."""

    exists: bool = False
    cases: dict = field(default_factory=dict)  # reference -> {header: value}
    signoffs: dict = field(default_factory=dict)  # (reference, agency) -> {header: value}
    problems: tuple[str, ...] = ()
    # Rows a person deleted: kept (above) with the values they last had, to be put back.
    missing_cases: tuple[str, ...] = ()
    missing_signoffs: tuple[tuple[str, str], ...] = ()
    etag: str = ""  # the version read (the register is replaced only if it is still this one)
    # Why the register cannot be used this pass (file, sheet, column and the fix), "" when it
    # can. The cases and sign-offs are then the last ones read, so no case goes back a stage;
    # nothing is written to the register and new referrals wait until it is put right.
    broken: str = ""


@dataclass(frozen=True)
class Facts:
    now: datetime  # aware, board time
    forms: tuple[FormFact, ...] = ()
    forms_gone: tuple[str, ...] = ()  # rejected forms (known, no reference) no longer in the library
    register: RegisterFacts = RegisterFacts()
    final_reports: dict = field(default_factory=dict)  # reference -> first day a report was seen
    messages: tuple = ()  # IncomingMail not yet processed
    inbox_cursor: str | None = None  # a server mailbox's position once these are processed
    publication: dict = field(default_factory=dict)  # reference -> ReportCheck (anonymisation)
    shares: dict = field(default_factory=dict)  # reference -> tuple[ShareFile, ...] ready to share
    timelines: dict = field(default_factory=dict)  # reference -> casedocs.TimelineFacts
    actions: dict = field(default_factory=dict)  # reference -> casedocs.ActionsFacts
    actions_written: dict = field(default_factory=dict)  # reference -> fingerprint last written to 'Actions'
    problems: tuple[str, ...] = ()  # gather-time problems, reported on every pass while they last
    referrers: dict = field(default_factory=dict)  # reference -> referrer's address, read from the form when a letter is due
    unreadable: tuple[str, ...] = ()  # mailbox messages that could not be read, not yet reported
    # State values to store once the pass's actions are applied: delta cursors, the case-file
    # index, caches of documents read. Gather never writes; the worker keeps these after apply.
    keep: dict = field(default_factory=dict)

    @property
    def today(self) -> date:
        return self.now.date()


@dataclass(frozen=True)
class FormState:
    etag: str
    reference: str = ""
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attention:
    """Something waiting to go in the coordinator's next digest."""

    id: int
    day: date
    section: str
    text: str


@dataclass(frozen=True)
class Board:
    """What the state store knows: cases, forms seen, sign-offs, what has been done."""

    cases: dict[str, CaseRecord] = field(default_factory=dict)
    forms: dict[str, FormState] = field(default_factory=dict)
    signoffs: dict[tuple[str, str], SignoffRecord] = field(default_factory=dict)
    done: frozenset[str] = frozenset()
    message_ids: dict[str, tuple[str, str]] = field(default_factory=dict)  # Message-ID -> (ref, agency)
    attention: tuple[Attention, ...] = ()
    last_written: dict[str, dict] = field(default_factory=dict)  # reference -> worker cells last written
    # References given out that are not (or no longer) cases here: never given again.
    issued: frozenset[str] = frozenset()

    @cached_property
    def _done_by_case(self) -> dict[str, tuple[str, ...]]:
        # "kind/REFERENCE/..." keys by their first two parts, built once: asking for one case's
        # keys then costs that case's keys, not the whole ledger (tens of thousands of keys).
        index: dict[str, list[str]] = {}
        for key in self.done:
            head = key.split("/", 2)
            if len(head) >= 2:
                index.setdefault(f"{head[0]}/{head[1]}/", []).append(key)
        return {k: tuple(v) for k, v in index.items()}

    def with_done(self, keys) -> "Board":
        """This board with ``keys`` counted as done too; the board itself when they add nothing,
        so its ledger index (built once, about 0.1 s at 1,000 cases) is not built again."""
        new = frozenset(keys) - self.done
        return replace(self, done=self.done | new) if new else self

    def done_under(self, prefix: str) -> tuple[str, ...]:
        """Every done key starting with ``prefix`` (``"share/REF/"``, ``"progress/REF/1/"``...)."""
        head = prefix.split("/", 2)
        if len(head) < 3:
            return tuple(k for k in self.done if k.startswith(prefix))
        return tuple(k for k in self._done_by_case.get(f"{head[0]}/{head[1]}/", ()) if k.startswith(prefix))
