"""One suite for the Storage port, run against every backend."""

from __future__ import annotations

import pytest

from o365flow.errors import ConflictError
from o365flow.storage.base import Changes, Storage

LIB = "Reviews"


def apply(view: dict, changes: Changes) -> dict:
    """What a caller knows after applying ``changes``: path -> etag (folders by path only)."""
    view = {} if changes.complete else dict(view)
    for path in changes.deleted:
        view = {p: e for p, e in view.items() if p != path and not p.startswith(path + "/")}
    for entry in changes.entries:
        view[entry.path] = None if entry.is_folder else entry.etag
    return view


def listing(storage: Storage) -> dict:
    return {e.path: None if e.is_folder else e.etag for e in storage.list(LIB, recursive=True)}


def test_implements_the_port(storage):
    assert isinstance(storage, Storage)


def test_write_read_stat(storage):
    entry = storage.write(LIB, "NWSB-CPR-2026-001/01 Referral/form.docx", b"first version")
    assert entry.path == "NWSB-CPR-2026-001/01 Referral/form.docx"
    assert entry.name == "form.docx" and not entry.is_folder and entry.size == len(b"first version")
    assert entry.etag and entry.modified.tzinfo is not None and entry.created.tzinfo is not None
    assert storage.read(LIB, entry.path) == b"first version"
    stat = storage.stat(LIB, entry.path)
    assert stat is not None and stat.etag == entry.etag and stat.size == entry.size
    folder = storage.stat(LIB, "NWSB-CPR-2026-001/01 Referral")
    assert folder is not None and folder.is_folder  # missing parents were created
    assert storage.stat(LIB, "NWSB-CPR-2026-001/missing.docx") is None


def test_rewrite_changes_etag(storage):
    first = storage.write(LIB, "notes.txt", b"one")
    second = storage.write(LIB, "notes.txt", b"two, longer")
    assert second.etag != first.etag
    assert storage.read(LIB, "notes.txt") == b"two, longer"


def test_list_and_recursive(storage):
    storage.write(LIB, "B/inner/deep.txt", b"x")
    storage.write(LIB, "B/b.txt", b"x")
    storage.write(LIB, "a.txt", b"x")
    storage.make_folder(LIB, "Empty")
    assert [e.path for e in storage.list(LIB)] == ["B", "Empty", "a.txt"]
    assert [e.path for e in storage.list(LIB, "B")] == ["B/b.txt", "B/inner"]
    assert [e.path for e in storage.list(LIB, recursive=True)] == [
        "B",
        "B/b.txt",
        "B/inner",
        "B/inner/deep.txt",
        "Empty",
        "a.txt",
    ]
    assert [e.path for e in storage.list(LIB, "B", recursive=True)] == [
        "B/b.txt",
        "B/inner",
        "B/inner/deep.txt",
    ]
    assert storage.list(LIB, "Nowhere") == []
    assert storage.list("Referrals") == []


def test_changes_first_then_incremental_then_deletion(storage):
    storage.write(LIB, "C1/report.docx", b"draft")
    first = storage.changes(LIB, None)
    assert first.complete
    view = apply({}, first)
    assert view == listing(storage)

    storage.write(LIB, "C1/report.docx", b"final draft")
    storage.write(LIB, "C2/plan.docx", b"plan")
    second = storage.changes(LIB, first.cursor)
    view = apply(view, second)
    assert view == listing(storage)
    if not second.complete:
        assert {"C1/report.docx", "C2/plan.docx"} <= {e.path for e in second.entries}

    storage.delete(LIB, "C1/report.docx")
    third = storage.changes(LIB, second.cursor)
    view = apply(view, third)
    assert view == listing(storage)
    assert "C1/report.docx" not in view
    if not third.complete:
        assert third.deleted == ["C1/report.docx"]


def test_changes_descend_only_where_asked(storage):
    """Everything inside the folders the caller descends into is reported; what a backend
    reports below the others (the local site: nothing) the caller is free to ignore."""
    storage.write(LIB, "C1/07 Final report/report.docx", b"x")
    storage.write(LIB, "C1/06 Report drafts/draft 1.docx", b"x")
    wanted = {"C1", "C1/07 Final report"}
    first = storage.changes(LIB, None, descend=lambda folder: folder in wanted)
    paths = {e.path for e in first.entries}
    assert {"C1", "C1/06 Report drafts", "C1/07 Final report", "C1/07 Final report/report.docx"} <= paths
    storage.write(LIB, "C1/07 Final report/report.docx", b"changed")
    second = storage.changes(LIB, first.cursor, descend=lambda folder: folder in wanted)
    changed = {e.path: e.etag for e in second.entries}
    assert changed["C1/07 Final report/report.docx"] == storage.stat(LIB, "C1/07 Final report/report.docx").etag


def test_if_match_conflict(storage):
    first = storage.write(LIB, "register.xlsx", b"v1")
    second = storage.write(LIB, "register.xlsx", b"v2", if_match=first.etag)
    with pytest.raises(ConflictError):
        storage.write(LIB, "register.xlsx", b"v3", if_match=first.etag)
    assert storage.read(LIB, "register.xlsx") == b"v2"
    storage.write(LIB, "register.xlsx", b"v3", if_match=second.etag)
    assert storage.read(LIB, "register.xlsx") == b"v3"


