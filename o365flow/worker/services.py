"""Wiring: the adapters a board's configuration selects. Microsoft 365 libraries are imported
only when that backend is configured (start-up time and memory)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from o365flow.core.settings import Config
from o365flow.errors import ConfigError
from o365flow.data import shipped
from o365flow.core.workflow import Workflow
from o365flow.configuration.workflows import load_workflows


@dataclass
class Services:
    config: Config
    workflows: dict[str, Workflow]
    storage: object
    mailer: object
    inbox: object

    def template_dirs(self) -> list[Path]:
        dirs = [self.config.templates_dir] if self.config.templates_dir else []
        return [d for d in dirs if d.is_dir()] + [shipped("templates")]

    def mail_template_dirs(self) -> list[Path]:
        return [d / "mail" for d in self.template_dirs()]

    def find_template(self, relative: str, language: str = "en") -> Path:
        """The template at ``relative`` in the board's folder, else the shipped one; for a Welsh
        or bilingual board its ``.cy`` / ``.cy+en`` version first, wherever there is one."""
        from o365flow.documents.render import template_candidates

        for candidate in template_candidates(relative, language):
            for base in self.template_dirs():
                if (base / candidate).is_file():
                    return base / candidate
        raise ConfigError(
            f"template '{relative}' not found in {', '.join(str(d) for d in self.template_dirs())}",
            hint="add it to the board's templates folder or fix the workflow file",
        )


def make_storage(config: Config):
    if config.backend == "sharepoint":
        from o365flow.storage.sharepoint import SharePointStorage

        return SharePointStorage(graph_settings(config))
    from o365flow.storage.local import LocalStorage

    return LocalStorage(config.site_path)


def graph_settings(config: Config):
    """``GraphSettings`` from the ``[microsoft365]`` table (paths relative to the config file)."""
    from o365flow.graph import GraphSettings

    m = config.microsoft365
    cert, ca = m.get("certificate_path"), m.get("ca_bundle")
    return GraphSettings(
        tenant_id=m["tenant_id"],
        client_id=m["client_id"],
        site_url=m.get("site_url", ""),
        certificate_path=(config.base_dir / cert) if cert else None,
        certificate_thumbprint=m.get("certificate_thumbprint"),
        client_secret_env=m.get("client_secret_env"),
        graph_url=m.get("graph_url", "https://graph.microsoft.com"),
        authority_url=m.get("authority_url", "https://login.microsoftonline.com"),
        verify=str(config.base_dir / ca) if ca else True,  # a private CA (a proxy that inspects TLS)
    )


def make_mailer(config: Config, clock):
    """The ``[mail] backend``'s Mailer: ``outbox`` (.eml files), ``smtp`` or ``graph``."""
    mail = config.mail
    if mail.backend == "graph":
        from o365flow.graph import Graph
        from o365flow.mail.graph import GraphMailer

        # Real mail carries the real time in its Date header (as SMTP does), whatever --now says.
        return GraphMailer(Graph(graph_settings(config)), mail.mailbox)
    if mail.backend == "smtp":
        from o365flow.mail.smtp import SmtpMailer

        user = os.environ.get(mail.smtp_username_env) if mail.smtp_username_env else None
        password = os.environ.get(mail.smtp_password_env) if mail.smtp_password_env else None
        if mail.smtp_password_env and password is None:
            raise ConfigError(
                f"mail.smtp_password_env names ${mail.smtp_password_env}, which is not set",
                hint="set it in the service's environment",
            )
        return SmtpMailer(mail.smtp_host, mail.smtp_port, security=mail.smtp_security, username=user, password=password)
    from o365flow.mail.outbox import OutboxMailer

    return OutboxMailer(mail.outbox, clock)


def make_inbox(config: Config):
    """``graph``: the Inbox of ``mail.mailbox``; otherwise the Maildir ``mail.inbox``."""
    mail = config.mail
    if mail.backend == "graph":
        from o365flow.graph import Graph
        from o365flow.mail.graph import GraphInbox

        since = None
        if mail.read_since is not None:
            since = datetime.combine(mail.read_since, datetime.min.time(), tzinfo=config.tz)
        return GraphInbox(
            Graph(graph_settings(config)),
            mail.mailbox,
            category=mail.processed_category,
            mark_read=mail.mark_read,
            received_since=since,
        )
    from o365flow.mail.maildir import MaildirInbox

    return MaildirInbox(config.mail.inbox)


def open_services(config: Config, clock=lambda: datetime.now(), mail: bool = True) -> Services:
    """The adapters the configuration selects. ``mail=False`` (``status``): no mailer or inbox."""
    return Services(
        config=config,
        workflows=load_workflows(config.workflows_dir),
        storage=make_storage(config),
        mailer=make_mailer(config, clock) if mail else None,
        inbox=make_inbox(config) if mail else None,
    )
