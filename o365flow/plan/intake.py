"""Referral intake: validate a form's fields and give the case its reference. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from o365flow.core.settings import Agency
from o365flow.core.model import Referral
from o365flow.core.parsing import parse_date, parse_kind, parse_yes_no

_REFERENCE = re.compile(r"^(?P<board>[A-Z0-9]+)-(?P<kind>CPR|APR|SUSR|MAPF)-(?P<year>\d{4})-(?P<seq>\d{3,})$")


@dataclass(frozen=True)
class Checked:
    """The outcome of reading one form: a referral, or the problems that stop it."""

    referral: Referral | None
    problems: tuple[str, ...]  # each names the field and the fix
    warnings: tuple[str, ...]  # accepted, but the coordinator should look


def check_referral(fields: dict[str, str], agencies: tuple[Agency, ...]) -> Checked:
    """Validate a form's raw fields (contract: "The referral form")."""
    problems, warnings = [], []
    kind = ""
    try:
        kind = parse_kind(fields.get("kind", ""))
    except ValueError as exc:
        problems.append(f"'Review requested' {exc}")
    initials = " ".join(fields.get("subject_initials", "").split())
    if not initials:
        problems.append("'Subject initials' is empty; write the subject's initials (e.g. A.B.)")
    elif looks_like_a_name(initials):
        problems.append(
            "'Subject initials' looks like a full name; the register holds initials only (e.g. A.B.)"
        )
    agency = " ".join(fields.get("referring_agency", "").split())
    if not agency:
        problems.append("'Referring agency' is empty; name the agency that refers")
    elif not match_agency(agency, agencies):
        warnings.append(f"referring agency '{agency}' is not a member agency in the configuration")
    incident = None
    if fields.get("incident_date", "").strip():
        try:
            incident = parse_date(fields["incident_date"])
        except ValueError as exc:
            warnings.append(f"'Date of incident' {exc}; left blank")
    protected = None
    try:
        protected = parse_yes_no(fields.get("protected_6_months"))
    except ValueError as exc:
        warnings.append(f"'Registered or protected in previous 6 months' {exc}; no suggestion made")
    if problems:
        return Checked(None, tuple(problems), tuple(warnings))
    referral = Referral(
        kind=kind,
        subject_initials=initials,
        referring_agency=agency,
        incident_date=incident,
        circumstances=fields.get("circumstances", "").strip(),
        protected_6_months=protected,
        referrer_name=fields.get("referrer_name", "").strip(),
        referrer_email=fields.get("referrer_email", "").strip(),
    )
    return Checked(referral, (), tuple(warnings))


def looks_like_a_name(text: str) -> bool:
    """Initials are short letters with dots or spaces; a lower-case word of three or more letters
    means somebody typed a name."""
    letters = re.sub(r"[^A-Za-z]", "", text)
    return len(letters) > 4 or bool(re.search(r"[a-z]{3,}", text))


def match_agency(text: str, agencies: tuple[Agency, ...]) -> Agency | None:
    wanted = " ".join(text.lower().split())
    for a in agencies:
        if wanted in (a.code.lower(), " ".join(a.name.lower().split())):
            return a
    return None


def next_reference(board: str, kind: str, year: int, taken: set[str]) -> tuple[str, int]:
    """The next free ``{BOARD}-{KIND}-{YYYY}-{NNN}``; a number once given is never reused."""
    used = [
        int(m["seq"])
        for ref in taken
        if (m := _REFERENCE.match(ref)) and m["board"] == board and m["kind"] == kind and int(m["year"]) == year
    ]
    seq = max(used, default=0) + 1
    return f"{board}-{kind}-{year}-{seq:03d}", seq
