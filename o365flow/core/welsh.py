"""Welsh as people write it: month names with their mutations, dates in Welsh, the glossary of
established terms, and the words that make an approval conditional. Pure.

Welsh mutates the first letter of a word after certain words, so a month is often written in
another form than its dictionary one: "o Fedi" (Medi), "ym Mehefin", "yng Ngorffennaf"
(Gorffennaf), "a Thachwedd" (Tachwedd), "i Fawrth" (Mawrth). ``month_number`` reads every form.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date

#: The dictionary forms, January to December.
MONTHS_CY = ("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst",
             "Medi", "Hydref", "Tachwedd", "Rhagfyr")
WEEKDAYS_CY = ("dydd Llun", "dydd Mawrth", "dydd Mercher", "dydd Iau", "dydd Gwener",
               "dydd Sadwrn", "dydd Sul")
_ABBREVIATIONS = ("ion", "chwef", "maw", "ebr", "mai", "meh", "gorff", "awst", "medi", "hyd",
                  "tach", "rhag")

# Soft, nasal and aspirate mutation of a word's first letter(s): what a form can start with
# instead of the radical. Vowel-initial months (Ionawr, Ebrill, Awst) can take an "h" after "ei".
_MUTATIONS = {
    "p": ("b", "mh", "ph"), "t": ("d", "nh", "th"), "c": ("g", "ngh", "ch"),
    "b": ("f", "m"), "d": ("dd", "n"), "g": ("", "ng"), "m": ("f",), "ll": ("l",), "rh": ("r",),
}


def _forms(word: str) -> set[str]:
    """Every form ``word`` (lower case) takes at the start: radical and mutated."""
    forms = {word}
    if word[0] in "aeiouwy":
        forms.add("h" + word)
    for radical in ("ll", "rh"):  # two-letter radicals first: "rh" is not "r"+"h"
        if word.startswith(radical):
            forms.update(m + word[2:] for m in _MUTATIONS[radical])
            return forms
    if word.startswith("ch"):  # ch does not mutate
        return forms
    for mutated in _MUTATIONS.get(word[0], ()):
        forms.add(mutated + word[1:])
    return forms


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for number, (name, short) in enumerate(zip(MONTHS_CY, _ABBREVIATIONS), start=1):
        for word in (name.lower(), short):
            for form in _forms(word):
                table.setdefault(form, number)
    return table


_MONTHS = _month_table()


def month_number(word: str) -> int | None:
    """1-12 for a Welsh month name in any mutated or abbreviated form ("Fedi", "Ngorffennaf",
    "Chwef"); None for anything else."""
    return _MONTHS.get(word.strip().strip(".").lower())


def welsh_date(day: date | None) -> str:
    """``29 Medi 2026``; "" for no date."""
    return f"{day.day} {MONTHS_CY[day.month - 1]} {day.year}" if day else ""


# Words that, straight after an approval phrase, make it something other than a sign-off:
# "Approved subject to ...", "Cymeradwyo yn amodol ar ...", "Approved, except ...".
CONDITIONAL = re.compile(
    r"^[\s,;:.\-\u2013\u2014(]*(?:"
    r"subject\s+to|conditional(?:ly)?|on\s+condition|provided|providing|pending|except|excluding|"
    r"with\s+the\s+exception|but\b|if\b|once\b|unless|in\s+principle|with\s+(?:amendments|changes|conditions|caveats)|"
    r"yn\s+amodol|amodol|ar\s+(?:yr\s+)?amod|gydag?\s+amod|ond\b|heblaw|os\b|oni\s+bai|unwaith|"
    r"mewn\s+egwyddor|gyda\s+newidiadau|gyda\s+diwygiadau"
    r")",
    re.IGNORECASE,
)


def is_conditional(rest: str) -> bool:
    """Does the text after an approval phrase qualify it (a condition, an exception)?"""
    return bool(CONDITIONAL.match(rest))


def parse_glossary(text: str, source: str = "glossary") -> dict[str, str]:
    """The ``[terms]`` table of a glossary file: English term -> Welsh term. Raises
    ``ValueError`` naming ``source`` when the text is not TOML or a term is not text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{source}: not valid TOML: {exc}") from None
    terms = data.get("terms", {})
    if not isinstance(terms, dict):
        raise ValueError(f"{source}: [terms] must be a table of \"English\" = \"Cymraeg\" lines")
    bad = [k for k, v in terms.items() if not isinstance(v, str) or not v.strip()]
    if bad:
        raise ValueError(f"{source}: terms.{bad[0]} must be Welsh text")
    return {k: v.strip() for k, v in terms.items()}


class Glossary:
    """Established Welsh terms looked up by their English form (case and spacing ignored)."""

    def __init__(self, terms: dict[str, str] | None = None):
        self.terms = dict(terms or {})
        self._index = {_key(k): v for k, v in self.terms.items()}

    def merged(self, override: dict[str, str]) -> "Glossary":
        """A glossary where ``override`` (a board's own file) wins term by term."""
        return Glossary({**self.terms, **override})

    def welsh(self, english: object) -> str:
        """The Welsh term for ``english``, or the text as it is when the glossary has none
        (a name the board has not translated is better shown than lost)."""
        text = "" if english is None else str(english)
        return self._index.get(_key(text), text)

    def __getitem__(self, english: str) -> str:
        return self.welsh(english)


def _key(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


def welsh_date_text(value: object, parse) -> str:
    """A date (``date`` or text such as "14 February 2026" or "2026-02-14") written in Welsh;
    text that is not a date is returned as it is. ``parse`` is ``parsing.parse_date``."""
    if value is None or value == "":
        return ""
    try:
        return welsh_date(parse(value))
    except ValueError:
        return str(value)
