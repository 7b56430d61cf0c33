"""Configuration: one TOML file -> a validated, frozen ``Config``.

Each table has its own validator (``configuration.tables``); every key is typed, a key no table
knows is refused by name, and every problem in the file is collected and reported together,
each naming its key and the fix. Nothing here reads the environment except
``find_config_path`` (the ``$O365FLOW_CONFIG`` fallback), called by the CLI."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from o365flow.configuration import reviewbodies
from o365flow.configuration.checks import Problems, shown
from o365flow.configuration.tables import agencies as agency_tables
from o365flow.configuration.tables import board as board_tables
from o365flow.configuration.tables.mail import MAIL_BACKENDS, MAIL_KEYS, mail
from o365flow.configuration.tables.microsoft365 import microsoft365
from o365flow.configuration.tables.schedule import learning_events, reminders
from o365flow.configuration.tables.site import folder, site
from o365flow.configuration.tables.themes import themes
from o365flow.core.settings import Config
from o365flow.configuration.placeholders import problems as placeholder_problems
from o365flow.errors import ConfigError

__all__ = ["MAIL_BACKENDS", "MAIL_KEYS", "TABLES", "find_config_path", "load_config", "build_config"]

#: The tables a configuration file may hold.
TABLES = (
    "board", "site", "state", "templates", "workflows", "coordinator", "mail", "reminders",
    "learning_events", "signoff", "access", "calendar", "microsoft365", "agencies", "themes",
    "case_review_group", "submission", "dissemination",
)


def find_config_path(option: str | None) -> Path:
    """``--config``, else ``$O365FLOW_CONFIG``, else ``./o365flow.toml``."""
    return Path(option or os.environ.get("O365FLOW_CONFIG") or "o365flow.toml")


def load_config(path: Path) -> Config:
    """Read and validate; raises ConfigError listing every problem."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(
            f"no configuration at {path}",
            hint="run 'o365flow init DIR' to make one, or pass --config PATH",
        )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        message = " ".join(str(exc).split())
        raise ConfigError(f"{path}: not valid TOML: {message}", hint="fix the line named") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read it: {exc}") from None
    unfilled = placeholder_problems(raw)
    if unfilled:  # a config from 'o365flow init' not yet finished: name only what is left to do
        raise ConfigError(
            f"{path}: {len(unfilled)} value(s) still to fill in",
            [f"{path.name}: {p}" for p in unfilled],
            hint="replace each 'FILL IN: ...' value, then run 'o365flow check' again",
        )
    return build_config(path, raw)


def build_config(path: Path, raw: dict) -> Config:
    """The ``Config`` of a parsed TOML document; ConfigError listing every problem."""
    path = path.resolve()
    base = path.parent
    problems = Problems(path)
    for key in raw:
        if key not in TABLES:
            if key.endswith(("secret", "password", "token")):
                problems.add(key, "secrets never go in the config; put it in an environment variable "
                                  "and name that variable in a *_env key")
            else:
                problems.add(key, f"is not a table o365flow knows; the tables are {', '.join(TABLES)}")
    b = board_tables.board(problems, raw.get("board"))
    s = site(problems, raw.get("site"), base)
    mail_settings = mail(problems, raw.get("mail"), base)
    m365 = microsoft365(problems, raw.get("microsoft365"), base,
                        sharepoint=s.backend == "sharepoint", graph_mail=mail_settings.backend == "graph"
                        or (mail_settings.backend == "smtp" and mail_settings.smtp_auth == "oauth2"))
    members = agency_tables.agencies(problems, raw.get("agencies", []))
    who, named = agency_tables.signoff(problems, raw.get("signoff"), {a.code for a in members})
    group = reviewbodies.case_review_group(raw, {a.code for a in members}, problems.add)
    submit = reviewbodies.submission(raw, problems.add)
    markings = reviewbodies.withhold_markings(raw, problems.add)
    rem = reminders(problems, raw.get("reminders"))
    events = learning_events(problems, raw.get("learning_events"))
    coordinator_name, coordinator_email = board_tables.coordinator(problems, raw.get("coordinator"))
    state_dir = folder(problems, "state", raw.get("state"), "path", "state", base)
    if state_dir is None:
        problems.add("state.path", "is required: the folder for o365flow's own records, e.g. \"state\"")
    templates = folder(problems, "templates", raw.get("templates"), "folder", "", base)
    workflows = folder(problems, "workflows", raw.get("workflows"), "folder", "", base)
    access = board_tables.access(problems, raw.get("access"))
    closures = board_tables.calendar(problems, raw.get("calendar"))
    board_themes = themes(problems, raw.get("themes"))
    if problems:
        raise ConfigError(
            f"{path}: {len(problems.items)} problem(s) in the configuration",
            problems.items,
            hint="fix each key named, then run 'o365flow check'",
        )
    return Config(
        path=path,
        board_name=b.name,
        board_code=b.code,
        timezone=b.timezone,
        backend=s.backend,
        site_path=s.site_path,
        referrals_library=s.referrals,
        reviews_library=s.reviews,
        register_library=s.register_library,
        register_path=s.register_path,
        state_dir=state_dir or base / "state",  # None only with a problem reported above
        templates_dir=templates,
        workflows_dir=workflows,
        coordinator_name=coordinator_name,
        coordinator_email=coordinator_email,
        mail=mail_settings,
        agencies=members,
        reminder_days_before=rem.days_before,
        reminder_days_after=rem.days_after,
        escalate_after_days=rem.escalate_after_days,
        amber_days=rem.amber_days,
        digest_time=rem.digest_time,
        signoff_agencies=who,
        signoff_named=named,
        access_group=access,
        closure_days=closures,
        microsoft365=m365,
        learning_events=events,
        board_address=b.address,
        themes=board_themes,
        case_review_group=group,
        submission=submit,
        withhold_markings=markings,
    )


# ``shown`` is the one way a refused value is echoed; re-exported for the commands.
__all__.append("shown")
