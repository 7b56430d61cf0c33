"""A pass with nothing to do on SharePoint: it asks each watched library what changed (one delta
request each), looks at the register's eTag, and writes nothing. Checked on the stand-in's
request log, method by method and path by path."""

from __future__ import annotations

from datetime import date
from urllib.parse import unquote

import pytest

CPR = "DRSB-CPR-2026-001"
WRITES = {"PUT", "POST", "PATCH", "DELETE"}
sharepoint_board = pytest.mark.parametrize("board", ["sharepoint"], indirect=True)


def described(m365) -> list[str]:
    """The request log in words: ``GET delta Referrals``, ``GET Register/Practice ...``."""
    drives = {d.id: d for d in m365.site.drives.values()}
    out = []
    for r in m365.log:
        path = unquote(r.path)
        if "/oauth2/" in path or "openid-configuration" in path:
            out.append(f"{r.method} sign-in")
        elif path.startswith("/v1.0/sites/") and path.endswith("/drives"):
            out.append(f"{r.method} libraries")
        elif path.startswith("/v1.0/sites/"):
            out.append(f"{r.method} site")
        elif path.startswith("/v1.0/drives/"):
            drive_id, _, rest = path[len("/v1.0/drives/") :].partition("/")
            drive = drives[drive_id]
            if rest == "root/delta":
                out.append(f"{r.method} delta {drive.name}")
            elif rest.startswith("root:/"):
                out.append(f"{r.method} {drive.name}/{rest[len('root:/'):].rstrip(':')}")
            elif rest.startswith("items/"):
                item_id, _, tail = rest[len("items/") :].partition("/")
                out.append(f"{r.method} {drive.name}/{drive.path_of(drive.items[item_id])} {tail}".rstrip())
            else:
                out.append(f"{r.method} {drive.name} {rest}")
        else:
            out.append(f"{r.method} {path}")
    return out


def quiet_pass(board, now: str) -> list[str]:
    board.m365.log.clear()
    before = board.snapshot()
    assert "nothing to do" in board.run(now).output
    assert board.snapshot() == before
    log = described(board.m365)
    assert not [r for r in board.m365.log if r.method in WRITES and "/oauth2/" not in r.path], log
    return log


SETUP = ["GET sign-in", "POST sign-in", "GET site", "GET libraries"]  # once per process
QUIET = [
    "GET Register/Practice Review Register.xlsx",  # its eTag: unchanged, so not downloaded
    "GET delta Referrals",
    "GET delta Reviews",
]


def assert_quiet(log: list[str]) -> None:
    assert log[: len(SETUP)] == SETUP, log
    assert sorted(log[len(SETUP) :]) == QUIET, log


@sharepoint_board
def test_a_no_op_pass_asks_one_delta_per_library_and_writes_nothing(board):
    board.run("2026-03-02")
    board.run("2026-03-02")
    assert_quiet(quiet_pass(board, "2026-03-02"))


@sharepoint_board
def test_a_no_op_pass_with_a_case_in_review(board):
    """A case waiting for its final report is watched through the Reviews library's delta,
    not by listing its folder."""
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    board.run("2026-03-16")
    board.run("2026-03-16")
    assert_quiet(quiet_pass(board, "2026-03-16"))
