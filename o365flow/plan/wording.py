"""How a deadline reads to a coordinator: "Welsh Government to be notified by 23 March 2026",
"Action plan sign-off due by 31 August 2026". Pure; one date style (``3 August 2026``)."""

from __future__ import annotations

from datetime import date


_PARTICIPLES = frozenset({"held", "sent", "made", "done", "given", "written", "set"})


def long_date(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def due_phrase(label: str, day: date | None, overdue: bool = False) -> str:
    """A deadline label (from the workflow file) and its date as a sentence fragment.

    A label that states the step done ("Review completed", "Welsh Government notified") reads
    as what is to be done ("Review to be completed by ..."); any other ("Action plan sign-off")
    as "... due by ..."; ``overdue`` says "was due on".
    """
    words = label.split()
    when = long_date(day)
    at = next((i for i, w in enumerate(words) if i and w[:1].islower() and (w.endswith("ed") or w in _PARTICIPLES)), None)
    if at is not None:
        done = f"{' '.join(words[:at])} to be {' '.join(words[at:])}" if not overdue else label
        return f"{done} by {when}" if not overdue else f"{' '.join(words[:at])} not yet {' '.join(words[at:])}: was due {when}"
    return f"{label} {'was due' if overdue else 'due by'} {when}"
