"""``o365flow check --online`` on SharePoint (the stand-in): every step proved with the app's own
rights, nothing left behind, and each missing permission named with where to grant it."""

from __future__ import annotations

import pytest

sharepoint_board = pytest.mark.parametrize("board", ["sharepoint"], indirect=True)


def check(board):
    result = board.cli("check", "--online")
    return result.exit_code, result.output  # stdout and stderr, as a person sees them


def probes_left(m365) -> list[str]:
    with m365.lock:
        return [i.name for d in m365.site.drives.values() for i in d.items.values() if not i.deleted and "o365flow-check" in i.name]


@sharepoint_board
def test_check_online_proves_each_step_and_leaves_nothing(board):
    code, out = check(board)
    assert code == 0, out
    for line in (
        f"SharePoint site {board.m365.site_url} found",
        "library 'Referrals' readable",
        "library 'Reviews' readable",
        "register not there yet",
        "library 'Reviews' writable",
        "case folders can be restricted to their panel",
    ):
        assert line in out
    assert probes_left(board.m365) == []
    assert any("breakroleinheritance" in call for _, call in board.m365.rest_calls)


@sharepoint_board
def test_a_403_on_write_names_the_write_grant(board):
    board.m365.fail_next(403, path_contains="/content", method="PUT")
    code, out = check(board)
    assert code == 1
    assert (
        "the app has read but not write access to the site: grant Sites.Selected 'write'" in out
        and "docs/it-guide.md" in out
    )
    assert "library 'Reviews' readable" in out and "case folders can be restricted" not in out


@sharepoint_board
def test_write_without_fullcontrol_names_fullcontrol(board):
    board.m365.site_role = "write"
    code, out = check(board)
    assert code == 1
    assert "library 'Reviews' writable" in out
    assert "the app has write but not fullcontrol access to the site" in out
    assert "Sites.Selected 'fullcontrol'" in out
    assert probes_left(board.m365) == []  # the probe folder is removed all the same


@sharepoint_board
def test_no_grant_on_the_site_is_one_problem(board):
    board.m365.site_access = False
    code, out = check(board)
    assert code == 1
    assert "the app has no access to the site" in out and "Sites.Selected" in out
    assert out.count("problem  ") == 1
