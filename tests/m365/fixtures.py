"""pytest plugin: the Microsoft 365 stand-in and a SharePointStorage pointed at it.

Fixtures: ``m365_pki`` (session: CA, server and app certificates), ``m365`` (a fresh stand-in
with the libraries Referrals, Reviews and Register), ``m365_settings`` (GraphSettings for it,
certificate auth), ``sharepoint`` (SharePointStorage on it)."""

from __future__ import annotations

import dataclasses

import pytest

from .server import M365
from .tls import TestPKI, make_pki

LIBRARIES = ("Referrals", "Reviews", "Register")


@pytest.fixture(scope="session")
def m365_pki(tmp_path_factory) -> TestPKI:
    return make_pki(tmp_path_factory.mktemp("m365-pki"))


@pytest.fixture
def m365(m365_pki):
    stand_in = M365(m365_pki).start()
    for name in LIBRARIES:
        stand_in.add_library(name)
    yield stand_in
    stand_in.stop()


def settings_for(stand_in: M365, **overrides):
    """GraphSettings for the stand-in: its URL as both Graph and authority, its CA trusted."""
    from o365flow.graph import GraphSettings

    base = GraphSettings(
        tenant_id=stand_in.tenant_id,
        client_id=stand_in.client_id,
        site_url=stand_in.site_url,
        certificate_path=stand_in.pki.client_pem,
        graph_url=stand_in.base_url,
        authority_url=stand_in.base_url,
        verify=str(stand_in.pki.ca_path),
        retry_budget_seconds=30,
        timeout_seconds=10,
    )
    return dataclasses.replace(base, **overrides)


@pytest.fixture
def m365_settings(m365):
    return settings_for(m365)


@pytest.fixture
def sharepoint(m365_settings):
    from o365flow.storage.sharepoint import SharePointStorage

    return SharePointStorage(m365_settings)
