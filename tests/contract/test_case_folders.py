"""The index of what case folders hold, kept from one change query per pass, on every backend."""

from __future__ import annotations

from types import SimpleNamespace

from o365flow.worker.casefiles import refresh
from o365flow.worker.cursors import keep
from o365flow.worker.state import State
from o365flow.configuration.workflows import load_workflows

REF = "DRSB-CPR-2026-001"


def services(storage):
    return SimpleNamespace(config=SimpleNamespace(reviews_library="Reviews"), workflows=load_workflows(), storage=storage)


def test_watched_files_are_indexed_and_forgotten_when_deleted(storage, tmp_path):
    svc = services(storage)
    for folder in ("", "/07 Final report", "/06 Report drafts", "/03 Agency timelines"):
        storage.make_folder("Reviews", REF + folder)
    storage.write("Reviews", f"{REF}/07 Final report/Final report.docx", b"report")
    storage.write("Reviews", f"{REF}/06 Report drafts/Draft 1.docx", b"draft")  # not watched
    storage.write("Reviews", f"{REF}/03 Agency timelines/POLICE timeline.docx", b"return")
    storage.write("Reviews", f"{REF}/03 Agency timelines/~$POLICE timeline.docx", b"owner file")
    with State(tmp_path / "state") as state:
        files = refresh(svc, state)
        keep(state, files.keep)
        assert [f.name for f in files.in_folder(REF, "07 Final report")] == ["Final report.docx"]
        assert [f.name for f in files.in_folder(REF, "03 Agency timelines")] == ["POLICE timeline.docx"]
        assert files.in_folder(REF, "06 Report drafts") == []
        first = files.in_folder(REF, "03 Agency timelines")[0].etag

        storage.write("Reviews", f"{REF}/03 Agency timelines/POLICE timeline.docx", b"return, corrected")
        storage.delete("Reviews", f"{REF}/07 Final report/Final report.docx")
        files = refresh(svc, state)
        keep(state, files.keep)
        assert files.in_folder(REF, "07 Final report") == []
        assert files.in_folder(REF, "03 Agency timelines")[0].etag != first

    # A new process starts from the stored index and cursor.
    with State(tmp_path / "state") as state:
        assert [f.name for f in refresh(svc, state).in_folder(REF, "03 Agency timelines")] == ["POLICE timeline.docx"]


def test_an_unchanged_library_costs_one_request_on_sharepoint(sharepoint, m365, tmp_path):
    svc = services(sharepoint)
    sharepoint.make_folder("Reviews", REF)
    sharepoint.make_folder("Reviews", f"{REF}/07 Final report")
    sharepoint.write("Reviews", f"{REF}/07 Final report/Final report.docx", b"report")
    with State(tmp_path / "state") as state:
        keep(state, refresh(svc, state).keep)
        before = len(m365.log)
        files = refresh(svc, state)
        keep(state, files.keep)
        requests = m365.log[before:]
    assert [f.name for f in files.in_folder(REF, "07 Final report")] == ["Final report.docx"]
    assert len(requests) == 1 and "delta" in requests[0].path, requests
