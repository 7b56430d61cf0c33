"""``[themes]``: the board's own learning themes (replacing the default list)."""

from __future__ import annotations

from o365flow.configuration.checks import Problems, Table, shown
from o365flow.core.settings import DEFAULT_THEMES


def themes(problems: Problems, raw: object) -> tuple[str, ...]:
    t = Table(problems, "themes", raw, ("list",))
    names = t.raw.get("list", list(DEFAULT_THEMES))
    if not (isinstance(names, list) and names and all(isinstance(n, str) and n.strip() and n.isprintable() for n in names)):
        t.bad("list", 'must be a list of themes, e.g. ["Information sharing", "Neglect"]')
        return DEFAULT_THEMES
    clean = [" ".join(n.split()) for n in names]
    bad = [n for n in clean if ";" in n or "," in n]
    if bad:
        t.bad("list", f"{shown(bad[0])}: a theme cannot hold ';' or ',' (they separate themes in a cell)")
    folded = [m.casefold() for m in clean]
    twice = sorted({n for n in clean if folded.count(n.casefold()) > 1})
    if twice:
        t.bad("list", f"{shown(twice[0])} is listed twice")
    return tuple(dict.fromkeys(clean))
