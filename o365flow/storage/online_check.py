"""``check --online`` for the site: prove, with the app's own rights, each thing a pass does
to the libraries, and name the permission that is missing when one fails.

In order: find the site (SharePoint), list each library, read the register, write a probe file
and remove it, and on SharePoint make a probe folder, restrict it to the business unit as a
case folder is restricted, and remove it. A step that needs what an earlier one lacked is not
tried (one missing grant gives one problem, not five)."""

from __future__ import annotations

import uuid

from o365flow.errors import O365flowError

GUIDE = "see docs/it-guide.md"


def check_site(cfg, storage, ok: list[str]) -> list[str]:
    """Problems found (each names the missing permission and the fix); what worked goes in ``ok``."""
    sharepoint = cfg.backend == "sharepoint"
    site = cfg.microsoft365.site_url if sharepoint else str(cfg.site_path)
    problems: list[str] = []
    if sharepoint:
        try:
            storage.resolve_site()
            ok.append(f"SharePoint site {site} found")
        except O365flowError as exc:
            return [_named(exc, "find the site", site)]
    readable = True
    for lib in dict.fromkeys((cfg.referrals_library, cfg.reviews_library, cfg.register_library)):
        try:
            storage.list(lib)
            ok.append(f"library '{lib}' readable")
        except O365flowError as exc:
            readable = False
            problems.append(f"library '{lib}': {_named(exc, 'read', site)}")
    if not readable:
        return problems
    try:
        if storage.stat(cfg.register_library, cfg.register_path):
            storage.read(cfg.register_library, cfg.register_path)
            ok.append("register readable")
        else:
            ok.append("register not there yet (the first pass creates it)")
    except O365flowError as exc:
        problems.append(f"register: {_named(exc, 'read', site)}")
    probe = f".o365flow-check-{uuid.uuid4().hex[:8]}"
    try:
        storage.write(cfg.reviews_library, f"{probe}.txt", b"o365flow access check\n", create_only=True)
        storage.delete(cfg.reviews_library, f"{probe}.txt")
        ok.append(f"library '{cfg.reviews_library}' writable")
    except O365flowError as exc:
        return problems + [f"library '{cfg.reviews_library}': {_named(exc, 'write', site)}"]
    if sharepoint:
        problems += _restrict_probe(cfg, storage, probe, site, ok)
    return problems


def _restrict_probe(cfg, storage, probe: str, site: str, ok: list[str]) -> list[str]:
    """Restrict a throw-away folder as a case folder is (the business unit only), then remove it."""
    who = cfg.access_group or cfg.coordinator_email
    problems = []
    try:
        storage.make_folder(cfg.reviews_library, probe)
        storage.restrict_access(cfg.reviews_library, probe, [who])
        ok.append("case folders can be restricted to their panel")
    except O365flowError as exc:
        problems.append(f"restricting case folders: {_named(exc, 'manage permissions', site)}")
    finally:
        try:
            storage.delete(cfg.reviews_library, probe)
        except O365flowError as exc:
            problems.append(f"could not remove the probe folder '{cfg.reviews_library}/{probe}': {exc}")
    return problems


def _named(exc: O365flowError, doing: str, site: str) -> str:
    """The missing permission behind ``exc``, by name, with where to grant it."""
    status = getattr(exc, "status", None)
    if status == 403:
        if doing == "write":
            return (
                "the app has read but not write access to the site: grant Sites.Selected 'write' "
                f"(or 'fullcontrol', needed to restrict case folders) on {site} ({GUIDE}, step 5)"
            )
        if doing == "manage permissions":
            return (
                "the app has write but not fullcontrol access to the site, so case folders stay open "
                f"to everyone with access to the library: grant Sites.Selected 'fullcontrol' on {site}, "
                f"and the SharePoint API permission Sites.Selected ({GUIDE}, steps 4 and 5)"
            )
        return (
            f"the app has no access to the site: grant the Graph application permission Sites.Selected "
            f"with admin consent, then the 'write' or 'fullcontrol' role on {site} ({GUIDE}, steps 4 and 5)"
        )
    if status == 401:
        return (
            f"the app's token was refused ({exc.message}): check tenant_id, client_id and the certificate "
            f"uploaded to the app registration ({GUIDE}, steps 1-3)"
        )
    return str(exc)
