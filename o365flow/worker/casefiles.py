"""What the case folders hold, kept current from the Reviews library's change feed.

The worker needs to notice a few kinds of files people save in a case folder: the final report,
agencies' timeline returns, the action plan, learning ready to share. Listing every case's
folders on every pass costs one request per folder on SharePoint; instead the pass asks the
library once for what changed since the last pass (a delta query there, a folder walk on the
local site) and keeps an index of the files in the watched subfolders in the state store. The
index is the whole truth, not a list of events, so a pass that fails part way loses nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from o365flow.worker.services import Services
from o365flow.worker.state import State

INDEX_KEY = "reviews.index"
CURSOR_KEY = "cursor/reviews"


@dataclass(frozen=True)
class CaseFile:
    path: str  # in the Reviews library: REFERENCE/subfolder/.../name
    etag: str
    created: datetime
    modified: datetime

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


class CaseFiles:
    """The indexed files, asked by case and subfolder."""

    def __init__(self, files: dict[str, CaseFile], keep: dict[str, str] | None = None):
        self.files = files
        self.keep = keep or {}  # state values to store once the pass is applied (index, cursor)
        # By the folder that holds them, so asking for one case's folder costs its own files,
        # not every file of every case.
        self._by_folder: dict[str, list[CaseFile]] = {}
        for path, f in files.items():
            self._by_folder.setdefault(path.rpartition("/")[0], []).append(f)

    def in_folder(self, reference: str, folder: str, suffixes: tuple[str, ...] = (".docx", ".pdf")) -> list[CaseFile]:
        """Files directly in ``REFERENCE/folder`` with one of ``suffixes``, by name; Office's
        owner files (``~$...``) and hidden files are left out."""
        found = [
            f for f in self._by_folder.get(f"{reference}/{folder}", ())
            if f.name.lower().endswith(suffixes) and not f.name.startswith(("~$", "."))
        ]
        return sorted(found, key=lambda f: f.name.lower())


def watched_folders(workflows) -> set[str]:
    """Every subfolder any workflow asks the worker to watch."""
    names = set()
    for wf in workflows.values():
        names |= {wf.final_report_folder, wf.timelines_folder, wf.action_plan_folder}
        if wf.share:
            names.add(wf.share.folder)
    return {n for n in names if n}


def refresh(svc: Services, state: State) -> CaseFiles:
    """The index brought up to date with one change query to the Reviews library. Reads only:
    the new index and cursor are in the result's ``keep``, for the pass to store once applied."""
    library = svc.config.reviews_library
    watched = watched_folders(svc.workflows)
    raw = json.loads(state.get(INDEX_KEY) or "{}")

    def wanted(path: str) -> bool:
        parts = path.split("/")
        return len(parts) >= 3 and "/".join(parts[1:-1]) in watched

    # A watched subfolder and every folder on the way to it ("a/b" for "a/b/c"), worked out once:
    # the walk asks about every subfolder of every case folder.
    towards = {"/".join(w.split("/")[:i]) for w in watched for i in range(1, w.count("/") + 2)}

    def descend(folder: str) -> bool:  # a case folder, or on the way to a watched subfolder
        _, _, sub = folder.partition("/")
        return not sub or sub in towards

    changes = svc.storage.changes(library, state.get(CURSOR_KEY), descend=descend)

    if changes.complete:
        raw = {}
    for entry in changes.entries:
        if not entry.is_folder and wanted(entry.path):
            raw[entry.path] = [entry.etag, entry.created.isoformat(), entry.modified.isoformat()]
    for path in changes.deleted:
        raw.pop(path, None)
        prefix = path.rstrip("/") + "/"  # a deleted folder takes its files with it
        for p in [p for p in raw if p.startswith(prefix)]:
            del raw[p]
    keep = {INDEX_KEY: json.dumps(raw, sort_keys=True)}
    if changes.cursor:
        keep[CURSOR_KEY] = changes.cursor
    return CaseFiles(
        {p: CaseFile(p, e, datetime.fromisoformat(c), datetime.fromisoformat(m)) for p, (e, c, m) in raw.items()},
        keep,
    )
