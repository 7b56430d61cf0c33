"""A SharePoint Online site through Microsoft Graph: each document library is a Graph drive,
found by its name; paths are relative to the drive's root.

Change tracking (the delta query) is in ``sharepoint_delta``, the register's cell-by-cell
updates in ``sharepoint_workbook``, panel-only folders in ``sharepoint_access``.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import quote, urlsplit

from o365flow.errors import BackendError, ConflictError
from o365flow.graph import Graph, GraphSettings
from o365flow.storage.base import Entry, FileCheckedOut, FileLocked
from o365flow.storage.local import is_ignored
from o365flow.storage.sharepoint_delta import DeltaTracking

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


class SharePointStorage(DeltaTracking):
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
                f"sites/{url.netloc}:/{quote(url.path.strip('/'))}",
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

    def resolve_site(self) -> str:
        """The site's web address, once Graph has found it (``check --online``)."""
        self._site()
        return self.graph.settings.site_url

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
        try:
            if len(data) > self.upload_threshold:
                item = self._upload_session(drive, path, data, if_match, create_only, what)
            else:
                headers = {"If-Match": if_match} if if_match else {}
                tail = "/content" + ("?@microsoft.graph.conflictBehavior=fail" if create_only else "")
                item = self.graph.request(
                    "PUT", self._addr(drive, path, tail), data=bytes(data), headers=headers, what=what
                ).json()
        except FileLocked as exc:
            raise self._why_locked(drive, path, library, exc) from None
        self._paths.setdefault(drive, {})[item["id"]] = path
        return self._entry(item, path)

    def _why_locked(self, drive: str, path: str, library: str, exc: FileLocked) -> ConflictError:
        """A 423 means open in Office or checked out; only the item's publication facet tells
        which, and only a check-out stops the workbook API too."""
        item = self.graph.get_json(
            self._addr(drive, path) + "?$select=id,publication", what=f"'{library}/{path}'", missing_ok=True
        )
        if item and (item.get("publication") or {}).get("level") == "checkout":
            # Who checked it out is a person's name: never put it in a message.
            return FileCheckedOut(
                f"'{library}/{path}' is checked out in SharePoint and cannot be changed until it is checked in",
                hint="ask whoever checked it out to check it in (or discard the check-out); "
                "o365flow tries again on the next pass",
            )
        return exc

    def update_workbook(self, library, path, edits, *, if_match=None) -> Entry:
        from o365flow.register.workbook.api import apply_edits  # openpyxl only when a workbook is edited

        drive, path = self._drive(library), _clean(path)
        what = f"workbook '{library}/{path}'"
        item = self.graph.get_json(self._addr(drive, path), what=what, missing_ok=True)
        if item is None:
            raise BackendError(f"cannot update {what}: not found")
        if if_match and item.get("eTag") != if_match and item.get("cTag") != if_match:
            raise ConflictError(f"{what} changed since it was read")
        if not edits:
            return self._entry(item, path)
        try:
            apply_edits(self.graph, f"drives/{drive}/items/{item['id']}", edits, what)
        except FileLocked as exc:
            raise self._why_locked(drive, path, library, exc) from None
        return self._entry(self.graph.get_json(f"drives/{drive}/items/{item['id']}", what=what), path)

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
        try:
            self.graph.request("DELETE", self._addr(drive, path), what=f"'{library}/{path}'", allow=(404,))
        except FileLocked as exc:
            raise self._why_locked(drive, path, library, exc) from None

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
        """Stop ``folder`` inheriting the library's permissions (SharePoint REST), grant
        ``write`` to each principal (an e-mail address or an Entra group's object id) and remove
        every other grant. Needs Sites.Selected with ``fullcontrol`` on the site: see
        ``sharepoint_access`` and docs/it-guide.md."""
        from o365flow.storage.sharepoint_access import restrict

        drive, folder = self._drive(library), _clean(folder)
        item = self.graph.get_json(self._addr(drive, folder), what=f"'{library}/{folder}'", missing_ok=True)
        if item is None or "folder" not in item:
            raise BackendError(f"cannot restrict '{library}/{folder}': folder not found")
        restrict(self.graph, self.graph.settings.site_url, drive, item["id"], principals, f"{library}/{folder}")
        return True
