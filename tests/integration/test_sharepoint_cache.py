"""What a board keeps between passes about its tenant (``microsoft365-cache.json`` beside the
state store): the token, so a new process does not sign in, and the ids of the site and its
libraries, so it does not look them up; and what happens when they are wrong."""

from __future__ import annotations

import dataclasses
import json
import stat

from o365flow.graph import Graph, SessionCache
from o365flow.storage.sharepoint import SharePointStorage

pytest_plugins = ["tests.m365.fixtures"]  # fixtures m365, m365_settings

LIB = "Reviews"


def _process(settings, folder) -> SharePointStorage:
    """What a new process builds: a Graph session on the board's cache file."""
    return SharePointStorage(Graph(settings, SessionCache.in_folder(folder, settings.cache_scope)))


def _sign_ins(m365) -> int:
    return len([r for r in m365.log if "/oauth2/" in r.path or "openid-configuration" in r.path])


def test_a_new_process_neither_signs_in_nor_looks_the_site_up(m365, m365_settings, tmp_path):
    _process(m365_settings, tmp_path).write(LIB, "a.txt", b"x")
    path = tmp_path / "microsoft365-cache.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    m365.log.clear()
    assert _process(m365_settings, tmp_path).read(LIB, "a.txt") == b"x"
    assert _sign_ins(m365) == 0 and not [r for r in m365.log if "/sites/" in r.path]
    assert [r.status for r in m365.log] == [302, 200]  # the item's content, then the download


def test_another_app_or_tenant_starts_afresh(m365, m365_settings, tmp_path):
    _process(m365_settings, tmp_path).list(LIB)
    other = dataclasses.replace(m365_settings, graph_url=m365_settings.graph_url + "/")  # another scope
    m365.log.clear()
    _process(other, tmp_path).list(LIB)
    assert _sign_ins(m365) == 2 and m365.requests("GET", "/drives") != []


def test_an_unreadable_cache_is_a_cold_cache(m365, m365_settings, tmp_path):
    (tmp_path / "microsoft365-cache.json").write_text("{not json")
    assert _process(m365_settings, tmp_path).list(LIB) == []
    assert json.loads((tmp_path / "microsoft365-cache.json").read_text())["version"] == 1


def test_a_library_made_again_is_found_under_its_new_id(m365, m365_settings, tmp_path):
    first = _process(m365_settings, tmp_path)
    first.write(LIB, "C1/report.docx", b"old")
    cursor = first.changes(LIB, None).cursor
    with m365.lock:  # the library is deleted and made again: a new drive id
        old = m365.library(LIB)
        del m365.site.drives[old.id]
    m365.add_library(LIB)
    second = _process(m365_settings, tmp_path)
    changes = second.changes(LIB, cursor)
    assert changes.complete and changes.entries == []
    second.write(LIB, "C1/report.docx", b"new")
    third = _process(m365_settings, tmp_path)  # the cache now holds the new id
    m365.log.clear()
    assert third.read(LIB, "C1/report.docx") == b"new"
    assert not [r for r in m365.log if "/sites/" in r.path]
    assert json.loads((tmp_path / "microsoft365-cache.json").read_text())["ids"]["drives"][LIB]["id"] != old.id
