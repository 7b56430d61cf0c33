"""``[mail]``: how messages are sent and replies read (outbox + Maildir, SMTP, or Graph)."""

from __future__ import annotations

from pathlib import Path

from o365flow.configuration.checks import EMAIL, Problems, Table, shown
from o365flow.core.settings import DEFAULT_APPROVAL_PHRASES, MailSettings

#: Every key the ``[mail]`` table may hold; any other is reported by name.
MAIL_KEYS = (
    "backend", "from", "outbox", "inbox", "approval_phrases", "language",
    "smtp_host", "smtp_port", "smtp_security", "smtp_username_env", "smtp_password_env",
    "mailbox", "processed_category", "mark_read", "read_since",
)
MAIL_BACKENDS = ("outbox", "smtp", "graph")


def mail(problems: Problems, raw: object, base: Path) -> MailSettings:
    t = Table(problems, "mail", raw, MAIL_KEYS, secret_hint="use smtp_password_env (the NAME of an environment variable)")
    backend = t.choice("backend", "outbox", MAIL_BACKENDS)
    sender = t.email("from", required=True)
    phrases = t.raw.get("approval_phrases", list(DEFAULT_APPROVAL_PHRASES))
    if not (isinstance(phrases, list) and phrases and all(isinstance(p, str) and p.strip() and p.isprintable() for p in phrases)):
        t.bad("approval_phrases", 'must be a list of phrases, e.g. ["Approved", "Signed off"]')
        phrases = list(DEFAULT_APPROVAL_PHRASES)
    language = t.choice("language", "en", ("en", "cy", "cy+en"), fix="'en', 'cy' or 'cy+en' (Welsh first)")
    port = t.whole("smtp_port", 587, minimum=1, maximum=65535, fix="a port number, e.g. 587")
    security = t.choice("smtp_security", "starttls", ("starttls", "tls", "none"),
                        fix="'starttls' (port 587), 'tls' (465) or 'none'")
    host = t.text("smtp_host", "")
    if backend == "smtp" and not host:
        t.bad("smtp_host", "is required when mail.backend is 'smtp'")
    mailbox = t.text("mailbox", sender)
    if not EMAIL.match(mailbox):
        t.bad("mailbox", f"{shown(mailbox)} must be the board mailbox's address, e.g. safeguarding.board@contoso.gov.uk")
        mailbox = ""
    category = t.text("processed_category", "o365flow processed")
    if not category or len(category) > 255:
        t.bad("processed_category", f"{shown(category)} must be a short category name, e.g. \"o365flow processed\"")
        category = "o365flow processed"
    return MailSettings(
        backend=backend,
        sender=sender,
        outbox=t.path("outbox", "mail/outbox", base),
        inbox=t.path("inbox", "mail/inbox", base),
        approval_phrases=tuple(p.strip() for p in phrases),
        language=language,
        smtp_host=host,
        smtp_port=port,
        smtp_security=security,
        smtp_username_env=t.text("smtp_username_env", ""),
        smtp_password_env=t.text("smtp_password_env", ""),
        mailbox=mailbox.lower(),
        processed_category=category,
        mark_read=t.boolean("mark_read", False),
        read_since=t.day("read_since"),
    )
