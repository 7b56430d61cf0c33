"""Themes typed that are not on the board's list. Pure.

The Learning sheet, ``status`` and ``report`` count only the board's own themes (``[themes]
list``), so a misspelt theme ("Negelct") would quietly not be counted. Each one is told to the
coordinator instead: a warning of the pass, and a line under "Needs you today" in the digest
(one line a case: the digest joins what it says about a case).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from o365flow.plan.boardfigures import unknown_themes

# A theme is a few words: a longer entry is described, not quoted, in case it holds more than
# a theme (the digest leaves the register).
_QUOTED = 40


def theme_problems(
    ref: str, row: Mapping[str, object] | None, actions: Iterable[Mapping[str, object]], themes: tuple[str, ...]
) -> list[str]:
    """One line per theme of case ``ref`` not on ``themes``: from its ``Themes`` cell in the
    register and the ``Theme`` cells of its action plan (each theme once, in the order met)."""
    out: list[str] = []
    for where, cells in (("in the register", [(row or {}).get("Themes")]),
                         ("in the action plan", [a.get("Theme") for a in actions])):
        seen: list[str] = []
        for cell in cells:
            for theme in unknown_themes(cell, themes):
                if theme.casefold() not in seen:
                    seen.append(theme.casefold())
                    out.append(f"{ref}: {_named(theme)} {where} is not on the board's themes list; "
                               "correct it or add it to [themes]")
    return out


def _named(theme: str) -> str:
    if len(theme) <= _QUOTED:
        return f"theme '{theme}'"
    return f"a theme of {len(theme)} characters"


__all__ = ["theme_problems"]
