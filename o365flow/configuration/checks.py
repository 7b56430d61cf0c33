"""Typed readers for one TOML table: every key has a type, a key the table does not know is
refused by name, and every problem is collected (never raised) so ``check`` lists them all.

A value echoed in a message has its control characters escaped (``shown``): a refused value
holding a line break must not forge a second line in a log.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from o365flow.errors import quoted

EMAIL = re.compile(r"^[^@\s<>\"',;]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
DOMAIN = re.compile(r"^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# Keys that would hold a secret: they are refused with the way to give it instead.
_SECRET = re.compile(r"(secret|password|passwd|token|private_key)$", re.IGNORECASE)


def shown(value: object, limit: int = 80) -> str:
    """``value`` quoted for a one-line message: control and bidi characters escaped, long text
    shortened."""
    return quoted(value if isinstance(value, str) else repr(value), limit)


class Problems:
    """Every problem found in one configuration file, each ``file: key: message``."""

    def __init__(self, path: Path):
        self.path = path
        self.items: list[str] = []

    def add(self, key: str, message: str) -> None:
        self.items.append(f"{self.path.name}: {key}: {message}")

    def __bool__(self) -> bool:
        return bool(self.items)


class Table:
    """One table of the file. ``keys``: every key it may hold (others are refused by name)."""

    def __init__(self, problems: Problems, name: str, raw: object, keys: tuple[str, ...], secret_hint: str = ""):
        self.problems, self.name, self.keys = problems, name, keys
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            problems.add(name, f"must be a table, e.g. [{name}]")
            raw = {}
        self.raw = raw
        for key in raw:
            if key in keys:
                continue
            if _SECRET.search(key):
                problems.add(
                    self.key(key),
                    "secrets never go in the config; "
                    + (secret_hint or "put it in an environment variable and name that variable in a *_env key"),
                )
            else:
                problems.add(self.key(key), f"is not a [{name}] key; the keys are {', '.join(keys)}")

    def key(self, key: str) -> str:
        return f"{self.name}.{key}"

    def has(self, key: str) -> bool:
        return key in self.raw

    def bad(self, key: str, message: str) -> None:
        self.problems.add(self.key(key), message)

    # -- scalars ----------------------------------------------------------------------------------
    def text(self, key: str, default: str = "", required: bool = False, example: str = "") -> str:
        """Text, stripped. Control characters are refused: a value may end up in a mail header."""
        value = self.raw.get(key, default)
        if not isinstance(value, str):
            self.bad(key, f"must be text in quotes, not {shown(value)}" + (f", e.g. {example}" if example else ""))
            return default
        value = value.strip()
        if required and not value:
            self.bad(key, "is required" + (f", e.g. {example}" if example else ""))
        elif not value.isprintable():
            self.bad(key, f"{shown(value)} holds a line break or control character; write it on one line")
            return default
        return value

    def choice(self, key: str, default: str, options: tuple[str, ...], fix: str = "") -> str:
        value = self.raw.get(key, default)
        if value not in options:
            listed = ", ".join(f"'{o}'" for o in options[:-1]) + f" or '{options[-1]}'"
            self.bad(key, f"{shown(value)} must be {fix or listed}")
            return default
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            self.bad(key, f"{shown(value)} must be true or false (without quotes)")
            return default
        return value

    def whole(self, key: str, default: int, minimum: int = 0, maximum: int | None = None, fix: str = "") -> int:
        value = self.raw.get(key, default)
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= minimum
        if ok and maximum is not None and value > maximum:
            ok = False
        if not ok:
            self.bad(key, f"{shown(value)} must be {fix or f'a whole number, e.g. {default}'}")
            return default
        return value

    def days(self, key: str, default: list[int], minimum: int, fix: str) -> list[int]:
        value = self.raw.get(key, default)
        if not (isinstance(value, list) and all(
                isinstance(d, int) and not isinstance(d, bool) and minimum <= d <= 3660 for d in value)):
            self.bad(key, f"{shown(value)} must be {fix}")
            return list(default)
        return value

    def hhmm(self, key: str, default: str) -> str:
        value = self.raw.get(key, default)
        if not (isinstance(value, str) and HHMM.match(value)):
            self.bad(key, f"{shown(value)} must be HH:MM in quotes, e.g. \"{default}\"")
            return default
        return value

    def email(self, key: str, default: str = "", required: bool = False) -> str:
        value = self.text(key, default, required=required, example="name@board.example.org")
        if value and not EMAIL.match(value):
            self.bad(key, f"{shown(value)} is not an e-mail address")
            return ""
        return value.lower()

    def emails(self, key: str) -> tuple[str, ...]:
        """A list of addresses (one address alone is accepted too)."""
        value = self.raw.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.bad(key, f"{shown(value)} must be a list of e-mail addresses")
            return ()
        found = []
        for item in value:
            if isinstance(item, str) and EMAIL.match(item.strip()):
                found.append(item.strip().lower())
            else:
                self.bad(key, f"{shown(item)} is not an e-mail address")
        return tuple(found)

    def day(self, key: str) -> date | None:
        from o365flow.core.parsing import parse_date

        if key not in self.raw:
            return None
        value = self.raw[key]
        try:
            if isinstance(value, (str, date, datetime)):
                return parse_date(value)
        except ValueError:
            pass
        self.bad(key, f"{shown(value)} must be a date, e.g. 2026-04-01")
        return None

    def path(self, key: str, default: str, base: Path) -> Path | None:
        """A path, relative to the config file's folder unless absolute; None when blank."""
        value = self.text(key, default)
        if not value:
            return None
        p = Path(value)
        return p if p.is_absolute() else base / p

    def library(self, key: str, default: str, what: str) -> str:
        """A library or folder name: one path part, no slash, no dot-only names."""
        value = self.text(key, default)
        if value and (re.search(r"[/\\:*?\"<>|#%]", value) or value.strip(". ") == "" or value != value.rstrip(". ")):
            self.bad(key, f"{shown(value)} must be the name of {what}, e.g. \"{default}\"")
            return default
        return value or default
