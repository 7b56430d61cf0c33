"""Wiring: the adapters a board's configuration selects, behind their ports.

Where the site or the mailbox is Microsoft 365, one ``Graph`` session is built for the process
and shared by storage and mail: one sign-in (none while the token kept beside the state store is
valid), one retry budget per pass. Microsoft 365 libraries are imported only when configured
(start-up time and memory)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from o365flow.configuration.workflows import load_workflows
from o365flow.core.settings import Config
from o365flow.core.workflow import Workflow
from o365flow.data import shipped
from o365flow.errors import ConfigError
from o365flow.ports import Inbox, Mailer, Storage, WorkbookEditor

if TYPE_CHECKING:
    from o365flow.graph import Graph, GraphSettings


@dataclass
class Services:
    """The adapters of one pass. ``mailer`` and ``inbox`` are None for a command that sends and
    reads no mail (``status``); ``workbook`` is None where the site cannot change cells of an
    open workbook (the local site); ``graph`` is the shared Microsoft 365 session, if any."""

    config: Config
    workflows: dict[str, Workflow]
    storage: Storage
    mailer: Mailer | None
    inbox: Inbox | None
    workbook: WorkbookEditor | None = None
    graph: Graph | None = None

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


def uses_graph(config: Config, mail: bool = True) -> bool:
    """Whether the site, or (``mail``) the mailbox, is in Microsoft 365."""
    return config.backend == "sharepoint" or (mail and config.mail.backend == "graph")


def make_graph(config: Config) -> Graph:
    """The process's Microsoft Graph session, its tokens and the site's ids kept in the state
    folder (``microsoft365-cache.json``, owner-only)."""
    from o365flow.graph import Graph, SessionCache

    settings = graph_settings(config)
    return Graph(settings, SessionCache.in_folder(config.state_dir, settings.cache_scope))


def make_storage(config: Config, graph: Graph | None = None) -> Storage:
    if config.backend == "sharepoint":
        from o365flow.storage.sharepoint import SharePointStorage

        return SharePointStorage(graph or make_graph(config))
    from o365flow.storage.local import LocalStorage

    return LocalStorage(config.site_path)


def graph_settings(config: Config) -> GraphSettings:
    """``GraphSettings`` from the checked ``[microsoft365]`` settings."""
    from o365flow.graph import GraphSettings

    m = config.microsoft365
    return GraphSettings(
        tenant_id=m.tenant_id,
        client_id=m.client_id,
        site_url=m.site_url,
        certificate_path=m.certificate_path,
        certificate_thumbprint=m.certificate_thumbprint,
        client_secret_env=m.client_secret_env,
        graph_url=m.graph_url,
        authority_url=m.authority_url,
        verify=str(m.ca_bundle) if m.ca_bundle else True,  # a private CA (a proxy that inspects TLS)
    )


def make_mailer(config: Config, clock, graph: Graph | None = None) -> Mailer:
    """The ``[mail] backend``'s Mailer: ``outbox`` (.eml files), ``smtp`` or ``graph``."""
    mail = config.mail
    if mail.backend == "graph":
        from o365flow.mail.graph import GraphMailer

        # Real mail carries the real time in its Date header (as SMTP does), whatever --now says.
        return GraphMailer(graph or make_graph(config), mail.mailbox)
    if mail.backend == "smtp":
        from o365flow.mail.smtp import smtp_mailer

        token = None
        if mail.smtp_auth == "oauth2":  # XOAUTH2 with the app's token for Exchange Online
            from o365flow.graph import Graph

            graph = Graph(graph_settings(config))
            token = lambda: graph.token(resource=mail.smtp_oauth_resource)["access_token"]  # noqa: E731
        return smtp_mailer(mail, os.environ, token)
    from o365flow.mail.outbox import OutboxMailer

    return OutboxMailer(mail.outbox, clock)


def make_inbox(config: Config, graph: Graph | None = None) -> Inbox:
    """``graph``: the Inbox of ``mail.mailbox``; otherwise the Maildir ``mail.inbox``."""
    mail = config.mail
    if mail.backend == "graph":
        from o365flow.mail.graph import GraphInbox

        since = None
        if mail.read_since is not None:
            since = datetime.combine(mail.read_since, datetime.min.time(), tzinfo=config.tz)
        return GraphInbox(
            graph or make_graph(config),
            mail.mailbox,
            category=mail.processed_category,
            mark_read=mail.mark_read,
            received_since=since,
        )
    from o365flow.mail.maildir import MaildirInbox

    return MaildirInbox(config.mail.inbox)


def open_services(config: Config, clock=lambda: datetime.now(), mail: bool = True) -> Services:
    """The adapters the configuration selects, Microsoft 365 ones sharing one Graph session.
    ``mail=False`` (``status``): no mailer or inbox."""
    graph = make_graph(config) if uses_graph(config, mail) else None
    storage = make_storage(config, graph)
    return Services(
        config=config,
        workflows=load_workflows(config.workflows_dir),
        storage=storage,
        mailer=make_mailer(config, clock, graph) if mail else None,
        inbox=make_inbox(config, graph) if mail else None,
        # SharePoint's storage is also its WorkbookEditor; the local site has none.
        workbook=cast(WorkbookEditor, storage) if config.backend == "sharepoint" else None,
        graph=graph,
    )
