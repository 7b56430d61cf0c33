"""Throttling, token expiry, network faults, sign-in and permission errors against the stand-in."""

from __future__ import annotations

import dataclasses

import pytest

from o365flow.errors import BackendError, ConfigError
from o365flow.storage.sharepoint import SharePointStorage

pytest_plugins = ["tests.m365.fixtures"]  # fixtures m365, m365_settings, sharepoint

LIB = "Reviews"


def test_throttled_twice_then_complete(m365, sharepoint):
    sharepoint.write(LIB, "a/b.docx", b"x")
    m365.page_size = 1
    m365.fail_next(429, retry_after=1, count=2, path_contains="/root/delta")
    result = sharepoint.changes(LIB, None)
    assert result.complete and [e.path for e in result.entries] == ["a", "a/b.docx"]
    statuses = [r.status for r in m365.requests("GET", "/root/delta")]
    assert statuses[:3] == [429, 429, 200]


def test_throttling_past_the_budget_is_a_backend_error(m365, m365_settings):
    storage = SharePointStorage(dataclasses.replace(m365_settings, retry_budget_seconds=1))
    m365.fail_next(503, retry_after=5, count=3, path_contains="/drives")
    with pytest.raises(BackendError, match="throttling.*request-id"):
        storage.list(LIB)


def test_a_429_storm_is_retried_for_as_long_as_the_budget_allows(m365, m365_settings):
    """Nine throttled answers in a row (more than any fixed count of attempts would allow) and the
    tenth succeeds: retries are bounded by the pass's time budget, not by a number of tries."""
    storage = SharePointStorage(dataclasses.replace(m365_settings, retry_budget_seconds=5))
    storage.write(LIB, "storm.txt", b"x")
    m365.fail_next(429, retry_after=0, count=9, path_contains="storm.txt", method="GET")
    assert storage.read(LIB, "storm.txt") == b"x"
    statuses = [r.status for r in m365.requests("GET", "storm.txt")]
    assert statuses[:9] == [429] * 9 and statuses[9] == 302  # then the redirect to the content


def test_the_budget_bounds_a_429_storm(m365, m365_settings):
    """Retry-After 1 with a 2-second budget: two waits, then the third 429 is the error."""
    storage = SharePointStorage(dataclasses.replace(m365_settings, retry_budget_seconds=2))
    storage.write(LIB, "storm.txt", b"x")
    m365.fail_next(429, retry_after=1, count=50, path_contains="storm.txt", method="GET")
    with pytest.raises(BackendError, match="throttling"):
        storage.read(LIB, "storm.txt")
    assert [r.status for r in m365.requests("GET", "storm.txt")] == [429, 429, 429]


def test_storage_and_mail_share_one_budget_per_pass(m365, m365_settings):
    """One Graph session for the process: what storage waited is gone for the mailbox too,
    until the next pass starts a new budget."""
    from o365flow.graph import Graph
    from o365flow.mail.graph import GraphInbox

    graph = Graph(dataclasses.replace(m365_settings, retry_budget_seconds=2))
    storage, inbox = SharePointStorage(graph), GraphInbox(graph, "board@contoso.gov.uk")
    storage.write(LIB, "spent.txt", b"x")
    m365.fail_next(429, retry_after=1, count=1, path_contains="spent.txt", method="GET")
    storage.read(LIB, "spent.txt")  # one second of the two spent
    m365.fail_next(429, retry_after=1, count=2, path_contains="/messages/delta")
    with pytest.raises(BackendError, match="throttling"):
        inbox.changes(None)
    assert [r.status for r in m365.requests("GET", "/messages/delta")] == [429, 429]
    graph.new_pass()
    m365.fail_next(429, retry_after=1, count=1, path_contains="/messages/delta")
    assert inbox.changes(None).messages == []
    assert len(m365.requests("POST", "/oauth2/v2.0/token")) == 1  # signed in once, for both


