"""Reading an action plan's table back, as people fill it in, for the register's Actions sheet.

The template's header is: Recommendation | Action | Lead agency | Lead officer | Target date |
Progress / RAG | Evidence of outcome, and optionally Theme (the learning themes of the
recommendation, separated by ";"; a blank one carries on from the recommendation's first row). Renamed headers, added rows, blank rows, a recommendation
merged down over its actions (or written once above them, or across the whole row as a heading)
are all read as meant. A cell that cannot be read is reported, never guessed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from o365flow.core.parsing import DATE_FORMATS_HINT, parse_date
from o365flow.documents.tables import Column, TableRow, find_table

COLUMNS = (
    Column("recommendation", "Recommendation", ("Recommendations", "Recommendation number",
                                                "Recommendation no", "Rec", "Rec no")),
    Column("action", "Action", ("Actions", "Action required", "Actions required", "Action to be taken",
                                "Actions to be taken", "Agreed action", "Agreed actions", "What will be done")),
    Column("lead_agency", "Lead agency", ("Lead organisation", "Lead organization", "Lead agencies",
                                          "Agency", "Organisation", "Responsible agency", "Lead body")),
    Column("lead_officer", "Lead officer", ("Lead person", "Responsible officer", "Responsible person",
                                            "Lead", "Owner", "Action owner", "Officer"), required=False),
    Column("target_date", "Target date", ("Target", "Timescale", "Timescales", "Deadline", "Due date",
                                          "Completion date", "Target completion date", "By when"),
           required=False),
    Column("progress", "Progress / RAG", ("Progress", "RAG", "RAG status", "Status", "Progress and RAG",
                                          "Progress update", "Progress RAG status"), required=False),
    Column("evidence", "Evidence of outcome", ("Evidence", "Outcome", "Evidence of impact", "Outcomes",
                                               "Evidence of completion", "Impact"), required=False),
    Column("theme", "Theme", ("Themes", "Learning theme", "Learning themes", "Theme(s)"), required=False),
)
_DETAIL = ("action", "lead_agency", "lead_officer", "target_date", "progress", "evidence")


@dataclass(frozen=True)
class ActionItem:
    """One action. ``row`` is its row in the document's table (header row counted), for messages."""

    recommendation: str
    action: str
    lead_agency: str
    lead_officer: str
    target_date: date | None
    progress: str
    evidence: str
    row: int
    theme: str = ""  # the recommendation's learning themes, "; "-separated as typed


@dataclass(frozen=True)
class ActionPlan:
    """The actions read, and one line per problem (file, table row, what to fix)."""

    source: str
    items: tuple[ActionItem, ...]
    problems: tuple[str, ...] = ()


_NOT_YET = {"tbc", "tba", "to be confirmed", "to be agreed", "tbd", "-", "n/a"}
_MONTH_YEAR = re.compile(r"^(?:end\s+(?:of\s+)?)?([a-z]+)\.?,?\s+(\d{4})$|^(\d{1,2})[/.\-](\d{4})$")


def read_action_plan(data: bytes, source: str) -> ActionPlan:
    """The action plan in ``data`` (a ``.docx``): its items in table order, and problems.

    A row whose recommendation is blank continues the recommendation above it. A target date is
    read in the UK forms of ``parse_date``, or as a month ("March 2027", "03/2027": the month's
    last day); blank or "TBC" is None; anything else is None and a problem. Raises
    ``DocumentError`` naming ``source`` when the file is not a readable ``.docx`` or has no table
    headed Recommendation, Action and Lead agency.
    """
    table = find_table(data, source, COLUMNS)
    where = f"{source}, table {table.index}"
    items: list[ActionItem] = []
    problems: list[str] = []
    rows = list(table.rows)
    current = theme = ""
    for i, row in enumerate(rows):
        values = row.values
        if row.full_width:
            current = values["recommendation"] or next((v for v in values.values() if v), "")
            theme = ""
            continue
        if values["recommendation"]:
            if values["recommendation"] != current:
                theme = ""
            current = values["recommendation"]
        if values.get("theme"):
            theme = values["theme"]
        if values["recommendation"]:
            if not any(values[k] for k in _DETAIL) and _continued(rows, i):
                continue  # a recommendation written once above the rows of its actions
        target, problem = _target_date(values["target_date"])
        if problem:
            problems.append(f"{where}, row {row.row}: the target date {problem}")
        items.append(ActionItem(current, values["action"], values["lead_agency"], values["lead_officer"],
                                target, values["progress"], values["evidence"], row.row, theme))
    return ActionPlan(source, tuple(items), tuple(problems))


def _continued(rows: list[TableRow], i: int) -> bool:
    following = rows[i + 1] if i + 1 < len(rows) else None
    return bool(following and not following.full_width and not following.values["recommendation"]
                and any(following.values[k] for k in _DETAIL))


def _target_date(text: str) -> tuple[date | None, str]:
    """(date or None, problem or "") for a target date cell. The problem never echoes the cell."""
    plain = " ".join(text.lower().split())
    if not plain or plain.rstrip(".") in _NOT_YET:
        return None, ""
    try:
        return parse_date(plain), ""
    except ValueError as error:
        if "real date" in str(error):
            return None, f"is not a real date; {DATE_FORMATS_HINT}"
    if m := _MONTH_YEAR.match(plain):
        month = _month_number(m[1]) if m[1] else int(m[3])
        year = int(m[2] or m[4])
        if month and 1 <= month <= 12:
            return date(year, month, calendar.monthrange(year, month)[1]), ""
    return None, f"is not a date; {DATE_FORMATS_HINT} (or March 2027 for the end of a month)"


def _month_number(name: str) -> int | None:
    try:
        return parse_date(f"1 {name} 2000").month
    except ValueError:
        return None


def _words(text: str) -> str:
    return " " + " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split()) + " "


_ALL = {" all ", " all agencies ", " all partner agencies ", " all partners ", " all member agencies ",
        " all members "}


def named_agencies(plan: ActionPlan, agencies: Iterable) -> tuple[str, ...]:
    """Codes of the ``agencies`` (objects with ``.code`` and ``.name``, e.g. ``config.Agency``)
    named as a lead agency in ``plan``, in ``agencies`` order. An agency is named when its code
    or its name appears in a Lead agency cell as whole words, any case ("Police / UHB", "North
    Wales Police (PPU)"); "All agencies" names every one."""
    agencies = tuple(agencies)
    leads = [_words(item.lead_agency) for item in plan.items if item.lead_agency.strip()]
    if any(lead in _ALL for lead in leads):
        return tuple(a.code for a in agencies)
    return tuple(a.code for a in agencies if any(_names(a, lead) for lead in leads))


def unmatched_lead_agencies(plan: ActionPlan, agencies: Iterable) -> tuple[str, ...]:
    """Lead agency cells that name no configured agency, each once as first written (case and
    spacing ignored): worth telling the coordinator, as such an agency is not asked to sign off."""
    agencies = tuple(agencies)
    seen: dict[str, str] = {}
    for item in plan.items:
        lead = _words(item.lead_agency)
        if lead.strip() and lead not in _ALL and not any(_names(a, lead) for a in agencies):
            seen.setdefault(lead, " ".join(item.lead_agency.split()))
    return tuple(seen.values())


def _names(agency, lead: str) -> bool:
    return any(part.strip() and part in lead for part in (_words(agency.code), _words(agency.name)))
