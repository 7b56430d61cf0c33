"""The board's figures for a period: what ``report``, ``status`` and the register's Learning sheet
say about referrals, decisions, timeliness, actions, themes and learning shared. Pure.

One function (``board_figures``) computes them from the register's rows, the cases as ``status``
sees them and the dissemination record, so the quarterly report, ``status --json`` and the
Learning sheet's formulas count the same things the same way:

- a case's *themes* are the entries of its ``Themes`` cell that match a configured theme
  (case and spacing ignored), separated by ``;`` or ``,`` (``case_themes``);
- *themes by year and kind* count cases by the year their referral was received;
- an action is *complete* when its Progress says so (``DONE_WORDS``), *overdue* when not complete
  and its target date is before the day the figures are for, *open* otherwise;
- a *recommendation* is one distinct (reference, recommendation text) on the Actions sheet; its
  themes are the union of its actions' ``Theme`` cells.

Nothing here names a person: the figures hold references, kinds, agency codes, dates and counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from o365flow.core.deadlines import add_period
from o365flow.core.model import KIND_NAMES, CaseView, Stage

DONE_WORDS = ("complete", "completed", "done", "green")  # as the register's Actions colours
KINDS = tuple(KIND_NAMES)
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the last day, included

    @property
    def label(self) -> str:
        q = (self.start.month - 1) // 3 + 1
        if self.start == date(self.start.year, 3 * q - 2, 1) and self.end == _quarter_end(self.start.year, q):
            return f"{self.start.year} Q{q} ({self.start:%B} to {self.end:%B %Y})"
        return f"{self.start.day} {self.start:%B %Y} to {self.end.day} {self.end:%B %Y}"

    def __contains__(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def _quarter_end(year: int, q: int) -> date:
    return (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)) - timedelta(days=1)


def parse_quarter(text: str) -> Period:
    """``2026Q3`` (calendar quarters: Q3 is July to September) -> Period."""
    m = _QUARTER.match(text.strip())
    if not m:
        raise ValueError(f"'{text}' is not a quarter; write e.g. 2026Q3 (July to September 2026)")
    year, q = int(m[1]), int(m[2])
    return Period(date(year, 3 * q - 2, 1), _quarter_end(year, q))


def split_themes(text: object) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"[;,\n]", str(text or "")) if p.strip()]


def case_themes(text: object, themes: tuple[str, ...]) -> tuple[str, ...]:
    """The configured themes a ``Themes`` / ``Theme`` cell names, in the configured order."""
    named = {_key(t) for t in split_themes(text)}
    return tuple(t for t in themes if _key(t) in named)


def _key(theme: str) -> str:
    """Themes compare ignoring case and spaces (as the Learning sheet's formulas do)."""
    return "".join(theme.split()).casefold()


def unknown_themes(text: object, themes: tuple[str, ...]) -> list[str]:
    known = {_key(t) for t in themes}
    return [t for t in split_themes(text) if _key(t) not in known]


# A hold reason is typed freely and may name someone, so the board's figures count it by kind.
HOLD_KINDS = (
    ("Criminal proceedings", ("criminal", "trial", "court", "prosecut", "police", "cps", "charg", "sentenc")),
    ("Inquest", ("inquest", "coroner")),
    ("Another review or investigation", ("review", "investigation", "enquiry", "inquiry", "disciplinary")),
)


def hold_category(text: object) -> str:
    """What kind of hold a typed reason describes: criminal proceedings, an inquest, another review
    or investigation, another reason, or not recorded (never the text itself)."""
    words = " ".join(str(text or "").split()).casefold()
    if not words:
        return "Not recorded"
    for kind, marks in HOLD_KINDS:
        if any(m in words for m in marks):
            return kind
    return "Another reason (see the register)"


def is_done(progress: object) -> bool:
    return str(progress or "").strip().casefold() in DONE_WORDS


@dataclass
class Timeliness:
    within: int = 0
    total: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.within / self.total) if self.total else None


@dataclass
class BoardFigures:
    period: Period
    as_at: date
    themes: tuple[str, ...]
    referrals: dict[str, int] = field(default_factory=dict)  # kind -> referrals received in the period
    decisions: dict[str, int] = field(default_factory=dict)  # decision -> made in the period
    open_by_stage: dict[str, dict[str, int]] = field(default_factory=dict)  # stage label -> kind -> n
    on_hold: int = 0
    decision_in_time: Timeliness = field(default_factory=Timeliness)
    review_in_time: Timeliness = field(default_factory=Timeliness)
    signoff_in_time: Timeliness = field(default_factory=Timeliness)
    holds: dict[str, int] = field(default_factory=dict)  # hold reason -> cases on hold in the period
    actions: dict[str, dict[str, int]] = field(default_factory=dict)  # agency -> open/complete/overdue
    themes_cases: dict[str, int] = field(default_factory=dict)  # theme -> cases referred in the period
    themes_recommendations: dict[str, int] = field(default_factory=dict)  # theme -> recommendations
    themes_by_year: dict[str, dict[int, int]] = field(default_factory=dict)  # theme -> year -> cases
    themes_by_kind: dict[str, dict[str, int]] = field(default_factory=dict)  # theme -> kind -> cases
    actions_by_theme: dict[str, dict[str, int]] = field(default_factory=dict)  # theme -> agency -> actions
    shared: list[tuple[str, str, date]] = field(default_factory=list)  # (reference, agency, day)

    def as_dict(self) -> dict:
        """JSON-ready (``status --json``'s ``figures`` and ``report --json``)."""
        t = lambda x: {"within": x.within, "total": x.total, "percent": x.percent}  # noqa: E731
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "as_at": self.as_at.isoformat(),
            "referrals": self.referrals,
            "decisions": self.decisions,
            "open_by_stage": self.open_by_stage,
            "on_hold": self.on_hold,
            "decision_within_screening_period": t(self.decision_in_time),
            "review_within_6_months": t(self.review_in_time),
            "signoff_within_4_weeks": t(self.signoff_in_time),
            "holds": self.holds,
            "actions": self.actions,
            "themes_cases": self.themes_cases,
            "themes_recommendations": self.themes_recommendations,
            "themes_by_year": {th: {str(y): n for y, n in ys.items()} for th, ys in self.themes_by_year.items()},
            "themes_by_kind": self.themes_by_kind,
            "actions_by_theme": self.actions_by_theme,
            "shared": [{"reference": r, "agency": a, "date": d.isoformat()} for r, a, d in self.shared],
        }


