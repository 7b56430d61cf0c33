"""Configuration: one TOML file -> a validated, frozen ``Config``. Every problem is collected and
reported together, each naming its key and the fix. Nothing here reads the environment except
``find_config_path`` (the ``$O365FLOW_CONFIG`` fallback), called by the CLI."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from o365flow.core.settings import DEFAULT_APPROVAL_PHRASES, Agency, Config, MailSettings
from o365flow.errors import ConfigError

_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,11}$")
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_DOMAIN = re.compile(r"^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


#: Every key the ``[mail]`` table may hold; any other is reported by name.
MAIL_KEYS = (
    "backend", "from", "outbox", "inbox", "approval_phrases", "language",
    "smtp_host", "smtp_port", "smtp_security", "smtp_username_env", "smtp_password_env",
    "mailbox", "processed_category", "mark_read", "read_since",
)
MAIL_BACKENDS = ("outbox", "smtp", "graph")


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
        raise ConfigError(f"{path}: not valid TOML: {exc}", hint="fix the line named") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it: {exc}") from None
    return _Validator(path, raw).build()


class _Validator:
    def __init__(self, path: Path, raw: dict):
        self.path, self.raw, self.problems = path.resolve(), raw, []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{self.path.name}: {key}: {message}")

    def table(self, name: str) -> dict:
        value = self.raw.get(name, {})
        if not isinstance(value, dict):
            self.problem(name, "must be a table, e.g. [" + name + "]")
            return {}
        return value

    def text(self, table: dict, tname: str, key: str, default: str | None = None) -> str:
        value = table.get(key, default)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.problem(f"{tname}.{key}", "is required")
            return ""
        if not isinstance(value, str):
            self.problem(f"{tname}.{key}", f"must be text, not {value!r}")
            return ""
        return value.strip()

    def rel(self, value: str | None) -> Path | None:
        if not value:
            return None
        p = Path(value)
        return p if p.is_absolute() else (self.path.parent / p)

    def email(self, key: str, value: str) -> str:
        if value and not _EMAIL.match(value):
            self.problem(key, f"'{value}' is not an e-mail address")
        return value.lower()

    def build(self) -> Config:
        board, site = self.table("board"), self.table("site")
        state, coord, mail = self.table("state"), self.table("coordinator"), self.table("mail")
        rem, signoff = self.table("reminders"), self.table("signoff")
        board_name = self.text(board, "board", "name")
        code = self.text(board, "board", "code")
        if code and not _CODE.match(code):
            self.problem("board.code", f"'{code}' must be 2-12 capital letters or digits, e.g. NWSB")
        tz = board.get("timezone", "Europe/London")
        try:
            ZoneInfo(str(tz))
        except (ZoneInfoNotFoundError, ValueError):
            self.problem("board.timezone", f"'{tz}' is not a time zone; use e.g. Europe/London")
        backend = site.get("backend", "local")
        if backend not in ("local", "sharepoint"):
            self.problem("site.backend", f"'{backend}' must be 'local' or 'sharepoint'")
        site_path = self.rel(site.get("path", "site")) if backend == "local" else None
        register = str(site.get("register", "Register/Practice Review Register.xlsx")).strip("/")
        reg_library, _, reg_path = register.partition("/")
        if not reg_path.lower().endswith(".xlsx"):
            self.problem("site.register", f"'{register}' must be LIBRARY/path/name.xlsx")
        m365 = self.table("microsoft365")
        if backend == "sharepoint":
            for key in ("tenant_id", "client_id", "site_url"):
                self.text(m365, "microsoft365", key)
            if not (m365.get("certificate_path") or m365.get("client_secret_env")):
                self.problem(
                    "microsoft365",
                    "set certificate_path (recommended) or client_secret_env (the NAME of an "
                    "environment variable holding the secret)",
                )
        if "client_secret" in m365:
            self.problem(
                "microsoft365.client_secret",
                "secrets never go in the config; put it in an environment variable and name "
                "that variable in client_secret_env",
            )
        mail_settings = self.mail(mail)
        agencies = self.agencies()
        days = rem.get("days_before", [7, 0])
        if not (isinstance(days, list) and all(isinstance(d, int) and d >= 0 for d in days)):
            self.problem("reminders.days_before", "must be a list of whole days, e.g. [7, 0]")
            days = [7, 0]
        after = rem.get("days_after", [])
        if not (isinstance(after, list) and all(isinstance(d, int) and d > 0 for d in after)):
            self.problem("reminders.days_after", "must be a list of whole days after the due date, e.g. [3, 10]")
            after = []
        escalate = rem.get("escalate_after_days", 14)
        if not isinstance(escalate, int) or isinstance(escalate, bool) or escalate < 0:
            self.problem("reminders.escalate_after_days", "must be a whole number of days (0 turns escalation off)")
            escalate = 14
        amber = rem.get("amber_days", 14)
        if not isinstance(amber, int) or amber < 0:
            self.problem("reminders.amber_days", "must be a whole number of days, e.g. 14")
            amber = 14
        address = board.get("address", [])
        if isinstance(address, str):
            address = [line.strip() for line in address.splitlines() if line.strip()]
        if not (isinstance(address, list) and all(isinstance(x, str) for x in address)):
            self.problem("board.address", "must be a list of lines, e.g. [\"Dyffryn House\", \"Dyffryn\", \"DY1 1AA\"]")
            address = []
        address = tuple(address)
        events = self.table("learning_events")
        for k, default in (("start", "10:00"), ("end", "13:00")):
            if not re.match(r"^([01]\d|2[0-3]):[0-5]\d$", str(events.get(k, default))):
                self.problem(f"learning_events.{k}", f"'{events.get(k)}' must be HH:MM, e.g. {default}")
        if str(events.get("start", "10:00")) >= str(events.get("end", "13:00")):
            self.problem("learning_events.end", "must be after learning_events.start")
        digest_time = str(rem.get("digest_time", "00:00"))
        if not re.match(r"^([01]\d|2[0-3]):[0-5]\d$", digest_time):
            self.problem("reminders.digest_time", f"'{digest_time}' must be HH:MM, e.g. 08:00")
        who = signoff.get("agencies", "all")
        codes = {a.code for a in agencies}
        named = who == "named"
        if who in ("all", "named"):
            who = ()
        elif isinstance(who, list):
            for c in who:
                if c not in codes:
                    self.problem("signoff.agencies", f"'{c}' is not the code of an [[agencies]] entry")
            who = tuple(who)
        else:
            self.problem("signoff.agencies", "must be \"all\", \"named\" or a list of agency codes")
            who = ()
        closures = []
        for d in self.table("calendar").get("closure_days", []):
            try:
                from o365flow.core.parsing import parse_date

                closures.append(parse_date(d))
            except ValueError as exc:
                self.problem("calendar.closure_days", str(exc))
        coordinator_email = self.email("coordinator.email", self.text(coord, "coordinator", "email"))
        themes = self.themes(self.table("themes"))
        if self.problems:
            raise ConfigError(
                f"{self.path}: {len(self.problems)} problem(s) in the configuration",
                self.problems,
                hint="fix each key named, then run 'o365flow check'",
            )
        return Config(
            path=self.path,
            board_name=board_name,
            board_code=code,
            timezone=str(tz),
            backend=backend,
            site_path=site_path,
            referrals_library=str(site.get("referrals", "Referrals")),
            reviews_library=str(site.get("reviews", "Reviews")),
            register_library=reg_library,
            register_path=reg_path,
            state_dir=self.rel(state.get("path", "state")),
            templates_dir=self.rel(self.table("templates").get("folder")),
            workflows_dir=self.rel(self.table("workflows").get("folder")),
            coordinator_name=str(coord.get("name", "Review coordinator")),
            coordinator_email=coordinator_email,
            mail=mail_settings,
            agencies=agencies,
            reminder_days_before=tuple(sorted(set(days), reverse=True)),
            reminder_days_after=tuple(sorted(set(after))),
            escalate_after_days=escalate,
            amber_days=amber,
            digest_time=digest_time,
            signoff_agencies=who,
            signoff_named=named,
            access_group=str(self.table("access").get("group", "")),
            closure_days=tuple(closures),
            microsoft365=dict(m365),
            learning_events=dict(events),
            board_address=address,
            themes=themes,
        )

    def themes(self, table: dict) -> tuple[str, ...]:
        """``[themes] list``: the board's own learning themes (replacing the default list)."""
        from o365flow.core.settings import DEFAULT_THEMES

        for key in table:
            if key != "list":
                self.problem(f"themes.{key}", "is not a [themes] key; the one key is 'list'")
        names = table.get("list", list(DEFAULT_THEMES))
        if not (isinstance(names, list) and names and all(isinstance(n, str) and n.strip() for n in names)):
            self.problem("themes.list", 'must be a list of themes, e.g. ["Information sharing", "Neglect"]')
            return DEFAULT_THEMES
        clean = [" ".join(n.split()) for n in names]
        bad = [n for n in clean if ";" in n or "," in n]
        if bad:
            self.problem("themes.list", f"'{bad[0]}': a theme cannot hold ';' or ',' (they separate themes in a cell)")
        twice = sorted({n for n in clean if [m.casefold() for m in clean].count(n.casefold()) > 1})
        if twice:
            self.problem("themes.list", f"'{twice[0]}' is listed twice")
        return tuple(dict.fromkeys(clean))

    def mail(self, mail: dict) -> MailSettings:
        for key in mail:
            if key not in MAIL_KEYS and key != "smtp_password":
                self.problem(f"mail.{key}", f"is not a [mail] key; the keys are {', '.join(MAIL_KEYS)}")
        backend = mail.get("backend", "outbox")
        if backend not in MAIL_BACKENDS:
            self.problem("mail.backend", f"'{backend}' must be 'outbox', 'smtp' or 'graph'")
        sender = self.email("mail.from", self.text(mail, "mail", "from"))
        phrases = mail.get("approval_phrases", list(DEFAULT_APPROVAL_PHRASES))
        if not (isinstance(phrases, list) and phrases and all(isinstance(p, str) and p.strip() for p in phrases)):
            self.problem("mail.approval_phrases", "must be a list of phrases, e.g. [\"Approved\", \"Signed off\"]")
            phrases = ["Approved", "Signed off"]
        language = mail.get("language", "en")
        if language not in ("en", "cy", "cy+en"):
            self.problem("mail.language", f"'{language}' must be 'en', 'cy' or 'cy+en' (Welsh first)")
        if "smtp_password" in mail:
            self.problem("mail.smtp_password", "secrets never go in the config; use smtp_password_env")
        port = mail.get("smtp_port", 587)
        if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
            self.problem("mail.smtp_port", f"'{port}' must be a port number, e.g. 587")
            port = 587
        security = mail.get("smtp_security", "starttls")
        if security not in ("starttls", "tls", "none"):
            self.problem("mail.smtp_security", f"'{security}' must be 'starttls' (port 587), 'tls' (465) or 'none'")
        if backend == "smtp" and not str(mail.get("smtp_host", "")).strip():
            self.problem("mail.smtp_host", "is required when mail.backend is 'smtp'")
        mailbox, category, mark_read, read_since = self.graph_mail(mail, backend, sender)
        return MailSettings(
            backend=backend,
            sender=sender,
            outbox=self.rel(mail.get("outbox", "mail/outbox")),
            inbox=self.rel(mail.get("inbox", "mail/inbox")),
            approval_phrases=tuple(p.strip() for p in phrases),
            language=language,
            smtp_host=str(mail.get("smtp_host", "")),
            smtp_port=port,
            smtp_security=str(security),
            smtp_username_env=str(mail.get("smtp_username_env", "")),
            smtp_password_env=str(mail.get("smtp_password_env", "")),
            mailbox=mailbox,
            processed_category=category,
            mark_read=mark_read,
            read_since=read_since,
        )

    def graph_mail(self, mail: dict, backend: str, sender: str) -> tuple[str, str, bool, date | None]:
        """``mailbox`` (default: the ``from`` address), ``processed_category``, ``mark_read``,
        ``read_since``; for the Graph backend also the sign-in keys it borrows from
        ``[microsoft365]``."""
        mailbox = mail.get("mailbox", sender)
        if not isinstance(mailbox, str) or not _EMAIL.match(mailbox.strip()):
            self.problem("mail.mailbox", f"'{mailbox}' must be the board mailbox's address, e.g. safeguarding.board@contoso.gov.uk")
            mailbox = ""
        category = mail.get("processed_category", "o365flow processed")
        if not isinstance(category, str) or not category.strip() or len(category) > 255 or not category.isprintable():
            self.problem("mail.processed_category", f"'{category}' must be a short category name, e.g. \"o365flow processed\"")
            category = "o365flow processed"
        mark_read = mail.get("mark_read", False)
        if not isinstance(mark_read, bool):
            self.problem("mail.mark_read", f"'{mark_read}' must be true or false")
            mark_read = False
        read_since = None
        if "read_since" in mail:
            from o365flow.core.parsing import parse_date

            try:
                read_since = parse_date(mail["read_since"])
            except ValueError:
                self.problem("mail.read_since", f"'{mail['read_since']}' must be a date, e.g. 2026-04-01")
        site = self.raw.get("site", {})
        site_backend = site.get("backend", "local") if isinstance(site, dict) else "local"
        if backend == "graph" and site_backend != "sharepoint":  # else [microsoft365] is checked already
            m365 = self.table("microsoft365")
            for key in ("tenant_id", "client_id"):
                if not (isinstance(m365.get(key), str) and m365[key].strip()):
                    self.problem(f"microsoft365.{key}", "is required when mail.backend is 'graph'")
            if not (m365.get("certificate_path") or m365.get("client_secret_env")):
                self.problem(
                    "microsoft365",
                    "mail.backend 'graph' signs in as the app: set certificate_path (recommended) or "
                    "client_secret_env",
                )
        return mailbox.strip().lower(), category.strip(), mark_read, read_since

    def agencies(self) -> tuple[Agency, ...]:
        raw = self.raw.get("agencies", [])
        if not isinstance(raw, list) or not raw:
            self.problem("agencies", "list the member agencies as [[agencies]] tables (code, name, contact)")
            return ()
        found, seen = [], set()
        for i, a in enumerate(raw, start=1):
            key = f"agencies[{i}]"
            if not isinstance(a, dict):
                self.problem(key, "must be a table with code, name and contact")
                continue
            code = self.text(a, key, "code")
            if code and not _CODE.match(code):
                self.problem(f"{key}.code", f"'{code}' must be 2-12 capital letters or digits")
            if code in seen:
                self.problem(f"{key}.code", f"'{code}' is used by another agency")
            seen.add(code)
            contact = self.email(f"{key}.contact", self.text(a, key, "contact"))
            domains = a.get("domains", [])
            if isinstance(domains, str):
                domains = [domains]
            for d in domains:
                if not isinstance(d, str) or not _DOMAIN.match(d):
                    self.problem(f"{key}.domains", f"'{d}' is not a mail domain, e.g. police.example.uk")
            senior = a.get("senior_contact", "")
            if senior:
                self.email(f"{key}.senior_contact", senior)
            spread = a.get("dissemination", [])
            if isinstance(spread, str):
                spread = [spread]
            if not isinstance(spread, list):
                self.problem(f"{key}.dissemination", "must be a list of e-mail addresses")
                spread = []
            spread = [self.email(f"{key}.dissemination", str(x)) for x in spread]
            language = a.get("language", "")
            if language not in ("", "en", "cy", "cy+en"):
                self.problem(f"{key}.language", f"'{language}' must be 'en', 'cy' or 'cy+en' (Welsh first)")
                language = ""
            found.append(
                Agency(
                    code=code,
                    name=self.text(a, key, "name"),
                    contact=contact,
                    domains=tuple(str(d).lower() for d in domains if isinstance(d, str)),
                    signoff=bool(a.get("signoff", True)),
                    senior_contact=str(senior).lower(),
                    dissemination=tuple(spread) or ((contact,) if contact else ()),
                    language=language,
                )
            )
        return tuple(found)
