"""The ``FILL IN: ...`` placeholders ``o365flow init`` writes: a config still holding one is
refused, each named by its key, so a half-finished config never runs as if it were a board's."""

from __future__ import annotations

#: What every placeholder value starts with.
MARK = "FILL IN:"


def placeholders(raw: object, key: str = "") -> list[str]:
    """Every key (``board.name``, ``agencies[1].contact``) whose value is still a placeholder."""
    found: list[str] = []
    if isinstance(raw, dict):
        for name, value in raw.items():
            found += placeholders(value, f"{key}.{name}" if key else str(name))
    elif isinstance(raw, list):
        for i, value in enumerate(raw, 1):
            found += placeholders(value, f"{key}[{i}]")
    elif isinstance(raw, str) and raw.strip().upper().startswith(MARK):
        found.append(key)
    return found


def problems(raw: dict) -> list[str]:
    """One line per placeholder still in the config, with what to put there."""
    return [f"{key}: still the placeholder from 'o365flow init'; put the board's own value there" for key in placeholders(raw)]
