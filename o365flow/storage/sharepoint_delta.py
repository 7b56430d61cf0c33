"""SharePoint change tracking: a library's delta query, its ``@odata.deltaLink`` as the cursor,
paged with ``@odata.nextLink``. Graph reports a deleted item by id only, so an id -> path map
(kept in memory, rebuilt by a full sync) names it; a deletion this process cannot name, or an
expired token (410 resyncRequired), gives a full resync."""

from __future__ import annotations

from urllib.parse import unquote

from o365flow.errors import BackendError
from o365flow.graph import translate
from o365flow.storage.base import Changes, Entry
from o365flow.storage.local import is_ignored


def _hidden(path: str) -> bool:
    return any(is_ignored(part) for part in path.split("/"))


class DeltaTracking:
    """``changes()`` for ``SharePointStorage`` (which provides ``graph``, ``_drive``, ``_known``,
    ``_stale``, ``_forget_folders`` and the ``_paths`` map)."""

    def changes(self, library: str, cursor: str | None, *, descend=None) -> Changes:
        # ``descend`` is a hint for backends that walk folders: the delta is library-wide.
        drive = self._drive(library)
        if not cursor:
            return self._full_sync(library, drive)
        response = self.graph.request("GET", cursor, what=f"changes in '{library}'", allow=(404, 410))
        if response.status_code == 404 and self._stale(drive):  # the library was made again
            return self._full_sync(library, self._drive(library))
        if response.status_code == 404:
            raise translate(response, f"changes in '{library}'")
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
                entries[path] = self._known(drive, item, path)
        self._forget_folders(drive, sorted(deleted))
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
        self._forget_folders(drive, [""])
        by_id = {i["id"]: i for i in items if "deleted" not in i}
        entries = []
        for item in by_id.values():
            if "root" in item:
                known[item["id"]] = ""
                continue
            path = self._path_of(drive, item, by_id)
            known[item["id"]] = path
            if not _hidden(path):
                entries.append(self._known(drive, item, path))
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
