"""A SharePoint Online site through Microsoft Graph: each document library is a Graph drive,
found by its name; paths are relative to the drive's root.

Change tracking uses the drive's delta query. The cursor is Graph's ``@odata.deltaLink``; an
id -> path map (kept in memory, rebuilt by a full sync) names deleted items, which Graph reports
by id only. A deletion this process cannot name, or an expired token (410), gives a full resync.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import quote, unquote, urlsplit

from ..errors import BackendError
from ..graph import Graph, GraphSettings
from .base import Changes, Entry
from .local import is_ignored

MiB = 1024 * 1024
_CHUNK_UNIT = 320 * 1024  # Graph requires upload-session chunks in multiples of 320 KiB


def _ts(value: str | None) -> datetime:
    """Graph's ISO 8601 timestamps (``Z``, up to 7 fractional digits) as aware UTC."""
    if not value:
        return datetime.fromtimestamp(0, tz=timezone.utc)
    value = re.sub(r"(\.\d{1,6})\d*", r"\1", value.replace("Z", "+00:00"))
    parsed = datetime.fromisoformat(value)
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def _clean(path: str) -> str:
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise BackendError(f"path '{path}' leaves its library")
    return "/".join(parts)


def _hidden(path: str) -> bool:
    return any(is_ignored(part) for part in path.split("/"))


