"""Storage backends for the contract suite: the local site and SharePoint (the stand-in)."""

from __future__ import annotations

import pytest

from tests.m365.fixtures import m365, m365_pki, m365_settings, sharepoint  # noqa: F401 (fixtures)

LIBRARIES = ("Referrals", "Reviews", "Register")


@pytest.fixture(params=["local", "sharepoint"])
def storage(request, tmp_path):
    """The same libraries on every backend."""
    if request.param == "local":
        from o365flow.storage.local import LocalStorage

        for name in LIBRARIES:
            (tmp_path / name).mkdir()
        return LocalStorage(tmp_path)
    return request.getfixturevalue("sharepoint")
