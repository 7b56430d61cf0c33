"""The Welsh glossary templates share, and the Jinja filters that write Welsh.

One file holds the established terms: ``templates/glossary.cy.toml`` (shipped), with a board's
own ``glossary.cy.toml`` in its templates folder read over it term by term (the board's Welsh
name, its agencies' names, a term its translation service prefers). Mail and Word templates
use the same filters:

- ``{{ case.kind_name|cy }}``: the glossary's Welsh for an English term, or the text unchanged;
- ``{{ case.signoff_due|cy_date }}``: a date ("14 March 2026", "2026-03-14") as "14 Mawrth 2026".
"""

from __future__ import annotations

from pathlib import Path

from o365flow.core.parsing import parse_date
from o365flow.core.welsh import Glossary, parse_glossary, welsh_date_text
from o365flow.data import shipped
from o365flow.errors import ConfigError

GLOSSARY_FILE = "glossary.cy.toml"


def _read(path: Path) -> dict[str, str]:
    try:
        return parse_glossary(path.read_text(encoding="utf-8-sig"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the Welsh glossary {path}: {exc}") from None
    except ValueError as exc:
        raise ConfigError(str(exc), hint="fix the line named; each term is \"English\" = \"Cymraeg\"") from None


def load_glossary(template_roots: list[Path] | tuple[Path, ...] = ()) -> Glossary:
    """The shipped glossary with each of ``template_roots`` (templates folders, the board's
    first) read over it; the first folder's term wins. ``ConfigError`` for a file that is not a
    glossary."""
    glossary = Glossary(_read(shipped("templates") / GLOSSARY_FILE))
    for root in reversed([Path(r) for r in template_roots]):
        path = root / GLOSSARY_FILE
        if path.is_file() and path.resolve() != (shipped("templates") / GLOSSARY_FILE).resolve():
            glossary = glossary.merged(_read(path))
    return glossary


def language_filters(glossary: Glossary) -> dict:
    """The filters Welsh templates use: ``cy`` (a glossary term) and ``cy_date``."""
    return {"cy": glossary.welsh, "cy_date": lambda value: welsh_date_text(value, parse_date)}
