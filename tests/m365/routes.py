"""The stand-in's drive endpoints: items by path and id, children, content, folders, delete,
delta (with real ``@odata.nextLink`` paging and ``@odata.deltaLink`` tokens), upload sessions
and permissions."""

from __future__ import annotations

import base64
import re
import time
import uuid

from werkzeug.wrappers import Request, Response

from .store import Drive, GraphFault, Item
from .workbook import WorkbookRoutes

_ADDRESS = re.compile(
    r"(?:root(?::/(?P<path>[^:]*):?)?|items/(?P<id>[^/:]+))(?P<tail>/workbook/.*|/[^:]*)?"
)


def _encode(*numbers: int) -> str:
    return base64.urlsafe_b64encode(".".join(map(str, numbers)).encode()).decode().rstrip("=")


def _decode(token: str) -> list[int]:
    try:
        return [int(n) for n in base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().split(".")]
    except ValueError:
        raise GraphFault(400, "invalidRequest", "Invalid token") from None


class DriveRoutes:
    def __init__(self, m365):
        self.m365 = m365
        self.sessions: dict[str, dict] = {}
        self.workbook = WorkbookRoutes(m365)

    def _as_pdf(self, item: Item) -> Response:
        """``?format=pdf``: the document converted, as SharePoint does it (here by LibreOffice;
        a file that is not a Word document cannot be converted: 406, as Graph answers)."""
        from o365flow.documents.pdf import convert_with_office
        from o365flow.errors import DocumentError

        self.m365.pdf_requests += 1
        if not item.name.lower().endswith(".docx"):
            raise GraphFault(406, "notSupported", "Conversion to PDF is not supported for this file type")
        try:
            return Response(convert_with_office(item.content, item.name), 200, content_type="application/pdf")
        except DocumentError:
            raise GraphFault(422, "conversionFailed", "The document could not be converted") from None

    def drive(self, request: Request, drive: Drive, rest: str) -> Response:
        m = self.m365
        if rest == "":
            return m.json(drive.drive_json())
        match = _ADDRESS.fullmatch(rest)
        if match is None:
            raise GraphFault(400, "BadRequest", "Unsupported drive segment")
        path, item_id, tail = match.group("path"), match.group("id"), (match.group("tail") or "")
        method = request.method
        if tail == "/delta" and path is None and item_id is None:
            return self.delta(request, drive)
        if tail in ("/content", "/createUploadSession") and method in ("PUT", "POST") and path is not None:
            parts = [p for p in path.split("/") if p]
            if not parts:
                raise GraphFault(400, "invalidRequest", "A file name is required")
            behavior = request.args.get("@microsoft.graph.conflictBehavior", "replace")
            if tail == "/content":
                parent = drive.ensure_folders(drive.root, parts[:-1])
                item, created = drive.put_content(
                    parent, parts[-1], request.get_data(), request.headers.get("If-Match"), behavior
                )
                return m.json(drive.item_json(item), 201 if created else 200)
            return self.create_session(request, drive, parts)
        item = drive.get(item_id) if item_id else (drive.resolve(path) if path else drive.root)
        if tail.startswith("/workbook/"):
            return self.workbook.handle(request, drive, item, tail[len("/workbook/") :])
        if tail == "" and method == "GET":
            body = drive.item_json(item)
            if "sharepointIds" in request.args.get("$select", ""):
                body["sharepointIds"] = {
                    "listId": drive.list_id,
                    "listItemId": str(item.list_item_id),
                    "listItemUniqueId": item.guid.lower(),
                    "siteId": m.site.id.split(",")[1],
                    "siteUrl": m.site.web_url,
                    "webId": m.site.id.split(",")[2],
                }
            return m.json(body)
        if tail == "" and method == "DELETE":
            drive.check_writable(item, request.headers.get("If-Match"))
            drive.delete(item)
            return Response(b"", 204)
        if tail == "/children" and method == "GET":
            if not item.folder:
                return m.json({"value": []})
            return self.page(
                request,
                [drive.item_json(c) for c in drive.children(item)],
                f"drives/{drive.id}/items/{item.id}/children",
            )
        if tail == "/children" and method == "POST":
            body = request.get_json() or {}
            if "folder" not in body or not body.get("name"):
                raise GraphFault(400, "invalidRequest", "name and folder facet are required")
            new = drive.create_folder(
                item, body["name"], body.get("@microsoft.graph.conflictBehavior", "rename")
            )
            return m.json(drive.item_json(new), 201)
        if tail == "/content" and method == "GET":
            if item.folder:
                raise GraphFault(400, "invalidRequest", "Folders have no content")
            if request.args.get("format") == "pdf":
                return self._as_pdf(item)
            return Response(b"", 302, headers={"Location": f"{m.base_url}/download/{drive.id}/{item.id}"})
        if tail == "/content" and method == "PUT":
            parent = drive.items[item.parent]
            updated, _ = drive.put_content(
                parent, item.name, request.get_data(), request.headers.get("If-Match"), "replace"
            )
            return m.json(drive.item_json(updated))
        if tail == "/permissions" and method == "GET":
            return m.json({"value": drive.permissions(item)})
        if (pm := re.fullmatch(r"/permissions/([^/]+)", tail)) and method == "DELETE":
            return self.delete_permission(drive, item, pm.group(1))
        if tail == "/invite" and method == "POST":
            return self.invite(request, drive, item)
        raise GraphFault(405, "invalidRequest", f"{method} not supported here")

    # -- paging and delta ----------------------------------------------------------------------
    def page(self, request: Request, values: list[dict], link_path: str) -> Response:
        offset = int(request.args.get("$skiptoken", "0") or 0)
        size = self.m365.page_size
        body: dict = {"value": values[offset : offset + size]}
        if offset + size < len(values):
            body["@odata.nextLink"] = self.m365.link(link_path, **{"$skiptoken": str(offset + size)})
        return self.m365.json(body)

    def delta(self, request: Request, drive: Drive) -> Response:
        site = self.m365.site
        if "$skiptoken" in request.args:
            since, upto, offset = _decode(request.args["$skiptoken"])
        else:
            since = _decode(request.args["token"])[0] if "token" in request.args else 0
            upto, offset = site.seq, 0
        if since and since < drive.min_token:
            raise GraphFault(
                410, "resyncRequired", "Resync required. Replace any local items with the server's version."
            )
        if since == 0:  # a first sync: everything there now, parents before children
            items = sorted(
                (i for i in drive.items.values() if not i.deleted and i.seq <= upto),
                key=lambda i: (drive.path_of(i).count("/") + bool(i.parent), i.seq),
            )
        else:
            items = sorted((i for i in drive.items.values() if since < i.seq <= upto), key=lambda i: i.seq)
        size = self.m365.page_size
        chunk = items[offset : offset + size]
        body: dict = {"value": [drive.item_json(i, with_path=self.m365.delta_parent_paths) for i in chunk]}
        link = f"drives/{drive.id}/root/delta"
        if offset + size < len(items):
            body["@odata.nextLink"] = self.m365.link(
                link, **{"$skiptoken": _encode(since, upto, offset + size)}
            )
        else:
            body["@odata.deltaLink"] = self.m365.link(link, token=_encode(upto))
        return self.m365.json(body)

    # -- uploads -------------------------------------------------------------------------------
    def create_session(self, request: Request, drive: Drive, parts: list[str]) -> Response:
        body = request.get_json(silent=True) or {}
        behavior = (body.get("item") or {}).get("@microsoft.graph.conflictBehavior", "replace")
        if_match = request.headers.get("If-Match")
        existing = drive.by_path("/".join(parts))
        if existing is not None:
            if behavior == "fail":
                raise GraphFault(409, "nameAlreadyExists", "The specified item name already exists.")
            drive.check_writable(existing, if_match)
        elif if_match not in (None, "*"):
            raise GraphFault(412, "preconditionFailed", "ETag does not match current item's value")
        sid = uuid.uuid4().hex
        self.sessions[sid] = {
            "drive": drive,
            "parts": parts,
            "if_match": if_match,
            "behavior": behavior,
            "data": bytearray(),
            "expires": time.time() + 3600,
        }
        return self.m365.json(self._status(sid))

    def _status(self, sid: str) -> dict:
        s = self.sessions[sid]
        return {
            "uploadUrl": f"{self.m365.base_url}/upload/{sid}",
            "expirationDateTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(s["expires"])),
            "nextExpectedRanges": [f"{len(s['data'])}-"],
        }

    def upload(self, request: Request, sid: str) -> Response:
        m = self.m365
        if sid not in self.sessions:
            raise GraphFault(404, "itemNotFound", "The upload session was not found or has expired.")
        if request.headers.get("Authorization"):
            raise GraphFault(401, "invalidRequest", "Do not send an Authorization header to an upload URL.")
        if request.method == "GET":
            return m.json(self._status(sid))
        if request.method == "DELETE":
            del self.sessions[sid]
            return Response(b"", 204)
        s = self.sessions[sid]
        rng = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", request.headers.get("Content-Range", ""))
        chunk = request.get_data()
        if (
            rng is None
            or int(rng.group(1)) != len(s["data"])
            or int(rng.group(2)) - int(rng.group(1)) + 1 != len(chunk)
        ):
            raise GraphFault(416, "invalidRange", "The Content-Range does not match the next expected range.")
        s["data"] += chunk
        if len(s["data"]) < int(rng.group(3)):
            return m.json({k: v for k, v in self._status(sid).items() if k != "uploadUrl"}, 202)
        drive: Drive = s["drive"]
        parent = drive.ensure_folders(drive.root, s["parts"][:-1])
        item, created = drive.put_content(
            parent, s["parts"][-1], bytes(s["data"]), s["if_match"], s["behavior"]
        )
        del self.sessions[sid]
        return m.json(drive.item_json(item), 201 if created else 200)

    # -- permissions ---------------------------------------------------------------------------
    def delete_permission(self, drive: Drive, item: Item, perm_id: str) -> Response:
        direct = [p for p in item.perms if p["id"] == perm_id] if item.unique else []
        if direct:
            item.perms.remove(direct[0])
        elif any(p["id"] == perm_id for p in drive.permissions(item)):
            # Graph v1.0 deletes only permissions that are not inherited (inheritedFrom null).
            raise GraphFault(
                400, "invalidRequest", "Only sharing permissions that are not inherited can be deleted."
            )
        else:
            raise GraphFault(404, "itemNotFound", "The permission could not be found.")
        return Response(b"", 204)

    def invite(self, request: Request, drive: Drive, item: Item) -> Response:
        body = request.get_json() or {}
        roles = body.get("roles") or []
        if not body.get("recipients") or not roles or body.get("requireSignIn") is not True:
            raise GraphFault(400, "invalidRequest", "recipients, roles and requireSignIn are required")
        # Sharing an item that inherits gives it its own permissions, copied from its parent.
        drive.break_inheritance(item, copy=True, clear_subscopes=False)
        granted = []
        for recipient in body["recipients"]:
            if "email" in recipient:
                key, who = "user", {"displayName": recipient["email"], "email": recipient["email"]}
            elif "objectId" in recipient:
                key, who = "group", {"displayName": recipient["objectId"], "id": recipient["objectId"]}
            else:
                raise GraphFault(400, "invalidRequest", "a recipient needs email or objectId")
            same = [p for p in item.perms if p.get("grantedToV2", {}).get(key) == who]
            perm = same[0] if same else {"id": uuid.uuid4().hex, "grantedToV2": {key: who}}
            perm["roles"] = list(roles)
            if not same:
                item.perms.append(perm)
            granted.append(dict(perm))
        if body.get("sendInvitation"):
            self.m365.mails.append({"invitation": [r for r in body["recipients"]]})
        return self.m365.json({"value": granted})
