import shutil

import pytest

from tests.helpers import Board

pytest_plugins = ["tests.m365.fixtures"]


@pytest.fixture
def board(request, tmp_path) -> Board:
    """A fresh demo board made by ``o365flow init --demo``, on the local site.

    Opt in to other backends with ``@pytest.mark.parametrize("board", ["local", "sharepoint"],
    indirect=True)``: "sharepoint" runs the same board on the Microsoft 365 stand-in (its
    libraries hold the demo forms; mail stays in the outbox and Maildir)."""
    backend = getattr(request, "param", "local")
    m365 = request.getfixturevalue("m365") if backend == "sharepoint" else None
    return new_board(tmp_path / "board", m365)


def new_board(root, m365=None) -> Board:
    """``o365flow init --demo`` in ``root``; on the stand-in ``m365`` when given."""
    b = Board(root, m365=m365)
    result = b.runner.invoke(__import__("o365flow.cli", fromlist=["cli"]).cli, ["init", str(b.root), "--demo"])
    assert result.exit_code == 0, result.output
    if m365 is not None:
        b.use_sharepoint()
    return b


def office_available() -> bool:
    return shutil.which("soffice") is not None
