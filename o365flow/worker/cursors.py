"""Where the pass left off: delta cursors, the case-file index and document caches, kept in the
state store only once the pass has applied its actions (gather reads them, never writes them)."""

from __future__ import annotations

from o365flow.plan.facts import Facts
from o365flow.worker.state import State

INBOX_CURSOR = "cursor/inbox"


def library_cursor(library: str) -> str:
    """The state key of a library's change cursor."""
    return f"cursor/{library}"


def keep(state: State, values: dict[str, str]) -> None:
    """Store ``values`` (state key -> text), those that changed, together."""
    changed = {k: v for k, v in values.items() if state.get(k) != v}
    if not changed:
        return
    with state.tx() as db:
        for key, value in changed.items():
            state.put(key, value, db)


def keep_inbox_cursor(state: State, facts: Facts) -> None:
    """Move the mailbox's cursor on only once every reply read this pass was handled, so a
    reply whose handling failed is read again next time."""
    if facts.inbox_cursor and not ({m.key for m in facts.messages} - state.processed_keys()):
        state.put(INBOX_CURSOR, facts.inbox_cursor)
