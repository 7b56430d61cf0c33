"""Shared strategies and a board for the fuzz suite: hostile input of every kind the worker
reads. Each property says: never a traceback, always a named problem, the rest processed."""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from o365flow.commands.init import CONFIG
from o365flow.configuration.loader import load_config
from o365flow.configuration.workflows import load_workflows

# FUZZ_EXAMPLES=2000 for a deeper run; the default keeps the suite fast.
settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
settings.load_profile("fuzz")

TZ = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)

# Text as people and attackers type it: any character but lone surrogates, with the awkward
# ones (line breaks, bidi overrides, NUL, formula starters, path parts) made likely.
AWKWARD = ["\r\n", "\n", "\u202e", "\u200b", "\x00", "=", "+", "@", "../", "CON", "A.B.", "Zo\u00eb", " ", "\t"]
text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.lists(st.sampled_from(AWKWARD) | st.text(max_size=5), max_size=8).map("".join),
)


@pytest.fixture(scope="session")
def config(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "o365flow.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return load_config(path)


@pytest.fixture(scope="session")
def workflows():
    return load_workflows()


GOOD_FORM = {
    "kind": "CPR", "subject_initials": "A.B.", "incident_date": "14/01/2026", "circumstances": "x",
    "protected_6_months": "No", "referring_agency": "Dyffryn Police", "referrer_name": "r",
    "referrer_email": "r@police.example.org",
}
TODAY = date(2026, 3, 2)
