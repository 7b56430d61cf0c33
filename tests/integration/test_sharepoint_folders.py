"""Case folders on SharePoint: each folder created once, siblings in one JSON batch, nothing
re-posted, and folders Graph already reported are not asked for again."""

from __future__ import annotations

from o365flow.configuration.workflows import load_workflows

pytest_plugins = ["tests.m365.fixtures"]  # fixtures m365, m365_settings, sharepoint

LIB = "Reviews"
CASE = "DRSB-CPR-2026-001"


def _creations(m365) -> list:
    """Every folder-creation request, whether sent alone or inside a batch."""
    return [r for r in m365.log + m365.batched if r.method == "POST" and r.path.endswith("/children")]


def test_a_case_folder_and_its_subfolders_cost_two_requests(m365, sharepoint):
    subfolders = load_workflows()["cpr"].folders
    assert len(subfolders) == 10
    sharepoint.changes(LIB, None)  # a pass starts with the library's delta
    m365.log.clear()
    sharepoint.make_folders(LIB, [CASE] + [f"{CASE}/{sub}" for sub in subfolders])
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in m365.log] == [("POST", "children"), ("POST", "$batch")]
    made = _creations(m365)
    assert len(made) == 11 and all(r.status == 201 for r in made)  # each once, no 409
    assert sorted(e.name for e in sharepoint.list(LIB, CASE)) == sorted(subfolders)


def test_folders_already_there_are_not_created_again(m365, sharepoint):
    sharepoint.make_folders(LIB, [CASE, f"{CASE}/01 Referral and decision"])
    m365.log.clear()
    sharepoint.make_folders(LIB, [CASE, f"{CASE}/01 Referral and decision"])
    assert m365.log == []  # this process made them


def test_folders_made_by_someone_else_are_success(m365, sharepoint, m365_settings):
    """Another process (or a person) made some of them: a 409 is success, the rest are made."""
    from o365flow.storage.sharepoint import SharePointStorage

    SharePointStorage(m365_settings).make_folders(LIB, [CASE, f"{CASE}/01 Referral and decision"])
    sharepoint.make_folders(LIB, [CASE, f"{CASE}/01 Referral and decision", f"{CASE}/02 Terms of reference and panel"])
    assert sorted(e.name for e in sharepoint.list(LIB, CASE)) == [
        "01 Referral and decision",
        "02 Terms of reference and panel",
    ]
    assert not [e for e in sharepoint.list(LIB, recursive=True) if e.name.endswith(" 1")]  # never renamed


def test_folders_seen_in_the_delta_are_known(m365, sharepoint, m365_settings):
    from o365flow.storage.sharepoint import SharePointStorage

    SharePointStorage(m365_settings).make_folders(LIB, [CASE, f"{CASE}/07 Final report"])
    sharepoint.changes(LIB, None)
    m365.log.clear()
    sharepoint.make_folders(LIB, [CASE, f"{CASE}/07 Final report"])
    assert m365.log == []


def test_a_folder_deleted_by_someone_else_is_made_again(m365, sharepoint, m365_settings):
    """The delta query tells this process the folder went; it is made again when asked."""
    from o365flow.storage.sharepoint import SharePointStorage

    sharepoint.make_folders(LIB, [CASE, f"{CASE}/07 Final report"])
    cursor = sharepoint.changes(LIB, None).cursor
    SharePointStorage(m365_settings).delete(LIB, CASE)
    assert sharepoint.changes(LIB, cursor).deleted == [CASE, f"{CASE}/07 Final report"]
    sharepoint.make_folders(LIB, [CASE, f"{CASE}/07 Final report"])
    assert [e.path for e in sharepoint.list(LIB, recursive=True)] == [CASE, f"{CASE}/07 Final report"]
