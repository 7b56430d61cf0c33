"""Workflow definitions as data (``config/workflows/*.toml``): which decisions lead to which
workflow, its folders, the documents generated when the decision is recorded, and its deadline
rules. A board overrides a shipped workflow by putting a file of the same name in its own
workflows folder. Loading validates every file and reports every problem with its key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from o365flow.core.columns import DECISIONS
from o365flow.core.deadlines import Period, parse_period
from o365flow.errors import ConfigError
from o365flow.core.parsing import KINDS

SHAPES = {
    "review": ("awaiting_decision", "in_review", "action_plan_signoff", "signed_off", "published", "closed"),
    "forum": ("awaiting_decision", "forum_arranged", "forum_held", "closed"),
}

# Dates a deadline can run from or be met by; each is a case fact the core knows.
START_FACTS = ("referral_received", "decision_date", "final_report_date", "learning_event_date", "board_approval_date")
MET_FACTS = (
    "decision_date",
    "welsh_government_notified",
    "final_report_date",
    "all_signed_off",
    "learning_event_date",
    "board_approval_date",
    "published_date",
    "closed_date",
)


@dataclass(frozen=True)
class DeadlineRule:
    id: str
    label: str  # shown in "Next deadline is"
    start: str  # a START_FACTS name
    period: Period
    met_by: str  # a MET_FACTS name
    pauses_on_hold: bool = False
    source: str = "local"  # "guidance" (fixed nationally) or "local" (a board's own rule)


@dataclass(frozen=True)
class DocumentSpec:
    template: str  # relative to a templates folder, e.g. "cpr/terms-of-reference.docx"
    folder: str  # case subfolder
    name: str  # file name; "{reference}" is replaced


@dataclass(frozen=True)
class ShareRule:
    """Learning shared with every agency's dissemination list, once, when the case reaches
    ``after`` (a stage id): the files a person saved in ``folder`` are attached."""

    folder: str
    after: str
    what: str  # e.g. "7 minute briefing", shown in the mail


@dataclass(frozen=True)
class Route:
    decision: str
    kinds: tuple[str, ...] = ()  # empty: any kind of referral


@dataclass(frozen=True)
class Workflow:
    id: str
    name: str
    shape: str
    routes: tuple[Route, ...]
    folders: tuple[str, ...]
    final_report_folder: str
    documents: tuple[DocumentSpec, ...]
    deadlines: tuple[DeadlineRule, ...]
    signoff: bool  # does this workflow ask agencies to sign off an action plan?
    timelines_folder: str = ""  # agencies save their timeline (chronology) returns here
    summary_timeline: DocumentSpec | None = None  # the merged timeline, rendered from the returns
    action_plan_folder: str = ""  # the action plan document is read from here into 'Actions'
    share: ShareRule | None = None
    # Who signs off the action plan: "member agencies" (each by email) or "case review group"
    # (one sign-off, typed in the register by the coordinator or sent by a member's reply).
    signoff_by: str = "member agencies"
    signoff_attach: tuple[str, ...] = ("action plan",)  # what the request carries: "action plan", "final report"
    # The referrals a workflow starts for: received on or after ``referred_from`` and before
    # ``referred_before`` (None: no limit). A case already on it runs to the end under its rules.
    referred_from: date | None = None
    referred_before: date | None = None
    instead: str = ""  # the decision to suggest for a referral outside those dates, e.g. "SUSR"
    timeline_request: Period | None = None  # agencies asked for timeline returns, due this long after
    pack_folder: str = ""  # where the Wales Safeguarding Repository pack is put together on publication

    @property
    def stages(self) -> tuple[str, ...]:
        return SHAPES[self.shape]

    def deadline(self, rule_id: str) -> DeadlineRule | None:
        return next((d for d in self.deadlines if d.id == rule_id), None)

    @property
    def signed_by_group(self) -> bool:
        return self.signoff and self.signoff_by == "case review group"

    def starts_for(self, received: date) -> bool:
        """Does this workflow still start for a referral received on ``received``?"""
        return not (
            (self.referred_before and received >= self.referred_before)
            or (self.referred_from and received < self.referred_from)
        )


SIGNERS = ("member agencies", "case review group")
ATTACHABLE = ("action plan", "final report")


def starts_for_kind(workflows: dict[str, "Workflow"], kind: str, received: date) -> tuple[bool, str]:
    """Whether a referral of ``kind`` received on ``received`` still fits a workflow made for
    that kind, and the decision its workflows suggest instead when none does (e.g. a CPR
    referral after 1 October 2024: "SUSR"). Workflows that take any kind are not counted."""
    own = [wf for wf in workflows.values() if any(kind in r.kinds for r in wf.routes)]
    if not own or any(wf.starts_for(received) for wf in own):
        return True, ""
    return False, next((wf.instead for wf in own if wf.instead), "")


def route(workflows: dict[str, Workflow], kind: str, decision: str) -> Workflow | None:
    """The workflow a decision starts for a referral of this kind; kind-specific routes win."""
    general = None
    for wf in workflows.values():
        for r in wf.routes:
            if r.decision == decision:
                if kind in r.kinds:
                    return wf
                if not r.kinds and general is None:
                    general = wf
    return general


def parse_workflow(path: Path, raw: dict, problems: list[str]) -> Workflow | None:
    """One workflow file's table as a ``Workflow``; each problem is appended, naming the file and key."""
    before = len(problems)

    def bad(key: str, message: str) -> None:
        problems.append(f"{path.name}: {key}: {message}")

    wid, name, shape = raw.get("id"), raw.get("name"), raw.get("shape", "review")
    if not wid or not isinstance(wid, str):
        bad("id", "is required, e.g. id = \"cpr\"")
    if not name:
        bad("name", "is required, e.g. name = \"Child Practice Review\"")
    if shape not in SHAPES:
        bad("shape", f"'{shape}' must be one of {', '.join(SHAPES)}")
        shape = "review"
    routes = []
    for i, r in enumerate(raw.get("routes", []), start=1):
        decision, kinds = r.get("decision"), tuple(r.get("kinds", []))
        if decision not in DECISIONS or decision == "No review":
            bad(f"routes[{i}].decision", f"'{decision}' must be one of {', '.join(DECISIONS[:-1])}")
        for k in kinds:
            if k not in KINDS:
                bad(f"routes[{i}].kinds", f"'{k}' must be one of {', '.join(KINDS)}")
        routes.append(Route(decision, kinds))
    if not routes:
        bad("routes", "name at least one decision that starts this workflow")
    folders = tuple(raw.get("folders", []))
    final = raw.get("final_report_folder", "")
    if final and final not in folders:
        bad("final_report_folder", f"'{final}' must be one of the folders listed in 'folders'")
    docs = []
    for i, d in enumerate(raw.get("documents", []), start=1):
        missing = [k for k in ("template", "folder", "name") if not d.get(k)]
        if missing:
            bad(f"documents[{i}]", f"needs {', '.join(missing)}")
            continue
        if d["folder"] not in folders:
            bad(f"documents[{i}].folder", f"'{d['folder']}' must be one of the folders listed in 'folders'")
        if d["folder"] == final:
            bad(f"documents[{i}].folder", "the final report folder must start empty; put drafts elsewhere")
        docs.append(DocumentSpec(d["template"], d["folder"], d["name"]))
    rules = []
    for i, d in enumerate(raw.get("deadlines", []), start=1):
        key = f"deadlines[{i}]"
        try:
            period = parse_period(d.get("period", ""))
        except ValueError as exc:
            bad(f"{key}.period", str(exc))
            continue
        if d.get("from") not in START_FACTS:
            bad(f"{key}.from", f"'{d.get('from')}' must be one of {', '.join(START_FACTS)}")
        if d.get("until") not in MET_FACTS:
            bad(f"{key}.until", f"'{d.get('until')}' must be one of {', '.join(MET_FACTS)}")
        if d.get("source", "local") not in ("guidance", "local"):
            bad(f"{key}.source", "must be 'guidance' or 'local'")
        rules.append(
            DeadlineRule(
                id=str(d.get("id", f"rule{i}")),
                label=str(d.get("label", d.get("id", f"rule {i}"))),
                start=d.get("from", ""),
                period=period,
                met_by=d.get("until", ""),
                pauses_on_hold=bool(d.get("pauses_on_hold", False)),
                source=d.get("source", "local"),
            )
        )
    timelines, action_plan, share = raw.get("timelines", {}), raw.get("action_plan", {}), raw.get("share")
    for key, folder in (("timelines.folder", timelines.get("folder")), ("action_plan.folder", action_plan.get("folder"))):
        if folder and folder not in folders:
            bad(key, f"'{folder}' must be one of the folders listed in 'folders'")
    summary = None
    if timelines.get("summary"):
        d = timelines["summary"]
        missing = [k for k in ("template", "folder", "name") if not d.get(k)]
        if missing:
            bad("timelines.summary", f"needs {', '.join(missing)}")
        else:
            summary = DocumentSpec(d["template"], d["folder"], d["name"])
    rule = None
    if share:
        if share.get("folder") not in folders:
            bad("share.folder", f"'{share.get('folder')}' must be one of the folders listed in 'folders'")
        if share.get("after") not in SHAPES.get(shape, ()):
            bad("share.after", f"'{share.get('after')}' must be one of the {shape} stages: {', '.join(SHAPES.get(shape, ()))}")
        rule = ShareRule(str(share.get("folder")), str(share.get("after")), str(share.get("what", "learning summary")))
    signoff_raw = raw.get("signoff", shape == "review")
    signoff, signer = bool(signoff_raw), "member agencies"
    attach: tuple[str, ...] = ("action plan",)
    if isinstance(signoff_raw, dict):
        signoff = bool(signoff_raw.get("required", True))
        signer = str(signoff_raw.get("by", signer)).lower()
        if signer not in SIGNERS:
            bad("signoff.by", f"'{signer}' must be one of {', '.join(repr(x) for x in SIGNERS)}")
        listed = signoff_raw.get("attach", list(attach))
        if not isinstance(listed, list) or any(a not in ATTACHABLE for a in listed):
            bad("signoff.attach", f"must be a list of {', '.join(repr(x) for x in ATTACHABLE)}")
            listed = ["action plan"]
        attach = tuple(listed)
    applies = raw.get("applies", {})
    dates = {}
    for key in ("referred_from", "referred_before"):
        value = applies.get(key)
        if value is not None and not isinstance(value, date):
            bad(f"applies.{key}", f"'{value}' must be a date, e.g. {key} = 2024-10-01")
            value = None
        dates[key] = value
    instead = str(applies.get("instead", ""))
    if instead and instead not in DECISIONS:
        bad("applies.instead", f"'{instead}' must be one of {', '.join(DECISIONS[:-1])}")
    request = None
    if timelines.get("request_within"):
        try:
            request = parse_period(timelines["request_within"])
        except ValueError as exc:
            bad("timelines.request_within", str(exc))
    pack = str(raw.get("repository_pack", {}).get("folder", ""))
    if pack and pack not in folders:
        bad("repository_pack.folder", f"'{pack}' must be one of the folders listed in 'folders'")
    if len(problems) > before:
        return None
    return Workflow(
        id=str(wid),  # both checked above: a problem was reported when either is missing
        name=str(name),
        shape=shape,
        routes=tuple(routes),
        folders=folders,
        final_report_folder=final,
        documents=tuple(docs),
        deadlines=tuple(rules),
        signoff=signoff,
        signoff_by=signer,
        signoff_attach=attach,
        referred_from=dates["referred_from"],
        referred_before=dates["referred_before"],
        instead=instead,
        timeline_request=request,
        pack_folder=pack,
        timelines_folder=str(timelines.get("folder", "")),
        summary_timeline=summary,
        action_plan_folder=str(action_plan.get("folder", "")),
        share=rule,
    )
