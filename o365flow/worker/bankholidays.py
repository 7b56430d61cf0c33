"""The Welsh bank holiday calendar, kept in the state store between passes.

Working out a year from the ``holidays`` package means importing it (hundreds of modules, more
than the rest of a quiet pass), so each year is worked out once and kept. The calendar is
derived data: lost, it is simply worked out again.
"""

from __future__ import annotations

import json
from datetime import date

from o365flow.core.deadlines import known_bank_holidays, remember_bank_holidays
from o365flow.worker.state import State

KEY = "calendar/wales"


def load(state: State) -> None:
    """Give the core every year of the calendar the state store keeps."""
    try:
        kept = json.loads(state.get(KEY) or "{}")
        remember_bank_holidays({int(y): [date.fromisoformat(d) for d in days] for y, days in kept.items()})
    except (ValueError, TypeError, AttributeError):
        pass  # a damaged cache is worked out again


def save(state: State) -> None:
    """Keep any year this process worked out (writes only when there is a new one)."""
    known = {str(y): sorted(d.isoformat() for d in days) for y, days in sorted(known_bank_holidays().items())}
    text = json.dumps(known, sort_keys=True)
    if known and text != (state.get(KEY) or "{}"):
        state.put(KEY, text)
