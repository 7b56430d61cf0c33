"""A SharePoint Online site through Microsoft Graph: each document library is a Graph drive,
found by its name; paths are relative to the drive's root.

Finding the site and its libraries (their ids kept between passes) is in ``sharepoint_site``,
change tracking (the delta query) in ``sharepoint_delta``, folder creation in
``sharepoint_folders``, panel-only folders in ``sharepoint_access``. As the site's
``WorkbookEditor`` it changes an open register cell by cell through the workbook API, which
lives with the register (``register.workbook``).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import quote

from o365flow.errors import BackendError, ConflictError
from o365flow.graph import Graph, GraphSettings
from o365flow.storage.base import Entry, FileCheckedOut, FileLocked
from o365flow.storage.local import is_ignored
from o365flow.storage.sharepoint_delta import DeltaTracking
from o365flow.storage.sharepoint_folders import FolderCreation
from o365flow.storage.sharepoint_site import SiteLookup

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


class SharePointStorage(SiteLookup, DeltaTracking, FolderCreation):
    """Storage over one SharePoint Online site (``GraphSettings.site_url``), through ``graph``
    (the process's shared session; settings alone give it a session of its own). It is also the
    site's ``WorkbookEditor``.

    The ids of the site and its libraries are kept in the session's cache between passes, so a
    pass does not look them up again; a library deleted and made again (a new id) is noticed on
    the first request that finds nothing there, and looked up afresh."""

    _clean = staticmethod(_clean)

    def __init__(
        self,
        graph: Graph | GraphSettings,
        *,
        upload_threshold: int = 4 * MiB,
        chunk_size: int = 10 * _CHUNK_UNIT,
    ):
        if chunk_size % _CHUNK_UNIT:
            raise ValueError("chunk_size must be a multiple of 320 KiB")
        self.graph = graph if isinstance(graph, Graph) else Graph(graph)
        self.upload_threshold = upload_threshold
        self.chunk_size = chunk_size
        self._site_id: str | None = self.graph.cache.get("site")
        cached = self.graph.cache.get("drives")
        self._drives: dict[str, dict] = dict(cached) if isinstance(cached, dict) else {}  # name -> {id, webUrl}
        self._confirmed: set[str] = set()  # drive ids Graph has answered for in this process
        self._paths: dict[str, dict[str, str]] = {}  # drive id -> item id -> library-relative path
        self._folders: set[tuple[str, str]] = set()  # (drive id, path) of folders known to exist

    def _item(self, library: str, path: str, tail: str = "") -> tuple[str, dict | None]:
        """The drive and the driveItem JSON at ``path`` (None when there is none)."""
        drive = self._drive(library)
        item = self.graph.get_json(self._addr(drive, path) + tail, what=f"'{library}/{path}'", missing_ok=True)
        if item is None and self._stale(drive):
            drive = self._drive(library)
            item = self.graph.get_json(self._addr(drive, path) + tail, what=f"'{library}/{path}'", missing_ok=True)
        return drive, item

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
        folder = _clean(folder)
        drive, start = self._item(library, folder)
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
                    found.append(self._known(drive, child, path))
                    if recursive and "folder" in child:
                        queue.append((child["id"], path))
        return sorted(found, key=lambda e: e.path)

    def stat(self, library: str, path: str) -> Entry | None:
        path = _clean(path)
        drive, item = self._item(library, path)
        return None if item is None else self._known(drive, item, path)

    def read(self, library: str, path: str) -> bytes:
        drive, path = self._drive(library), _clean(path)
        response = self.graph.request(
            "GET", self._addr(drive, path, "/content"), what=f"'{library}/{path}'", allow=(404,)
        )
        if response.status_code == 404 and self._stale(drive):
            return self.read(library, path)
        if response.status_code == 404:
            raise BackendError(f"cannot read '{library}/{path}': not found")
        return response.content

    def pdf(self, library: str, path: str) -> bytes:
        """A Word document in the library as PDF, converted by SharePoint (``?format=pdf``)."""
        from o365flow.errors import DocumentError

        drive, clean = self._drive(library), _clean(path)
        response = self.graph.request(
            "GET", self._addr(drive, clean, "/content") + "?format=pdf", what=f"'{library}/{clean}' as PDF",
            allow=(404, 406, 415, 422),
        )
        if response.status_code != 200 or not response.content.startswith(b"%PDF"):
            from o365flow.core.filelabel import case_file_label

            raise DocumentError(f"{case_file_label(library, clean)}: SharePoint could not convert it to PDF "
                                f"(HTTP {response.status_code})", "check the document opens in Word Online; "
                                "it is tried again on the next pass")
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
        parts = path.split("/")[:-1]  # Graph made any missing parent folder
        self._folders.update((drive, "/".join(parts[: n + 1])) for n in range(len(parts)))
        return self._entry(item, path)

    def _known(self, drive: str, item: dict, path: str) -> Entry:
        """The entry for ``item``; a folder is remembered as there (no need to create it)."""
        entry = self._entry(item, path)
        if entry.is_folder and path:
            self._folders.add((drive, path))
        return entry

    def _forget_folders(self, drive: str, paths: list[str]) -> None:
        """``paths`` (and anything below them; ``""``: everything) are gone: create them again if asked."""
        gone = {(d, p) for d, p in self._folders if d == drive and any(not q or p == q or p.startswith(q + "/") for q in paths)}
        self._folders -= gone

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
        # The workbook API lives with the register; openpyxl is loaded only when a workbook is edited.
        from o365flow.register.workbook.api import apply_edits

        path = _clean(path)
        what = f"workbook '{library}/{path}'"
        drive, item = self._item(library, path)
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

    def delete(self, library: str, path: str) -> None:
        drive, path = self._drive(library), _clean(path)
        if not path:
            raise BackendError(f"refusing to delete the root of library '{library}'")
        self._forget_folders(drive, [path])
        try:
            self.graph.request("DELETE", self._addr(drive, path), what=f"'{library}/{path}'", allow=(404,))
        except FileLocked as exc:
            raise self._why_locked(drive, path, library, exc) from None

    def link(self, library: str, path: str) -> str:
        path = _clean(path)
        _, item = self._item(library, path)
        if item and item.get("webUrl"):
            return item["webUrl"]
        base = self._drives.get(library, {}).get("webUrl") or (
            self.graph.settings.site_url.rstrip("/") + "/" + quote(library)
        )
        return f"{base}/{quote(path)}" if path else base

    def restrict_access(self, library: str, folder: str, principals: list[str]) -> bool:
        """Stop ``folder`` inheriting the library's permissions (SharePoint REST), grant
        ``write`` to each principal (an e-mail address or an Entra group's object id) and remove
        every other grant. Needs Sites.Selected with ``fullcontrol`` on the site: see
        ``sharepoint_access`` and docs/it-guide.md."""
        from o365flow.storage.sharepoint_access import restrict

        folder = _clean(folder)
        drive, item = self._item(library, folder)
        if item is None or "folder" not in item:
            raise BackendError(f"cannot restrict '{library}/{folder}': folder not found")
        restrict(self.graph, self.graph.settings.site_url, drive, item["id"], principals, f"{library}/{folder}")
        return True
