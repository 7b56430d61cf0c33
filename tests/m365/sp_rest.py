"""The stand-in's SharePoint REST API (``{site}/_api/...``), the calls the adapter makes that
Graph v1.0 cannot: a list item's ``HasUniqueRoleAssignments`` and ``breakroleinheritance``.

As SharePoint: app-only tokens got with a client secret are refused ("Unsupported app only
token"); breaking inheritance needs the app's ``fullcontrol`` role on the site; errors come
as ``{"odata.error": ...}`` with an ``SPRequestGuid`` header."""

from __future__ import annotations

import json
import re
import uuid

from werkzeug.wrappers import Request, Response

from .store import GraphFault

_ITEM = re.compile(r"web/lists\(guid'(?P<list>[0-9a-fA-F-]+)'\)/items\((?P<item>\d+)\)(?P<tail>/.*)?")
_BREAK = re.compile(r"/breakroleinheritance\(copyRoleAssignments=(?P<copy>true|false),clearSubscopes=(?P<clear>true|false)\)")


class RestError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _reply(body, status: int = 200) -> Response:
    response = Response(json.dumps(body), status, content_type="application/json;odata=nometadata")
    response.headers["SPRequestGuid"] = str(uuid.uuid4())
    return response


class SharePointRest:
    def __init__(self, m365):
        self.m365 = m365

    def handle(self, request: Request, rest: str) -> Response:
        try:
            return self._handle(request, rest)
        except (RestError, GraphFault) as exc:
            return _reply({"odata.error": {"code": exc.code, "message": {"lang": "en-US", "value": exc.message}}}, exc.status)

    def _handle(self, request: Request, rest: str) -> Response:
        m = self.m365
        try:
            m.auth.check(request)
        except GraphFault:
            raise RestError(401, "-2147024891, System.UnauthorizedAccessException", "Access denied.") from None
        if m.auth.by_secret(request):
            raise RestError(401, "-2147024891, System.UnauthorizedAccessException", "Unsupported app only token.")
        if not m.site_access:
            raise RestError(403, "-2147024891, System.UnauthorizedAccessException", "Access denied.")
        hit = _ITEM.fullmatch(rest)
        if hit is None:
            raise RestError(404, "-1, Microsoft.SharePoint.Client.InvalidClientQueryException", "Unsupported REST call")
        drive = next((d for d in m.site.drives.values() if d.list_id.lower() == hit.group("list").lower()), None)
        if drive is None:
            raise RestError(404, "-1, System.ArgumentException", "List does not exist.")
        item = next(
            (i for i in drive.items.values() if i.list_item_id == int(hit.group("item")) and not i.deleted), None
        )
        if item is None:
            raise RestError(404, "-2147024809, System.ArgumentException", "Item does not exist.")
        tail = hit.group("tail") or ""
        if tail == "" and request.method == "GET":
            return _reply({"Id": item.list_item_id, "HasUniqueRoleAssignments": item.unique})
        if (brk := _BREAK.fullmatch(tail)) and request.method == "POST":
            if m.site_role != "fullcontrol":
                raise RestError(403, "-2147024891, System.UnauthorizedAccessException", "Access denied.")
            drive.break_inheritance(item, copy=brk.group("copy") == "true", clear_subscopes=brk.group("clear") == "true")
            m.rest_calls.append((drive.path_of(item), tail.lstrip("/")))
            return _reply({"odata.null": True})
        raise RestError(405, "-1, Microsoft.SharePoint.Client.InvalidClientQueryException", "Unsupported REST call")
