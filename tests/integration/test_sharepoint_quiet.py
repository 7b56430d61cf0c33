"""A pass with nothing to do on SharePoint: it asks each watched library what changed (one delta
request each), looks at the register's eTag, (with the board's mailbox in Exchange Online) asks
the Inbox's delta, and writes nothing. No sign-in while the token kept beside the state store is
valid, no looking up the site or its libraries. Checked on the stand-in's request log, method by
method and path by path."""

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
        elif path.startswith("/v1.0/users/") and "/messages/delta" in path:
            out.append(f"{r.method} Inbox delta")
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


QUIET = [
    "GET Register/Practice Review Register.xlsx",  # its eTag: unchanged, so not downloaded
    "GET delta Referrals",
    "GET delta Reviews",
]


def assert_quiet(log: list[str], also: tuple[str, ...] = ()) -> None:
    assert sorted(log) == sorted(QUIET + list(also)), log


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


def graph_mail(board) -> None:
    """The board's mail through its Exchange Online mailbox (the from address ``init`` wrote)."""
    config = board.root / "o365flow.toml"
    text = config.read_text(encoding="utf-8")
    mailbox = 'mailbox = "safeguarding.board@board.example.org"'
    config.write_text(text.replace('backend = "outbox"', f'backend = "graph"\n{mailbox}', 1), encoding="utf-8")


@sharepoint_board
def test_a_no_op_pass_with_the_mailbox_in_exchange_online(board):
    """Site and mailbox through one Graph session: the no-op pass is the two deltas, the
    register's eTag and the Inbox's delta -- four requests."""
    graph_mail(board)
    board.run("2026-03-02")
    board.run("2026-03-02")
    assert_quiet(quiet_pass(board, "2026-03-02"), also=("GET Inbox delta",))


@sharepoint_board
def test_the_first_pass_signs_in_once_for_site_and_mailbox(board):
    graph_mail(board)
    board.run("2026-03-02")
    log = described(board.m365)
    assert log.count("POST sign-in") == 1 and log.count("GET site") == 1 and log.count("GET libraries") == 1, log


@sharepoint_board
def test_the_token_is_kept_beside_the_state_for_its_owner_only(board):
    import json
    import stat

    board.run("2026-03-02")
    kept = next((board.root / "state").glob("microsoft365-cache.json"), None) or next(board.root.rglob("microsoft365-cache.json"))
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert (kept.parent / "state.sqlite").exists()
    assert json.loads(kept.read_text())["tokens"]


@sharepoint_board
def test_an_expired_token_is_renewed_with_one_sign_in(board):
    board.run("2026-03-02")
    board.m365.auth.expire_all()  # the server no longer accepts what the cache holds
    board.m365.log.clear()
    assert "nothing to do" in board.run("2026-03-02").output
    log = described(board.m365)
    assert log.count("POST sign-in") == 1, log
    assert "GET site" not in log and "GET libraries" not in log, log