def test_create_only_conflict(storage):
    storage.write(LIB, "once.docx", b"first", create_only=True)
    with pytest.raises(ConflictError):
        storage.write(LIB, "once.docx", b"second", create_only=True)
    assert storage.read(LIB, "once.docx") == b"first"


def test_make_folder_idempotent(storage):
    storage.make_folder(LIB, "NWSB-APR-2026-002/03 Panel")
    storage.make_folder(LIB, "NWSB-APR-2026-002/03 Panel")
    storage.make_folder(LIB, "NWSB-APR-2026-002")
    assert storage.stat(LIB, "NWSB-APR-2026-002/03 Panel").is_folder
    assert [e.path for e in storage.list(LIB, recursive=True)] == [
        "NWSB-APR-2026-002",
        "NWSB-APR-2026-002/03 Panel",
    ]


def test_delete_idempotent(storage):
    storage.write(LIB, "gone.txt", b"x")
    storage.delete(LIB, "gone.txt")
    storage.delete(LIB, "gone.txt")
    storage.delete(LIB, "never/was.txt")
    assert storage.stat(LIB, "gone.txt") is None


def test_link(storage):
    storage.write(LIB, "C3/report.pdf", b"%PDF")
    assert storage.link(LIB, "C3/report.pdf")
    assert storage.link(LIB, "C3")


def test_make_folders_makes_each_once_with_its_parents(storage):
    tree = ["NWSB-CPR-2026-003", "NWSB-CPR-2026-003/01 Referral", "NWSB-CPR-2026-003/03 Panel/Minutes"]
    storage.make_folders(LIB, tree)
    storage.make_folders(LIB, tree)  # all there already: success
    assert [e.path for e in storage.list(LIB, recursive=True)] == [
        "NWSB-CPR-2026-003",
        "NWSB-CPR-2026-003/01 Referral",
        "NWSB-CPR-2026-003/03 Panel",
        "NWSB-CPR-2026-003/03 Panel/Minutes",
    ]
    assert all(e.is_folder for e in storage.list(LIB, recursive=True))


def test_make_folder_where_a_file_is_fails(storage):
    from o365flow.errors import O365flowError

    storage.write(LIB, "C9/taken", b"a file")
    with pytest.raises(O365flowError):
        storage.make_folders(LIB, ["C9/taken", "C9/taken/inner"])


def test_a_folder_made_again_after_it_was_deleted(storage):
    storage.make_folders(LIB, ["C8", "C8/01 Referral"])
    storage.write(LIB, "C8/01 Referral/form.docx", b"x")
    storage.delete(LIB, "C8/01 Referral/form.docx")
    storage.make_folders(LIB, ["C8", "C8/01 Referral", "C8/02 Panel"])
    assert [e.path for e in storage.list(LIB, "C8")] == ["C8/01 Referral", "C8/02 Panel"]


def test_paths_that_leave_the_library_are_refused(storage):
    from o365flow.errors import BackendError

    with pytest.raises(BackendError):
        storage.write(LIB, "../escape.txt", b"x")
    with pytest.raises(BackendError):
        storage.read(LIB, "a/../../escape.txt")


def test_restrict_access_is_done_or_declined(storage):
    """Each backend either restricts the folder (True) or says the site's own permissions stay
    (False); it never raises for a folder that is there."""
    storage.make_folder(LIB, "C7")
    assert storage.restrict_access(LIB, "C7", ["panel@board.example.org"]) in (True, False)


def test_clutter_is_never_listed(storage):
    storage.write(LIB, "C6/report.docx", b"x")
    storage.write(LIB, "C6/~$report.docx", b"owner file")
    assert [e.path for e in storage.list(LIB, "C6")] == ["C6/report.docx"]
    first = storage.changes(LIB, None)
    assert "C6/~$report.docx" not in {e.path for e in first.entries}


def test_update_workbook_changes_cells_in_place(workbook_editor):
    """The cell is changed in place (a read shows it, the etag moves on); a stale etag is a
    conflict."""
    from io import BytesIO

    import openpyxl

    from o365flow.register.model import CellEdit, RegisterEdits
    from o365flow.storage.base import WorkbookEditor

    storage = workbook_editor
    assert isinstance(storage, WorkbookEditor)
    wb = openpyxl.Workbook()
    wb.active.title = "Cases"
    wb.active["A1"] = "Reference"
    out = BytesIO()
    wb.save(out)
    first = storage.write("Register", "book.xlsx", out.getvalue())
    edits = RegisterEdits(cells=(CellEdit("Cases", "B2", "=1+1"),))
    after = storage.update_workbook("Register", "book.xlsx", edits, if_match=first.etag)
    cell = openpyxl.load_workbook(BytesIO(storage.read("Register", "book.xlsx")))["Cases"]["B2"]
    assert cell.value == "=1+1" and cell.data_type == "s"
    assert after.etag != first.etag
    with pytest.raises(ConflictError):
        storage.update_workbook("Register", "book.xlsx", edits, if_match=first.etag)
