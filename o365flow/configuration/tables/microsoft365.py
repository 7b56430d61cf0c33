"""``[microsoft365]``: the app registration, checked once and turned into typed settings once.

Its keys are needed when the site is SharePoint or the mail backend is Graph; otherwise the
table may be absent (a key it holds is still typed)."""

from __future__ import annotations

from pathlib import Path

from o365flow.configuration.checks import Problems, Table, shown
from o365flow.core.settings import Microsoft365Settings

M365_KEYS = (
    "tenant_id", "client_id", "site_url", "certificate_path", "certificate_thumbprint",
    "client_secret_env", "graph_url", "authority_url", "ca_bundle",
)


def microsoft365(problems: Problems, raw: object, base: Path, sharepoint: bool, graph_mail: bool) -> Microsoft365Settings:
    t = Table(problems, "microsoft365", raw, M365_KEYS,
              secret_hint="put it in an environment variable and name that variable in client_secret_env")
    needed = "when site.backend is 'sharepoint'" if sharepoint else "when mail.backend is 'graph'"
    values = {k: t.text(k, "") for k in ("tenant_id", "client_id", "site_url", "certificate_thumbprint", "client_secret_env")}
    for key in ("graph_url", "authority_url"):
        value = t.text(key, "")
        if value and not value.startswith(("https://", "http://")):
            t.bad(key, f"{shown(value)} must be a web address, e.g. https://graph.microsoft.com")
            value = ""
        values[key] = value
    if values["site_url"] and not values["site_url"].startswith("https://"):
        t.bad("site_url", f"{shown(values['site_url'])} must be the site's https:// address")
    certificate = t.path("certificate_path", "", base)
    ca_bundle = t.path("ca_bundle", "", base)
    if sharepoint or graph_mail:
        keys = ("tenant_id", "client_id", "site_url") if sharepoint else ("tenant_id", "client_id")
        for key in keys:
            if not values[key] and isinstance(t.raw.get(key, ""), str):
                t.bad(key, f"is required {needed}")
        if not (certificate or values["client_secret_env"]):
            problems.add(
                "microsoft365",
                ("mail.backend 'graph' signs in as the app: " if not sharepoint else "")
                + "set certificate_path (recommended) or client_secret_env (the NAME of an "
                "environment variable holding the secret)",
            )
    return Microsoft365Settings(
        tenant_id=values["tenant_id"],
        client_id=values["client_id"],
        site_url=values["site_url"],
        certificate_path=certificate,
        certificate_thumbprint=values["certificate_thumbprint"] or None,
        client_secret_env=values["client_secret_env"] or None,
        graph_url=values["graph_url"] or "https://graph.microsoft.com",
        authority_url=values["authority_url"] or "https://login.microsoftonline.com",
        ca_bundle=ca_bundle,
    )
