"""The bodies outside the member agencies that a review deals with, read from the config:

- ``[case_review_group]``: the group a workflow may name as the signer of its action plans (a
  SUSR's Case Review Group): ``name``, ``code`` (shown on the Sign-offs sheet, default ``CRG``),
  ``members`` (addresses whose replies count as its sign-off, and who receive its request).
- ``[submission]``: who receives the approved report and action plan: ``welsh_ministers``,
  ``nisb`` (the National Independent Safeguarding Board), ``inspectorates`` (a list, optional).
- ``[dissemination]``: ``withhold_markings``, protective markings that stop a file being shared
  (default: "not for onward circulation").
"""

from __future__ import annotations

import re

from o365flow.core.settings import Agency

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CODE = re.compile(r"^[A-Z0-9]{2,12}$")


def _addresses(value, key: str, problem) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problem(key, "must be a list of e-mail addresses")
        return ()
    out = []
    for v in value:
        if not isinstance(v, str) or not _EMAIL.match(v.strip()):
            problem(key, f"'{v}' is not an e-mail address")
            continue
        out.append(v.strip().lower())
    return tuple(out)


def case_review_group(raw: dict, agency_codes: set[str], problem) -> Agency:
    """The ``[case_review_group]`` table as a signer (defaults: "Case Review Group", CRG, no members)."""
    table = raw.get("case_review_group", {})
    if not isinstance(table, dict):
        problem("case_review_group", "must be a table with name, code and members")
        table = {}
    code = str(table.get("code", "CRG"))
    if not _CODE.match(code):
        problem("case_review_group.code", f"'{code}' must be 2-12 capital letters or digits, e.g. CRG")
    if code in agency_codes:
        problem("case_review_group.code", f"'{code}' is also an agency's code; give the group its own")
    members = _addresses(table.get("members", []), "case_review_group.members", problem)
    return Agency(
        code=code,
        name=str(table.get("name", "Case Review Group")),
        contact=members[0] if members else "",
        signoff=False,
        members=members,
    )


def submission(raw: dict, problem) -> dict:
    """``[submission]``: addresses for the approved report and action plan."""
    table = raw.get("submission", {})
    if not isinstance(table, dict):
        problem("submission", "must be a table with welsh_ministers, nisb and inspectorates")
        return {}
    out: dict[str, str | tuple[str, ...]] = {}
    for key in ("welsh_ministers", "nisb"):
        if table.get(key):
            found = _addresses(table[key], f"submission.{key}", problem)
            if found:
                out[key] = found[0]
    out["inspectorates"] = _addresses(table.get("inspectorates", []), "submission.inspectorates", problem)
    return out


DEFAULT_MARKINGS = ("not for onward circulation",)


def withhold_markings(raw: dict, problem) -> tuple[str, ...]:
    """``[dissemination] withhold_markings``: words that, in a file's body, header or footer,
    stop it being shared (case ignored)."""
    table = raw.get("dissemination", {})
    value = table.get("withhold_markings", list(DEFAULT_MARKINGS)) if isinstance(table, dict) else None
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problem("dissemination.withhold_markings", "must be a list of words, e.g. [\"not for onward circulation\"]")
        return DEFAULT_MARKINGS
    return tuple(" ".join(v.lower().split()) for v in value)
