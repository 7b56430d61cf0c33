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
    "smtp_auth", "smtp_ca_bundle", "smtp_oauth_resource", "attachments",
)
MAIL_BACKENDS = ("outbox", "smtp", "graph")


def mail(problems: Problems, raw: object, base: Path) -> MailSettings:
    t = Table(problems, "mail", raw, MAIL_KEYS, secret_hint="use smtp_password_env (the NAME of an environment variable)")
    backend = t.choice("backend", "outbox", MAIL_BACKENDS)
    sender_name, sender = _sender(t)
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
    smtp_auth = t.choice("smtp_auth", "password", ("password", "oauth2"),
                         fix="'oauth2' (Microsoft 365) or 'password'")
    resource = t.text("smtp_oauth_resource", "https://outlook.office365.com")
    if not resource.startswith("https://"):
        t.bad("smtp_oauth_resource", f"{shown(resource)} must be an https:// URL, e.g. https://outlook.office365.com")
        resource = "https://outlook.office365.com"
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
        smtp_auth=smtp_auth,
        smtp_ca_bundle=t.path("smtp_ca_bundle", "", base),
        smtp_oauth_resource=resource,
        sender_name=sender_name,
        mailbox=mailbox.lower(),
        processed_category=category,
        mark_read=t.boolean("mark_read", False),
        read_since=t.day("read_since"),
        attachments=t.choice("attachments", "docx", ("docx", "pdf"),
                             fix="'docx' (the Word documents as saved) or 'pdf' (converted before sending)"),
    )


def _sender(t: Table) -> tuple[str, str]:
    """``from``: ``address`` or ``Board name <address>`` -> (display name, address)."""
    value = t.text("from", "")
    if "<" not in value:
        return "", t.email("from", required=True)
    name, _, rest = value.rpartition("<")
    name = name.strip().strip('"').strip()
    address = rest[:-1].strip() if rest.endswith(">") else ""
    if not address or any(c in name for c in '<>"\\') or not name.isprintable() or not EMAIL.match(address):
        t.bad("from", f"{shown(value)} must be 'address' or 'Board name <address>'")
        return "", ""
    return name, address.lower()
