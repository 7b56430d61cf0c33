"""Backends for the contract suites: each port runs over every backend that implements it.
Storage: the local site, SharePoint (the stand-in) and the in-memory site."""

from __future__ import annotations

import pytest

from tests.m365.fixtures import m365, m365_pki, m365_settings, sharepoint  # noqa: F401 (fixtures)

LIBRARIES = ("Referrals", "Reviews", "Register")


@pytest.fixture(params=["local", "sharepoint", "memory"])
def storage(request, tmp_path):
    """The same libraries on every backend."""
    if request.param == "local":
        from o365flow.storage.local import LocalStorage

        for name in LIBRARIES:
            (tmp_path / name).mkdir()
        return LocalStorage(tmp_path)
    if request.param == "memory":
        from o365flow.storage.memory import MemoryStorage

        return MemoryStorage(LIBRARIES)
    return request.getfixturevalue("sharepoint")


@pytest.fixture(params=["sharepoint"])
def workbook_editor(request):
    """Every backend that can change cells of an open workbook (a ``WorkbookEditor``)."""
    return request.getfixturevalue("sharepoint")
