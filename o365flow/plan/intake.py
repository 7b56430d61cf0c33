"""Referral intake: validate a form's fields and give the case its reference. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from o365flow.core.settings import Agency
from o365flow.core.model import Referral
from o365flow.core.parsing import parse_date, parse_kind, parse_yes_no
from o365flow.errors import one_line

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
        problems.append(f"'Review requested' {one_line(str(exc))}")
    initials = " ".join(fields.get("subject_initials", "").split())
    if not initials:
        problems.append("'Subject initials' is empty; write the subject's initials (e.g. A.B.)")
    elif not are_initials(initials):
        # The value is not echoed: it may well be the subject's name.
        problems.append(
            "'Subject initials' is not initials (a name or full name?); write capital letters only, with dots, spaces or "
            "hyphens if you wish (e.g. A.B. or J-P. D.): the register holds initials, never a name"
        )
    agency = " ".join(fields.get("referring_agency", "").split())
    if not agency:
        problems.append("'Referring agency' is empty; name the agency that refers")
    elif not match_agency(agency, agencies):
        # Not echoed: people type a person's name here as often as an agency's.
        warnings.append("the referring agency on the form is not a member agency in the configuration; "
                        "see the register's 'Referring agency' cell")
    incident = None
    if fields.get("incident_date", "").strip():
        try:
            incident = parse_date(fields["incident_date"])
        except ValueError as exc:
            warnings.append(f"'Date of incident' {one_line(str(exc))}; left blank")
    protected = None
    try:
        protected = parse_yes_no(fields.get("protected_6_months"))
    except ValueError as exc:
        warnings.append(f"'Registered or protected in previous 6 months' {one_line(str(exc))}; no suggestion made")
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


# Capital letters A-Z, each optionally followed by dots, spaces or hyphens: "A.B.", "AB",
# "A.B.C.", "J-P. D.". No lower case at all ("Ann", "Bo Wu"), no accented letters ("Siân",
# "Zoë": names, not initials), at most three letters in a row ("JOHN", "MARY" are names) and
# at most five in all.
_INITIALS = re.compile(r"^(?:[A-Z][.\- ]*){1,5}$")


def are_initials(text: str) -> bool:
    """True when ``text`` is written as initials (see ``_INITIALS``), not as a name."""
    text = " ".join(text.split())
    return bool(_INITIALS.match(text)) and not re.search(r"[A-Z]{4,}", text)


def looks_like_a_name(text: str) -> bool:
    """The opposite of ``are_initials`` (kept for callers that ask it this way)."""
    return not are_initials(text)


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