class SharePointStorage:
    """Storage over one SharePoint Online site (``GraphSettings.site_url``)."""

    def __init__(
        self, settings: GraphSettings, *, upload_threshold: int = 4 * MiB, chunk_size: int = 10 * _CHUNK_UNIT
    ):
        if chunk_size % _CHUNK_UNIT:
            raise ValueError("chunk_size must be a multiple of 320 KiB")
        self.graph = Graph(settings)
        self.upload_threshold = upload_threshold
        self.chunk_size = chunk_size
        self._site_id: str | None = None
        self._drives: dict[str, dict] = {}  # library name -> drive JSON
        self._paths: dict[str, dict[str, str]] = {}  # drive id -> item id -> library-relative path

    # -- site and libraries --------------------------------------------------------------------
    def _site(self) -> str:
        if self._site_id is None:
            url = urlsplit(self.graph.settings.site_url)
            site = self.graph.get_json(
                f"sites/{url.hostname}:/{quote(url.path.strip('/'))}",
                what=f"site {self.graph.settings.site_url}",
                missing_ok=True,
            )
            if site is None:
                raise BackendError(
                    f"SharePoint site {self.graph.settings.site_url} not found",
                    hint="check microsoft365.site_url",
                )
            self._site_id = site["id"]
        return self._site_id

    def _drive(self, library: str) -> str:
        if library not in self._drives:
            for page in self.graph.pages(f"sites/{self._site()}/drives", what="the site's libraries"):
                for drive in page.get("value", []):
                    self._drives.setdefault(drive["name"], drive)
            if library not in self._drives:
                raise BackendError(
                    f"library '{library}' not found on {self.graph.settings.site_url}",
                    hint="create the document library or fix its name in the config",
                )
        return self._drives[library]["id"]

    @staticmethod
    def _addr(drive: str, path: str, tail: str = "") -> str:
        if not path:
            return f"drives/{drive}/root{tail}"
        return f"drives/{drive}/root:/{quote(path)}" + (f":{tail}" if tail else "")

    def _entry(self, item: dict, path: str) -> Entry:
        folder = "folder" in item or "root" in item
        return Entry(
            path=path,
            is_folder=folder,
            size=0 if folder else int(item.get("size", 0)),
            created=_ts(item.get("createdDateTime")),
            modified=_ts(item.get("lastModifiedDateTime")),
            etag=item.get("eTag", ""),
        )

    # -- the port ------------------------------------------------------------------------------
    def list(self, library: str, folder: str = "", recursive: bool = False) -> list[Entry]:
        drive, folder = self._drive(library), _clean(folder)
        start = self.graph.get_json(self._addr(drive, folder), what=f"'{library}/{folder}'", missing_ok=True)
        if start is None or "folder" not in start and "root" not in start:
            return []
        found: list[Entry] = []
        queue = [(start["id"], folder)]
        while queue:
            item_id, base = queue.pop(0)
            for page in self.graph.pages(
                f"drives/{drive}/items/{item_id}/children", what=f"'{library}/{base}'"
            ):
                for child in page.get("value", []):
                    if is_ignored(child["name"]):
                        continue
                    path = f"{base}/{child['name']}" if base else child["name"]
                    self._paths.setdefault(drive, {})[child["id"]] = path
                    found.append(self._entry(child, path))
                    if recursive and "folder" in child:
                        queue.append((child["id"], path))
        return sorted(found, key=lambda e: e.path)

    def changes(self, library: str, cursor: str | None) -> Changes:
        drive = self._drive(library)
        if not cursor:
            return self._full_sync(library, drive)
        response = self.graph.request("GET", cursor, what=f"changes in '{library}'", allow=(410,))
        if response.status_code == 410:  # the token expired (resyncRequired): start again
            return self._full_sync(library, drive)
        items, link = self._collect(response.json(), library)
        known = self._paths.setdefault(drive, {})
        entries: dict[str, Entry] = {}
        deleted: set[str] = set()
        for item in items:
            if "root" in item:
                continue
            if "deleted" in item:
                path = known.pop(item["id"], None)
                if path is None:
                    return self._full_sync(library, drive)  # deleted before this process knew its name
                gone = [i for i, p in known.items() if p.startswith(path + "/")]
                deleted.update([path] + [known.pop(i) for i in gone])
                entries.pop(path, None)
                continue
            path = self._path_of(drive, item)
            known[item["id"]] = path
            deleted.discard(path)
            if not _hidden(path):
                entries[path] = self._entry(item, path)
        return Changes(
            sorted(entries.values(), key=lambda e: e.path),
            sorted(p for p in deleted if not _hidden(p)),
            link,
            complete=False,
        )

    def _collect(self, page: dict, library: str) -> tuple[list[dict], str]:
        items = list(page.get("value", []))
        while "@odata.nextLink" in page:
            page = self.graph.request("GET", page["@odata.nextLink"], what=f"changes in '{library}'").json()
            items.extend(page.get("value", []))
        if "@odata.deltaLink" not in page:
            raise BackendError(f"Microsoft Graph gave no deltaLink for '{library}'")
        return items, page["@odata.deltaLink"]

    def _full_sync(self, library: str, drive: str) -> Changes:
        first = self.graph.request("GET", f"drives/{drive}/root/delta", what=f"changes in '{library}'").json()
        items, link = self._collect(first, library)
        known: dict[str, str] = {}
        self._paths[drive] = known
        by_id = {i["id"]: i for i in items if "deleted" not in i}
        entries = []
        for item in by_id.values():
            if "root" in item:
                known[item["id"]] = ""
                continue
            path = self._path_of(drive, item, by_id)
            known[item["id"]] = path
            if not _hidden(path):
                entries.append(self._entry(item, path))
        return Changes(sorted(entries, key=lambda e: e.path), [], link, complete=True)

    def _path_of(self, drive: str, item: dict, batch: dict[str, dict] | None = None) -> str:
        """Library-relative path of a delta item: from ``parentReference.path`` when Graph gives
        it, else from the parent's id (SharePoint may omit the path in delta responses)."""
        parent = item.get("parentReference") or {}
        if parent.get("path"):
            base = unquote(parent["path"].split("root:", 1)[-1]).strip("/")
        else:
            known = self._paths.setdefault(drive, {})
            parent_id = parent.get("id", "")
            if parent_id in known:
                base = known[parent_id]
            elif batch and parent_id in batch:
                base = "" if "root" in batch[parent_id] else self._path_of(drive, batch[parent_id], batch)
            else:
                got = self.graph.get_json(f"drives/{drive}/items/{parent_id}", what="a changed item's folder")
                base = "" if "root" in got else self._path_of(drive, got)
            known[parent_id] = base
        return f"{base}/{item['name']}" if base else item["name"]

    def stat(self, library: str, path: str) -> Entry | None:
        drive, path = self._drive(library), _clean(path)
        item = self.graph.get_json(self._addr(drive, path), what=f"'{library}/{path}'", missing_ok=True)
        return None if item is None else self._entry(item, path)

    def read(self, library: str, path: str) -> bytes:
        drive, path = self._drive(library), _clean(path)
        response = self.graph.request(
            "GET", self._addr(drive, path, "/content"), what=f"'{library}/{path}'", allow=(404,)
        )
        if response.status_code == 404:
            raise BackendError(f"cannot read '{library}/{path}': not found")
        return response.content

    def write(self, library, path, data, *, if_match=None, create_only=False) -> Entry:
        drive, path = self._drive(library), _clean(path)
        what = f"'{library}/{path}'"
        if len(data) > self.upload_threshold:
            item = self._upload_session(drive, path, data, if_match, create_only, what)
        else:
            headers = {"If-Match": if_match} if if_match else {}
            tail = "/content" + ("?@microsoft.graph.conflictBehavior=fail" if create_only else "")
            item = self.graph.request(
                "PUT", self._addr(drive, path, tail), data=bytes(data), headers=headers, what=what
            ).json()
        self._paths.setdefault(drive, {})[item["id"]] = path
        return self._entry(item, path)

    def _upload_session(self, drive, path, data, if_match, create_only, what) -> dict:
        """Large files: an upload session, chunk by chunk; a failed chunk resumes from the
        server's ``nextExpectedRanges``. If-Match and ``fail`` are checked when the session
        starts and again when the last chunk commits the file."""
        headers = {"If-Match": if_match} if if_match else {}
        body = {"item": {"@microsoft.graph.conflictBehavior": "fail" if create_only else "replace"}}
        session = self.graph.request(
            "POST", self._addr(drive, path, "/createUploadSession"), json=body, headers=headers, what=what
        ).json()
        url, offset, total, failures = session["uploadUrl"], 0, len(data), 0
        while True:
            end = min(offset + self.chunk_size, total) - 1
            try:
                response = self.graph.request(
                    "PUT",
                    url,
                    data=bytes(data[offset : end + 1]),
                    authenticated=False,
                    what=f"upload of {what}",
                    headers={"Content-Range": f"bytes {offset}-{end}/{total}"},
                )
            except BackendError:
                failures += 1
                if failures > 3:
                    raise
                status = self.graph.request("GET", url, authenticated=False, what=f"upload of {what}").json()
                offset = int(status["nextExpectedRanges"][0].split("-")[0])
                continue
            if response.status_code in (200, 201):
                return response.json()
            offset = int(response.json()["nextExpectedRanges"][0].split("-")[0])

    def make_folder(self, library: str, path: str) -> None:
        drive, path = self._drive(library), _clean(path)
        current = self.stat(library, path)
        if current is not None:
            if not current.is_folder:
                raise BackendError(f"cannot create folder '{library}/{path}': a file has that name")
            return
        parent = ""
        for part in path.split("/"):
            # "fail" rather than Graph's default "rename": an existing folder is success, never "Name 1".
            body = {"name": part, "folder": {}, "@microsoft.graph.conflictBehavior": "fail"}
            self.graph.request(
                "POST",
                self._addr(drive, parent, "/children"),
                json=body,
                allow=(409,),
                what=f"folder '{library}/{parent}/{part}'".replace("//", "/"),
            )
            parent = f"{parent}/{part}" if parent else part

    def delete(self, library: str, path: str) -> None:
        drive, path = self._drive(library), _clean(path)
        if not path:
            raise BackendError(f"refusing to delete the root of library '{library}'")
        self.graph.request("DELETE", self._addr(drive, path), what=f"'{library}/{path}'", allow=(404,))

    def link(self, library: str, path: str) -> str:
        drive, path = self._drive(library), _clean(path)
        item = self.graph.get_json(self._addr(drive, path), what=f"'{library}/{path}'", missing_ok=True)
        if item and item.get("webUrl"):
            return item["webUrl"]
        base = self._drives[library].get(
            "webUrl", self.graph.settings.site_url.rstrip("/") + "/" + quote(library)
        )
        return f"{base}/{quote(path)}" if path else base

    def restrict_access(self, library: str, folder: str, principals: list[str]) -> bool:
        """Grant ``write`` to each principal (e-mail address, or an Entra group's object id),
        then remove every other grant on the folder, inherited ones included (which breaks
        inheritance). Needs Sites.Selected with ``fullcontrol`` on the site: see docs/it-guide.md."""
        drive, folder = self._drive(library), _clean(folder)
        what = f"permissions of '{library}/{folder}'"
        item = self.graph.get_json(self._addr(drive, folder), what=what, missing_ok=True)
        if item is None:
            raise BackendError(f"cannot restrict '{library}/{folder}': folder not found")
        base = f"drives/{drive}/items/{item['id']}"
        wanted = {p.strip().lower() for p in principals if p.strip()}
        # Grant first, remove after: the folder is never left open to nobody part-way through.
        for principal in sorted(wanted):
            recipient = {"email": principal} if "@" in principal else {"objectId": principal}
            self.graph.request(
                "POST",
                f"{base}/invite",
                what=what,
                json={
                    "recipients": [recipient],
                    "roles": ["write"],
                    "requireSignIn": True,
                    "sendInvitation": False,
                },
            )
        for perm in self.graph.get_json(f"{base}/permissions", what=what).get("value", []):
            if not _grantees(perm) & wanted:
                self.graph.request("DELETE", f"{base}/permissions/{perm['id']}", what=what, allow=(404,))
        left = [
            p
            for p in self.graph.get_json(f"{base}/permissions", what=what).get("value", [])
            if p.get("inheritedFrom") or not _grantees(p) & wanted
        ]
        if left:
            raise BackendError(
                f"SharePoint kept {len(left)} other grant(s) on '{library}/{folder}'",
                hint="break inheritance on the folder by hand; see docs/it-guide.md",
            )
        return True


def _grantees(perm: dict) -> set[str]:
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
