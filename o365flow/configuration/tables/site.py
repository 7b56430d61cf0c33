"""``[site]``, ``[state]``, ``[templates]`` and ``[workflows]``: where the board's files are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from o365flow.configuration.checks import Problems, Table, shown


@dataclass(frozen=True)
class SiteTable:
    backend: str
    site_path: Path | None
    referrals: str
    reviews: str
    register_library: str
    register_path: str


def site(problems: Problems, raw: object, base: Path) -> SiteTable:
    t = Table(problems, "site", raw, ("backend", "path", "referrals", "reviews", "register"))
    backend = t.choice("backend", "local", ("local", "sharepoint"))
    site_path = t.path("path", "site", base) if backend == "local" else None
    referrals = t.library("referrals", "Referrals", "a document library")
    reviews = t.library("reviews", "Reviews", "a document library")
    register = t.text("register", "Register/Practice Review Register.xlsx").strip("/")
    library, _, path = register.partition("/")
    parts = path.split("/")
    if not path.lower().endswith(".xlsx") or any(p in ("", ".", "..") for p in [library, *parts]) or "\\" in register:
        t.bad("register", f"{shown(register)} must be LIBRARY/path/name.xlsx, e.g. \"Register/Practice Review Register.xlsx\"")
        library, path = "Register", "Practice Review Register.xlsx"
    return SiteTable(backend, site_path, referrals, reviews, library, path)


def folder(problems: Problems, name: str, raw: object, key: str, default: str, base: Path) -> Path | None:
    """The one path a ``[state]``, ``[templates]`` or ``[workflows]`` table holds."""
    t = Table(problems, name, raw, (key,))
    return t.path(key, default, base)
