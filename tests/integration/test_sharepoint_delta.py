"""SharePoint change tracking against the Microsoft 365 stand-in: delta paging, the no-op
pass, deletions, expired tokens and items without parentReference.path."""

from __future__ import annotations

from o365flow.storage.sharepoint import SharePointStorage

pytest_plugins = ["tests.m365.fixtures"]  # fixtures m365, m365_settings, sharepoint

LIB = "Reviews"
FILES = [f"NWSB-CPR-2026-00{n}/0{n} Stage/doc{n}.docx" for n in range(1, 5)]


def _seed(storage):
    for path in FILES:
        storage.write(LIB, path, b"content of " + path.encode())


def test_first_delta_crosses_several_pages(m365, sharepoint):
    _seed(sharepoint)
    m365.page_size = 2
    m365.log.clear()
    first = sharepoint.changes(LIB, None)
    assert first.complete
    assert [e.path for e in first.entries] == [e.path for e in sharepoint.list(LIB, recursive=True)]
    assert len(first.entries) == 12  # 4 cases x (case folder, stage folder, document)
    pages = m365.requests("GET", "/root/delta")
    assert len(pages) >= 6 and sum("skiptoken" in r.query for r in pages) == len(pages) - 1
    assert "token=" in first.cursor


def test_no_op_changes_is_one_request(m365, sharepoint):
    _seed(sharepoint)
    m365.page_size = 2
    first = sharepoint.changes(LIB, None)
    m365.log.clear()
    again = sharepoint.changes(LIB, first.cursor)
    assert again.entries == [] and again.deleted == [] and not again.complete
    assert len(m365.log) == 1 and m365.log[0].path.endswith("/root/delta")


def test_incremental_changes_and_deletions_across_pages(m365, sharepoint):
    _seed(sharepoint)
    m365.page_size = 2
    first = sharepoint.changes(LIB, None)
    sharepoint.write(LIB, FILES[0], b"edited")
    sharepoint.delete(LIB, FILES[1])
    sharepoint.write(LIB, "NWSB-CPR-2026-009/new.docx", b"new")
    changed = sharepoint.changes(LIB, first.cursor)
    assert not changed.complete
    assert [e.path for e in changed.entries] == [FILES[0], "NWSB-CPR-2026-009", "NWSB-CPR-2026-009/new.docx"]
    assert changed.deleted == [FILES[1]]


def test_expired_delta_token_gives_a_full_resync(m365, sharepoint):
    _seed(sharepoint)
    first = sharepoint.changes(LIB, None)
    m365.expire_delta_tokens(LIB)
    again = sharepoint.changes(LIB, first.cursor)
    assert again.complete and len(again.entries) == 12
    assert any(r.status == 410 for r in m365.log)


def test_paths_without_parent_reference_path(m365, sharepoint, m365_settings):
    """SharePoint may leave parentReference.path out of delta items: paths come from ids."""
    m365.delta_parent_paths = False
    _seed(sharepoint)
    first = sharepoint.changes(LIB, None)
    assert [e.path for e in first.entries] == [e.path for e in sharepoint.list(LIB, recursive=True)]
    # A new process with only the stored cursor: new items are named through their parent's id...
    fresh = SharePointStorage(m365_settings)
    sharepoint.write(LIB, "NWSB-CPR-2026-001/01 Stage/extra.docx", b"x")
    changed = fresh.changes(LIB, first.cursor)
    assert [e.path for e in changed.entries] == ["NWSB-CPR-2026-001/01 Stage/extra.docx"]
    # ...and a deletion it cannot name gives a full resync rather than a wrong answer.
    cold = SharePointStorage(m365_settings)
    sharepoint.delete(LIB, FILES[2])
    resync = cold.changes(LIB, changed.cursor)
    assert resync.complete and FILES[2] not in [e.path for e in resync.entries]