def screening_due(view: CaseView, workflows: dict, closures: tuple = ()) -> date | None:
    """When the decision was due under the case's workflow (its rule met by the decision date)."""
    wf = workflows.get(view.workflow) if view.workflow else None
    for rule in wf.deadlines if wf else ():
        if rule.met_by == "decision_date" and rule.start == "referral_received":
            return add_period(view.referral_received, rule.period, closures)
    return None


def board_figures(
    views: list[CaseView],
    rows: dict[str, dict],
    actions: list[dict],
    shared: list[tuple[str, str, date]],
    themes: tuple[str, ...],
    period: Period,
    as_at: date,
    workflows: dict | None = None,
    closures: tuple = (),
) -> BoardFigures:
    """Every figure of the board's report for ``period``, as at ``as_at`` (open cases, overdue
    actions). ``views``: every case, closed ones too; ``rows``: the register's Cases rows by
    reference; ``actions``: the Actions sheet's rows; ``shared``: the dissemination record."""
    f = BoardFigures(period, as_at, themes)
    f.themes_cases = {t: 0 for t in themes}
    f.themes_by_year = {t: {} for t in themes}
    f.themes_by_kind = {t: {k: 0 for k in KINDS} for t in themes}
    for v in sorted(views, key=lambda v: v.reference):
        row = rows.get(v.reference) or {}
        tagged = case_themes(row.get("Themes"), themes)
        for t in tagged:
            by_year = f.themes_by_year[t]
            by_year[v.referral_received.year] = by_year.get(v.referral_received.year, 0) + 1
            f.themes_by_kind[t][v.kind] = f.themes_by_kind[t].get(v.kind, 0) + 1
            if v.referral_received in period:
                f.themes_cases[t] += 1
        if v.referral_received in period:
            f.referrals[v.kind] = f.referrals.get(v.kind, 0) + 1
        if v.decision and v.decision_date in period:
            f.decisions[v.decision] = f.decisions.get(v.decision, 0) + 1
            due = screening_due(v, workflows or {}, closures)
            if due is not None:
                f.decision_in_time.total += 1
                f.decision_in_time.within += v.decision_date <= due
        if v.stage is not Stage.CLOSED:
            stage = f.open_by_stage.setdefault(v.stage.label, {})
            stage[v.kind] = stage.get(v.kind, 0) + 1
            f.on_hold += v.on_hold
        if v.review_due and v.final_report_date in period:
            f.review_in_time.total += 1
            f.review_in_time.within += v.final_report_date <= v.review_due
        signed = [d for d in v.signoffs.values()]
        if v.signoff_due and signed and all(signed) and max(signed) in period:
            f.signoff_in_time.total += 1
            f.signoff_in_time.within += max(signed) <= v.signoff_due
        held, resumed = row.get("On hold from"), row.get("Resumed on")
        if isinstance(held, date) and held <= period.end and (not isinstance(resumed, date) or resumed >= period.start):
            reason = hold_category(row.get("Hold reason"))
            f.holds[reason] = f.holds.get(reason, 0) + 1
    _actions(f, actions, themes, as_at)
    f.shared = sorted(s for s in shared if s[2] in period)
    return f


def _actions(f: BoardFigures, actions: list[dict], themes: tuple[str, ...], as_at: date) -> None:
    f.themes_recommendations = {t: 0 for t in themes}
    f.actions_by_theme = {t: {} for t in themes}
    rows = [a for a in actions if str(a.get("Reference") or "")]
    pair = lambda a: (str(a.get("Reference") or "").casefold(), str(a.get("Recommendation") or "").casefold())  # noqa: E731
    size: dict[tuple[str, str], int] = {}
    for a in rows:
        size[pair(a)] = size.get(pair(a), 0) + 1
    share = {t: 0.0 for t in themes}
    for a in rows:
        agency = str(a.get("Lead agency") or "").strip() or "Not named"
        counts = f.actions.setdefault(agency, {"open": 0, "complete": 0, "overdue": 0})
        target = a.get("Target date")
        if is_done(a.get("Progress")):
            counts["complete"] += 1
        elif isinstance(target, date) and target < as_at:
            counts["overdue"] += 1
        else:
            counts["open"] += 1
        for t in case_themes(a.get("Theme"), themes):
            f.actions_by_theme[t][agency] = f.actions_by_theme[t].get(agency, 0) + 1
            # Each action carries 1/n of its recommendation (n its actions): a recommendation
            # counts once when its theme is on all its actions, as the action plan reader gives it.
            share[t] += 1 / size[pair(a)]
    # Rounded half up, as the sheet's ROUND.
    f.themes_recommendations = {t: int(n + 0.5 + 1e-9) for t, n in share.items()}
