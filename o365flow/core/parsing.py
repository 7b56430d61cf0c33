"""Reading values as people in Wales type them: dates, yes/no, kinds of review. Pure.

Every function raises ``ValueError`` with a message fit to show a coordinator (it names what
was expected, never echoes long free text).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from o365flow.core.welsh import month_number
from o365flow.errors import quoted

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
# Any words before the day ("Saturday", "ar ddydd Llun,"), an English or Welsh ordinal ("14th",
# "3ydd", "1af"), "of"/"o" or "ym"/"yng"/"yn" before the month ("y 3ydd o Fedi 2026").
_WORDS = re.compile(
    r"^(?:[^\d]*?[\s,])?(\d{1,2})(?:st|nd|rd|th|af|il|ydd|edd|ed|fed|eg|ain)?\s+"
    r"(?:(?:of|o|ym|yng|yn)\s+)?([a-z]+)\.?,?\s+(\d{4})\.?$"
)

DATE_FORMATS_HINT = "write it as 14/02/2026, 14 February 2026 or 2026-02-14"


def parse_date(value: object) -> date:
    """A date from a cell or a form: a ``date``/``datetime``, or text in a UK form.

    Accepts ``14/02/2026`` (day first; ``14-02-26`` and ``14.02.2026`` too), ``14 February 2026``
    (``14th Feb 2026``, ``Saturday 14 February 2026``), the same in Welsh (``14 Chwefror 2026``,
    ``dydd Llun 3 Awst 2026``, ``y 3ydd o Fedi 2026``: any mutated form of a month), and ISO
    ``2026-02-14``.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = " ".join(str(value).strip().lower().split())
    if not text:
        raise ValueError("is empty")
    try:
        if m := _ISO.match(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC.match(text):
            year = int(m[3])
            if len(m[3]) == 2:
                year += 2000
            return date(year, int(m[2]), int(m[1]))
        if m := _WORDS.match(text):
            month = _MONTHS.get(m[2]) or month_number(m[2])
            if month:
                return date(int(m[3]), month, int(m[1]))
    except ValueError:
        raise ValueError(f"{quoted(str(value).strip(), 40)} is not a real date") from None
    raise ValueError(f"{quoted(str(value).strip(), 40)} is not a date; {DATE_FORMATS_HINT}")


def parse_optional_date(value: object) -> date | None:
    """Like ``parse_date`` but blank (None or white space) means "not yet"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value)


# Welsh answers yes and no with the verb of the question: ydy/oes/oedd/do/ydw, nac ydy/...
_YES = {"yes", "y", "true", "ydy", "oes", "ie", "oedd", "do", "ydw", "ydi", "roedd"}
_NO = {"no", "n", "false", "nac ydy", "nac oes", "na", "nac oedd", "naddo", "nac ydw", "nac ydi", "nag oedd", "nag ydy"}


def parse_yes_no(value: object) -> bool | None:
    """Yes/No as typed (``Yes``, ``no``, ``Y``); blank gives None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower().rstrip(".")
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    parts = {p.strip().rstrip(".") for p in text.split("/")}
    if len(parts) > 1 and (parts <= _YES or parts <= _NO):  # a bilingual answer: "Oedd / Yes"
        return parts <= _YES
    raise ValueError(f"{quoted(str(value).strip(), 40)} is not Yes or No")


KINDS = ("CPR", "APR", "SUSR", "MAPF")
_KIND_NAMES = {
    "cpr": "CPR",
    "child practice review": "CPR",
    "apr": "APR",
    "adult practice review": "APR",
    "susr": "SUSR",
    "single unified safeguarding review": "SUSR",
    "forum": "MAPF",
    "mapf": "MAPF",
    "multi-agency professional forum": "MAPF",
    "multi agency professional forum": "MAPF",
    "professional forum": "MAPF",
    # Welsh (the glossary's terms) and the bilingual form's choices
    "adolygiad ymarfer plant": "CPR",
    "adolygiad ymarfer oedolion": "APR",
    "adolygiad diogelu unedig sengl": "SUSR",
    "fforwm": "MAPF",
    "fforwm amlasiantaethol proffesiynol": "MAPF",
    "fforwm / forum": "MAPF",
}


def parse_kind(value: object) -> str:
    """The kind code (CPR, APR, SUSR, MAPF) from ``Review requested`` as written on a form."""
    text = " ".join(str(value or "").strip().lower().replace("–", "-").split())
    text = re.sub(r"\s*\((cpr|apr|susr|mapf)\)$", "", text)
    if not text:
        raise ValueError("is empty; write CPR, APR, SUSR or Forum")
    if text in _KIND_NAMES:
        return _KIND_NAMES[text]
    raise ValueError(f"{quoted(str(value).strip(), 40)} is not one of CPR, APR, SUSR or Forum")


def normalise_label(text: str) -> str:
    """A form label compared as people mean it: case and surrounding/inner space ignored."""
    return " ".join(str(text).replace(":", " ").split()).lower()
