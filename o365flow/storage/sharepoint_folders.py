"""Creating folders on SharePoint: each folder once, a level of siblings in one request.

A case folder and its subfolders are asked for together (``make_folders``). Folders the process
already knows are there (seen by the delta query, a listing, or made earlier) are skipped; the
rest are created parents first, one level at a time: a single folder is one ``POST .../children``,
several siblings one JSON batch (``POST /$batch``, up to 20 a request). Each uses
``conflictBehavior: fail`` rather than Graph's default ``rename``: a folder already there is
success, never "Name 1". A new case folder with ten subfolders costs two requests.
"""

from __future__ import annotations

from collections import defaultdict

from o365flow.errors import BackendError
from o365flow.graph import translate


def _wanted(paths: list[str]) -> list[str]:
    """Every folder of ``paths`` (cleaned) and each of its parents, parents first, each once."""
    found: dict[str, None] = {}
    for path in paths:
        parts = path.split("/")
        for n in range(1, len(parts) + 1):
            if parts[n - 1]:
                found.setdefault("/".join(parts[:n]), None)
    return list(found)


class FolderCreation:
    """``make_folder`` and ``make_folders`` for ``SharePointStorage`` (which provides ``graph``,
    ``_clean``, ``_drive``, ``_addr``, ``_paths``, ``_folders`` and ``stat``)."""

    def make_folder(self, library: str, path: str) -> None:
        self.make_folders(library, [path])

    def make_folders(self, library: str, paths: list[str]) -> None:
        drive = self._drive(library)
        todo = [f for f in _wanted([self._clean(p) for p in paths]) if (drive, f) not in self._folders]
        levels: dict[int, list[str]] = defaultdict(list)
        for folder in todo:
            levels[folder.count("/")].append(folder)
        for depth in sorted(levels):
            self._create_level(library, drive, levels[depth])

    def _create_level(self, library: str, drive: str, folders: list[str]) -> None:
        requests = []
        for folder in folders:
            parent, _, name = folder.rpartition("/")
            body = {"name": name, "folder": {}, "@microsoft.graph.conflictBehavior": "fail"}
            requests.append({"method": "POST", "url": self._addr(drive, parent, "/children"), "body": body})
        what = f"folders in '{library}'"
        if len(requests) == 1:
            one = requests[0]
            results = [
                self.graph.request(
                    "POST", one["url"], json=one["body"], allow=(409,), what=f"folder '{library}/{folders[0]}'"
                )
            ]
        else:
            results = self.graph.batch(requests, what=what)
        for folder, result in zip(folders, results, strict=True):
            if result.status_code == 409:  # there already: made by a person, or by a stopped pass
                current = self.stat(library, folder)
                if current is None or not current.is_folder:
                    raise BackendError(f"cannot create folder '{library}/{folder}': a file has that name")
            elif result.status_code >= 300:
                raise translate(result, f"folder '{library}/{folder}'")
            else:
                item = result.json()
                self._paths.setdefault(drive, {})[item["id"]] = folder
            self._folders.add((drive, folder))
