"""``[[agencies]]`` and ``[signoff]``: the member agencies and who signs off action plans."""

from __future__ import annotations

from o365flow.configuration.checks import DOMAIN, Problems, Table, shown
from o365flow.configuration.tables.board import CODE
from o365flow.core.settings import Agency

AGENCY_KEYS = ("code", "name", "contact", "domains", "signoff", "senior_contact", "dissemination", "language")


def agencies(problems: Problems, raw: object) -> tuple[Agency, ...]:
    if not isinstance(raw, list) or not raw:
        problems.add("agencies", "list the member agencies as [[agencies]] tables (code, name, contact)")
        return ()
    found, seen = [], set()
    for i, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            problems.add(f"agencies[{i}]", "must be a table with code, name and contact")
            continue
        t = Table(problems, f"agencies[{i}]", entry, AGENCY_KEYS)
        code = t.text("code", required=True, example='"POLICE"')
        if code and not CODE.match(code):
            t.bad("code", f"{shown(code)} must be 2-12 capital letters or digits")
        if code and code in seen:
            t.bad("code", f"{shown(code)} is used by another agency")
        seen.add(code)
        contact = t.email("contact", required=True)
        domains = t.raw.get("domains", [])
        if isinstance(domains, str):
            domains = [domains]
        if not isinstance(domains, list):
            t.bad("domains", f"{shown(domains)} must be a list of mail domains, e.g. [\"police.example.uk\"]")
            domains = []
        good = []
        for d in domains:
            if isinstance(d, str) and DOMAIN.match(d):
                good.append(d.lower())
            else:
                t.bad("domains", f"{shown(d)} is not a mail domain, e.g. police.example.uk")
        spread = t.emails("dissemination")
        found.append(
            Agency(
                code=code,
                name=t.text("name", required=True, example='"Dyffryn Police"'),
                contact=contact,
                domains=tuple(good),
                signoff=t.boolean("signoff", True),
                senior_contact=t.email("senior_contact", ""),
                dissemination=spread or ((contact,) if contact else ()),
                language=t.choice("language", "", ("", "en", "cy", "cy+en"), fix="'en', 'cy' or 'cy+en' (Welsh first)"),
            )
        )
    return tuple(found)


def signoff(problems: Problems, raw: object, codes: set[str]) -> tuple[tuple[str, ...], bool]:
    """``(signoff_agencies, signoff_named)`` from ``[signoff] agencies``."""
    t = Table(problems, "signoff", raw, ("agencies",))
    who = t.raw.get("agencies", "all")
    if who in ("all", "named"):
        return (), who == "named"
    if isinstance(who, list) and all(isinstance(c, str) for c in who):
        for c in who:
            if c not in codes:
                t.bad("agencies", f"{shown(c)} is not the code of an [[agencies]] entry")
        return tuple(c for c in who if c in codes), False
    t.bad("agencies", 'must be "all", "named" or a list of agency codes')
    return (), False
