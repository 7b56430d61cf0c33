"""Panel-only access on the stand-in, which models SharePoint's permission inheritance: a case
folder stops inheriting the library's permissions, is granted to the business unit and the
panel, follows the panel when it changes, and says clearly when the app may not do it."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from o365flow.errors import BackendError, InputError
from o365flow.storage.sharepoint import SharePointStorage

pytest_plugins = ["tests.m365.fixtures"]  # fixtures m365, m365_settings, sharepoint

LIB = "Reviews"
CASE = "NWSB-CPR-2026-001"
GROUP = "safeguarding-business-unit@example.org"
GROUP_ID = "3f2b6c1e-0000-4000-8000-000000000001"


def who(m365, path: str = CASE) -> dict[str, list[str]]:
    """Who may open ``path`` now, with their roles (inherited grants by site group name)."""
    drive = m365.library(LIB)
    with m365.lock:
        perms = drive.permissions(drive.resolve(path))
    out = {}
    for perm in perms:
        identity = next(iter(perm["grantedToV2"].values()))
        out[identity.get("email") or identity.get("loginName") or identity["id"]] = perm["roles"]
    return out


def writes(m365) -> list[str]:
    return [f"{r.method} {r.path.rsplit('/', 1)[-1]}" for r in m365.log if r.method in ("POST", "DELETE", "PATCH", "PUT")]


def test_a_case_folder_stops_inheriting_and_is_granted_to_the_panel(m365, sharepoint):
    sharepoint.make_folder(LIB, f"{CASE}/01 Terms of reference")
    assert set(who(m365)) == {"Safeguarding Owners", "Safeguarding Members"}  # inherited from the library

    assert sharepoint.restrict_access(LIB, CASE, [GROUP, "Chair@Example.org", GROUP_ID]) is True
    assert who(m365) == {GROUP: ["write"], "chair@example.org": ["write"], GROUP_ID: ["write"]}
    drive = m365.library(LIB)
    assert drive.resolve(CASE).unique and not drive.resolve(f"{CASE}/01 Terms of reference").unique
    assert set(who(m365, f"{CASE}/01 Terms of reference")) == set(who(m365))  # below it, the same
    assert set(who(m365, "")) == {"Safeguarding Owners", "Safeguarding Members"}  # the library is untouched
    assert m365.rest_calls == [(CASE, "breakroleinheritance(copyRoleAssignments=false,clearSubscopes=true)")]
    assert not m365.mails  # sendInvitation false: nobody is e-mailed

    # Run again with the same panel: it looks, and changes nothing.
    m365.log.clear()
    assert sharepoint.restrict_access(LIB, CASE, [GROUP, "chair@example.org", GROUP_ID]) is True
    assert writes(m365) == [] and len(m365.rest_calls) == 1


def test_a_panel_change_grants_the_new_and_removes_the_old(m365, sharepoint):
    sharepoint.make_folder(LIB, CASE)
    sharepoint.restrict_access(LIB, CASE, [GROUP, "a@example.org", "b@example.org"])
    m365.log.clear()
    sharepoint.restrict_access(LIB, CASE, [GROUP, "b@example.org", "c@example.org"])
    assert who(m365) == {GROUP: ["write"], "b@example.org": ["write"], "c@example.org": ["write"]}
    assert writes(m365) == ["POST invite", f"DELETE {writes_deleted(m365)}"]
    assert len(m365.rest_calls) == 1  # inheritance was broken once, the first time


def writes_deleted(m365) -> str:
    return next(r.path.rsplit("/", 1)[-1] for r in m365.log if r.method == "DELETE")


def test_without_fullcontrol_the_folder_keeps_inheriting_and_the_error_names_the_role(m365, sharepoint):
    sharepoint.make_folder(LIB, CASE)
    m365.site_role = "write"
    with pytest.raises(BackendError, match="fullcontrol") as raised:
        sharepoint.restrict_access(LIB, CASE, [GROUP])
    assert "SharePoint REST" in str(raised.value) and "request-id" in str(raised.value)
    assert set(who(m365)) == {"Safeguarding Owners", "Safeguarding Members"}
    assert not m365.library(LIB).resolve(CASE).unique


def test_a_client_secret_cannot_restrict_and_says_why(m365, m365_settings, monkeypatch):
    monkeypatch.setenv("O365FLOW_TEST_SECRET", m365.auth.client_secret)
    storage = SharePointStorage(
        dataclasses.replace(m365_settings, certificate_path=None, client_secret_env="O365FLOW_TEST_SECRET")
    )
    storage.make_folder(LIB, CASE)
    with pytest.raises(BackendError, match="client secret") as raised:
        storage.restrict_access(LIB, CASE, [GROUP])
    assert "certificate_path" in str(raised.value)


def test_a_panel_member_typed_by_name_is_named_by_count_only(m365, sharepoint):
    sharepoint.make_folder(LIB, CASE)
    with pytest.raises(InputError, match="1 Panel members entry") as raised:
        sharepoint.restrict_access(LIB, CASE, [GROUP, "Jo Jones", "b@example.org"])
    assert "Jo Jones" not in str(raised.value)
    assert who(m365) == {GROUP: ["write"], "b@example.org": ["write"]}  # the others are in, the rest out


@pytest.mark.parametrize("board", ["sharepoint"], indirect=True)
def test_the_worker_follows_the_panel_members_cell(board):
    """Through the CLI: the case folder is restricted when made, and again when the coordinator
    changes ``Panel members``: the person taken off loses access, the new one gains it."""
    ref, m365 = "DRSB-CPR-2026-001", board.m365
    board.run("2026-03-02")
    board.set_case(ref, Decision="Concise review", Decision_date=date(2026, 3, 10),
                   Panel_members="a@council.example.org; b@police.example.org")
    board.run("2026-03-16")
    group = "safeguarding-business-unit@board.example.org"
    drive = m365.library("Reviews")
    assert drive.resolve(ref).unique
    assert set(who_in(m365, ref)) == {group, "a@council.example.org", "b@police.example.org"}

    board.set_case(ref, Panel_members="b@police.example.org; c@health.example.org")
    board.run("2026-03-17")
    assert set(who_in(m365, ref)) == {group, "b@police.example.org", "c@health.example.org"}
    assert set(who_in(m365, f"{ref}/07 Final report")) == set(who_in(m365, ref))  # inherited below it


def who_in(m365, path: str) -> set[str]:
    drive = m365.library("Reviews")
    with m365.lock:
        perms = drive.permissions(drive.resolve(path))
    return {next(iter(p["grantedToV2"].values())).get("email", "?") for p in perms}