def test_a_throttled_request_inside_a_batch_is_sent_again(m365, sharepoint):
    sharepoint.make_folder(LIB, "C5")
    m365.fail_next(429, retry_after=0, count=1, path_contains="C5", method="POST")
    sharepoint.make_folders(LIB, ["C5/01 Referral", "C5/02 Panel", "C5/03 Timelines"])
    assert sorted(e.path for e in sharepoint.list(LIB, "C5")) == ["C5/01 Referral", "C5/02 Panel", "C5/03 Timelines"]
    statuses = [r.status for r in m365.batched if r.method == "POST"]
    assert sorted(statuses) == [201, 201, 201, 429]
    assert len(m365.requests("POST", "$batch")) == 2


def test_token_revoked_mid_run_is_refreshed(m365, sharepoint):
    sharepoint.write(LIB, "one.txt", b"1")
    m365.auth.expire_all()
    sharepoint.write(LIB, "two.txt", b"2")
    assert [r.status for r in m365.log if "two.txt" in r.path] == [401, 201]
    assert len(m365.requests("POST", "/oauth2/v2.0/token")) == 2


def test_short_lived_tokens_are_renewed_by_msal(m365, sharepoint):
    m365.auth.token_lifetime = 1  # msal renews tokens this close to expiry before each call
    for n in range(3):
        sharepoint.write(LIB, f"f{n}.txt", b"x")
    assert len(m365.requests("POST", "/oauth2/v2.0/token")) >= 3
    assert all(r.status != 401 for r in m365.log)


def test_timeout_and_connection_reset_are_retried(m365, m365_settings):
    storage = SharePointStorage(dataclasses.replace(m365_settings, timeout_seconds=0.5))
    storage.write(LIB, "c.txt", b"x")
    m365.fail_next(kind="timeout", sleep=1.5, path_contains="c.txt")
    assert storage.read(LIB, "c.txt") == b"x"
    m365.fail_next(kind="reset", path_contains="c.txt")
    assert storage.read(LIB, "c.txt") == b"x"


def test_missing_site_grant_names_the_permission(m365, sharepoint):
    m365.site_access = False
    with pytest.raises(BackendError) as caught:
        sharepoint.list(LIB)
    assert "Sites.Selected" in str(caught.value) and "accessDenied" in str(caught.value)
    assert "request-id" in str(caught.value)


def test_non_default_authority_without_instance_discovery(m365, sharepoint):
    sharepoint.list(LIB)
    paths = [r.path for r in m365.log]
    assert paths[0] == f"/{m365.tenant_id}/v2.0/.well-known/openid-configuration"
    assert paths[1] == f"/{m365.tenant_id}/oauth2/v2.0/token"
    assert not any("discovery/instance" in p for p in paths)
    token_endpoint = sharepoint.graph._msal_app().authority.token_endpoint
    assert token_endpoint.startswith(m365.base_url)


def test_client_secret_from_environment(m365, m365_settings, monkeypatch):
    settings = dataclasses.replace(
        m365_settings, certificate_path=None, client_secret_env="O365FLOW_TEST_SECRET"
    )
    monkeypatch.setenv("O365FLOW_TEST_SECRET", m365.auth.client_secret)
    assert SharePointStorage(settings).list(LIB) == []
    monkeypatch.setenv("O365FLOW_TEST_SECRET", "wrong")
    with pytest.raises(BackendError, match="invalid_client"):
        SharePointStorage(settings).list(LIB)
    monkeypatch.delenv("O365FLOW_TEST_SECRET")
    with pytest.raises(ConfigError, match="O365FLOW_TEST_SECRET"):
        SharePointStorage(settings).list(LIB)


def test_unregistered_certificate_is_refused(m365, m365_settings, tmp_path):
    from tests.m365.tls import make_pki

    other = make_pki(tmp_path / "other")
    with pytest.raises(BackendError, match="AADSTS700027"):
        SharePointStorage(dataclasses.replace(m365_settings, certificate_path=other.client_pem)).list(LIB)
