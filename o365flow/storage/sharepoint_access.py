"""Panel-only access to a case folder on SharePoint.

Graph v1.0 cannot stop a driveItem inheriting its library's permissions (it deletes only
non-inherited grants), so the one step Graph lacks goes to SharePoint's REST API:

1. ``GET /drives/{d}/items/{id}?$select=id,sharepointIds``: the folder's list and list item.
2. ``GET {site}/_api/web/lists(guid'{list}')/items({n})?$select=HasUniqueRoleAssignments``;
   when it still inherits,
   ``POST {site}/_api/web/lists(guid'{list}')/items({n})/breakroleinheritance(copyRoleAssignments=false,clearSubscopes=true)``.
   Nothing is copied: the folder is closed to everyone but site collection administrators
   (and the app itself) before anyone is let in, so an interrupted pass leaves it shut, never
   open to the whole site. ``clearSubscopes`` resets anything below it to inherit from it.
3. ``POST /drives/{d}/items/{id}/invite`` (``roles: ["write"]``, ``requireSignIn: true``,
   ``sendInvitation: false``) for each wanted principal not yet granted.
4. ``DELETE /drives/{d}/items/{id}/permissions/{perm}`` for each grant to someone no longer
   wanted (a panel member taken off the list), then a last ``GET .../permissions`` to prove it.

Breaking inheritance needs the *Manage permissions* right, which SharePoint gives the app only
with the ``fullcontrol`` role in its ``Sites.Selected`` grant on the site; the REST call needs
the SharePoint API's own ``Sites.Selected`` permission and a certificate (SharePoint refuses
app-only tokens got with a client secret). See docs/it-guide.md.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from o365flow.errors import BackendError, InputError

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_REST_JSON = {"Accept": "application/json;odata=nometadata"}


def recipient(principal: str) -> dict | None:
    """Graph's driveRecipient for an e-mail address or an Entra object id; None for anything else."""
    if "@" in principal:
        return {"email": principal}
    if _GUID.match(principal):
        return {"objectId": principal}
    return None


def restrict(graph, site_url: str, drive: str, item_id: str, principals: list[str], where: str) -> None:
    """Make the folder ``item_id`` of ``drive`` open only to ``principals`` (steps above)."""
    what = f"permissions of '{where}'"
    wanted = sorted({p.strip().lower() for p in principals if p.strip()})
    unusable = sum(recipient(p) is None for p in wanted)
    wanted = [p for p in wanted if recipient(p) is not None]
    if not wanted:
        raise InputError(f"nobody to give access to '{where}'", hint="set [access] group in the config")
    if graph.settings.certificate_path is None:
        raise BackendError(
            f"cannot restrict '{where}': SharePoint's REST API refuses app-only tokens got with a client secret",
            hint="use certificate_path in [microsoft365]; see docs/it-guide.md",
        )
    base = f"drives/{drive}/items/{item_id}"
    ids = graph.get_json(f"{base}?$select=id,sharepointIds", what=what).get("sharepointIds") or {}
    if not ids.get("listId") or not ids.get("listItemId"):
        raise BackendError(f"Microsoft Graph gave no SharePoint list ids for '{where}'")
    rest = (
        f"{site_url.rstrip('/')}/_api/web/lists(guid'{quote(ids['listId'])}')/items({int(ids['listItemId'])})"
    )
    resource = _resource(site_url)
    state = graph.request(
        "GET", f"{rest}?$select=HasUniqueRoleAssignments", headers=_REST_JSON, resource=resource,
        what=f"{what} (SharePoint REST)",
    ).json()
    if not state.get("HasUniqueRoleAssignments"):
        graph.request(
            "POST",
            f"{rest}/breakroleinheritance(copyRoleAssignments=false,clearSubscopes=true)",
            headers=_REST_JSON,
            resource=resource,
            what=f"stopping '{where}' inheriting the library's permissions (SharePoint REST)",
        )
    perms = graph.get_json(f"{base}/permissions", what=what).get("value", [])
    granted = set().union(*(grantees(p) for p in perms)) if perms else set()
    for principal in wanted:
        if principal not in granted:
            graph.request(
                "POST",
                f"{base}/invite",
                what=what,
                json={
                    "recipients": [recipient(principal)],
                    "roles": ["write"],
                    "requireSignIn": True,
                    "sendInvitation": False,
                },
            )
    # An application's own grant (SharePoint may record the app that broke inheritance) stays.
    stale = [p for p in perms if not grantees(p) & set(wanted) and not _is_app(p)]
    for perm in stale:
        graph.request("DELETE", f"{base}/permissions/{perm['id']}", what=what, allow=(404,))
    if stale or len(granted & set(wanted)) < len(wanted):
        left = [
            p
            for p in graph.get_json(f"{base}/permissions", what=what).get("value", [])
            if p.get("inheritedFrom") or not (grantees(p) & set(wanted) or _is_app(p))
        ]
        if left:
            raise BackendError(
                f"SharePoint kept {len(left)} other grant(s) on '{where}'",
                hint="check the app has the fullcontrol role on the site; see docs/it-guide.md",
            )
    if unusable:
        # The folder is restricted to the others. The entries are not repeated: they are
        # people's names.
        raise InputError(
            f"'{where}' restricted, but {unusable} Panel members entr{'y is' if unusable == 1 else 'ies are'} "
            "neither an e-mail address nor an Entra group id, so not given access",
            hint="type panel members' e-mail addresses, separated by ;",
        )


def _is_app(perm: dict) -> bool:
    return any("application" in (perm.get(k) or {}) for k in ("grantedToV2", "grantedTo"))


def _resource(site_url: str) -> str:
    """The SharePoint host a REST token is for: ``https://contoso.sharepoint.com``."""
    scheme, _, rest = site_url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def grantees(perm: dict) -> set[str]:
    """Lower-cased e-mail addresses and ids a permission is granted to."""
    found: set[str] = set()
    sets = [perm.get("grantedToV2"), perm.get("grantedTo")] + list(perm.get("grantedToIdentitiesV2") or [])
    for identity_set in filter(None, sets):
        for identity in identity_set.values():
            if isinstance(identity, dict):
                found.update(
                    str(identity[k]).lower() for k in ("email", "id", "loginName") if identity.get(k)
                )
    if (perm.get("invitation") or {}).get("email"):
        found.add(perm["invitation"]["email"].lower())
    return found
