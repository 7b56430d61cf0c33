"""The stand-in's state: one SharePoint site, its document libraries (drives), their items,
permissions and change log, and the JSON Graph returns for each (shapes per the v1.0 CSDL)."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import quote


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class GraphFault(Exception):
    """An error response: status, Graph error code and message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class Item:
    id: str
    name: str
    parent: str | None
    folder: bool
    seq: int
    content: bytes = b""
    version: int = 1
    created: str = field(default_factory=_now)
    modified: str = field(default_factory=_now)
    locked: bool = False  # open in Office: content PUT/DELETE refused (423), workbook API accepted
    checked_out: bool = False  # checked out to a person: every change refused (423)
    deleted: bool = False
    guid: str = field(default_factory=lambda: str(uuid.uuid4()).upper())
    perms: list[dict] = field(default_factory=list)  # its own grants, once it stops inheriting
    unique: bool = False  # SharePoint's HasUniqueRoleAssignments: False inherits the parent's
    list_item_id: int = 0  # the item's id in the library's SharePoint list

    @property
    def etag(self) -> str:
        return f'"{{{self.guid}}},{self.version}"'

    @property
    def ctag(self) -> str:
        return f'"c:{{{self.guid}}},{self.version}"'


class Drive:
    """A document library."""

    def __init__(self, site: "Site", name: str):
        self.site = site
        self.id = "b!" + uuid.uuid4().hex + uuid.uuid4().hex[:10]
        self.name = name
        self.created = _now()
        self.items: dict[str, Item] = {}
        self.min_token = 0  # delta tokens below this are gone (410)
        self.list_id = str(uuid.uuid4())  # the SharePoint list behind the library
        self._list_items = itertools.count(1)
        self.root = self._add(None, "root", folder=True)
        self.root.unique = True  # the library's own permissions
        self.root.perms = [
            _site_group_perm("3", "owner", "Safeguarding Owners"),
            _site_group_perm("5", "write", "Safeguarding Members"),
        ]

    # -- tree ----------------------------------------------------------------------------------
    def _add(self, parent: Item | None, name: str, folder: bool) -> Item:
        item = Item(
            id="01" + uuid.uuid4().hex[:32].upper(),
            name=name,
            parent=parent.id if parent else None,
            folder=folder,
            seq=self.site.tick(),
            list_item_id=next(self._list_items),
        )
        self.items[item.id] = item
        return item

    def children(self, item: Item) -> list[Item]:
        return sorted(
            (i for i in self.items.values() if i.parent == item.id and not i.deleted), key=lambda i: i.name
        )

    def path_of(self, item: Item) -> str:
        parts = []
        while item.parent is not None:
            parts.append(item.name)
            item = self.items[item.parent]
        return "/".join(reversed(parts))

    def by_path(self, path: str) -> Item | None:
        item = self.root
        for part in [p for p in path.split("/") if p]:
            found = [c for c in self.children(item) if c.name.lower() == part.lower()]
            if not found:
                return None
            item = found[0]
        return item

    def get(self, item_id: str) -> Item:
        item = self.items.get(item_id)
        if item is None or item.deleted:
            raise GraphFault(404, "itemNotFound", "The resource could not be found.")
        return item

    def resolve(self, path: str) -> Item:
        item = self.by_path(path)
        if item is None:
            raise GraphFault(404, "itemNotFound", "The resource could not be found.")
        return item

    def ensure_folders(self, parent: Item, parts: list[str]) -> Item:
        for part in parts:
            found = [c for c in self.children(parent) if c.name.lower() == part.lower()]
            if found and not found[0].folder:
                raise GraphFault(409, "nameAlreadyExists", "A file with this name exists.")
            parent = found[0] if found else self._add(parent, part, folder=True)
        return parent

    def create_folder(self, parent: Item, name: str, behavior: str) -> Item:
        existing = [c for c in self.children(parent) if c.name.lower() == name.lower()]
        if existing:
            if behavior == "fail":
                raise GraphFault(409, "nameAlreadyExists", "The specified item name already exists.")
            if behavior == "replace":
                self.delete(existing[0])
            else:  # rename, Graph's default
                name = f"{name} 1"
        return self._add(parent, name, folder=True)

    def put_content(
        self, parent: Item, name: str, data: bytes, if_match: str | None, behavior: str
    ) -> tuple[Item, bool]:
        existing = [c for c in self.children(parent) if c.name.lower() == name.lower()]
        if existing:
            item = existing[0]
            if item.folder:
                raise GraphFault(409, "nameAlreadyExists", "A folder with this name exists.")
            if behavior == "fail":
                raise GraphFault(409, "nameAlreadyExists", "The specified item name already exists.")
            self.check_writable(item, if_match)
            item.content, item.version, item.modified, item.seq = (
                data,
                item.version + 1,
                _now(),
                self.site.tick(),
            )
            return item, False
        if if_match not in (None, "*"):
            raise GraphFault(412, "preconditionFailed", "ETag does not match current item's value")
        item = self._add(parent, name, folder=False)
        item.content = data
        return item, True

    def check_writable(self, item: Item, if_match: str | None) -> None:
        if item.locked or item.checked_out:
            raise GraphFault(423, "resourceLocked", "The resource you are attempting to access is locked")
        if if_match not in (None, "*") and if_match not in (item.etag, item.ctag):
            raise GraphFault(412, "preconditionFailed", "ETag does not match current item's value")

    def delete(self, item: Item) -> None:
        if item.parent is None:
            raise GraphFault(403, "accessDenied", "The root folder cannot be deleted.")
        self.check_writable(item, None)
        for child in self.children(item):
            self.delete(child)
        item.deleted, item.seq = True, self.site.tick()

    # -- permissions ---------------------------------------------------------------------------
    def permissions(self, item: Item) -> list[dict]:
        """Its own grants when it has unique permissions, else its parent's, marked inherited."""
        if item.unique or item.parent is None:
            return [dict(p) for p in item.perms]
        parent = self.items[item.parent]
        found = []
        for perm in self.permissions(parent):
            inherited = dict(perm)
            inherited.setdefault("inheritedFrom", self.reference(parent))
            found.append(inherited)
        return found

    def break_inheritance(self, item: Item, copy: bool, clear_subscopes: bool) -> None:
        """SharePoint's breakroleinheritance: a no-op on an item that already has its own."""
        if item.unique:
            return
        item.perms = (
            [{k: v for k, v in p.items() if k != "inheritedFrom"} for p in self.permissions(item)] if copy else []
        )
        item.unique = True
        if clear_subscopes:
            for child in self.items.values():
                if child is not item and not child.deleted and self._below(child, item):
                    child.unique, child.perms = False, []

    # -- JSON ----------------------------------------------------------------------------------
    def web_url(self, item: Item) -> str:
        path = self.path_of(item)
        return f"{self.site.web_url}/{quote(self.name)}" + (f"/{quote(path)}" if path else "")

    def reference(self, item: Item, with_path: bool = True) -> dict:
        ref = {"driveId": self.id, "driveType": "documentLibrary", "id": item.id}
        if with_path:
            ref["path"] = f"/drives/{self.id}/root:" + ("/" + self.path_of(item) if item.parent else "")
        return ref

    def item_json(self, item: Item, with_path: bool = True) -> dict:
        if item.deleted:
            body = {"id": item.id, "name": item.name, "deleted": {"state": "deleted"}}
            if item.parent:
                body["parentReference"] = self.reference(self.items[item.parent], with_path=False)
            return body
        body = {
            "id": item.id,
            "name": item.name if item.parent else "root",
            "eTag": item.etag,
            "cTag": item.ctag,
            "createdDateTime": item.created,
            "lastModifiedDateTime": item.modified,
            "webUrl": self.web_url(item),
            "size": len(item.content)
            if not item.folder
            else sum(len(i.content) for i in self.items.values() if not i.deleted and self._below(i, item)),
            "fileSystemInfo": {"createdDateTime": item.created, "lastModifiedDateTime": item.modified},
            "createdBy": {"application": {"displayName": "o365flow", "id": "app"}},
        }
        if item.parent:
            body["parentReference"] = self.reference(self.items[item.parent], with_path=with_path)
        else:
            body["root"] = {}
        if item.folder:
            body["folder"] = {"childCount": len(self.children(item))}
        else:
            body["file"] = {"mimeType": "application/octet-stream"}
            body["publication"] = {
                "level": "checkout" if item.checked_out else "published",
                "versionId": f"{item.version}.0",
            }
        return body

    def _below(self, item: Item, ancestor: Item) -> bool:
        while item.parent is not None:
            if item.parent == ancestor.id:
                return True
            item = self.items[item.parent]
        return False

    def drive_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "driveType": "documentLibrary",
            "createdDateTime": self.created,
            "lastModifiedDateTime": self.created,
            "webUrl": f"{self.site.web_url}/{quote(self.name)}",
            "description": "",
        }


def _site_group_perm(group_id: str, role: str, name: str) -> dict:
    return {
        "id": f"perm-{group_id}",
        "roles": [role],
        "grantedToV2": {"siteGroup": {"displayName": name, "id": group_id, "loginName": name}},
    }


class Site:
    """One SharePoint site with named libraries."""

    def __init__(self, hostname: str, path: str):
        self.hostname, self.path = hostname, path.strip("/")
        self.id = f"{hostname},{uuid.uuid4()},{uuid.uuid4()}"
        self.web_url = f"https://{hostname}/{self.path}"
        self.drives: dict[str, Drive] = {}
        self._counter = itertools.count(1)
        self.seq = 0

    def tick(self) -> int:
        self.seq = next(self._counter)
        return self.seq

    def add_drive(self, name: str) -> Drive:
        drive = Drive(self, name)
        self.drives[drive.id] = drive
        return drive

    def drive_named(self, name: str) -> Drive:
        return next(d for d in self.drives.values() if d.name == name)

    def site_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.path.rsplit("/", 1)[-1],
            "displayName": self.path.rsplit("/", 1)[-1],
            "webUrl": self.web_url,
            "createdDateTime": _now(),
            "siteCollection": {"hostname": self.hostname},
        }
