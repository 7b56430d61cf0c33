import shutil

import pytest

from tests.helpers import Board

pytest_plugins = ["tests.m365.fixtures"]


@pytest.fixture
def board(tmp_path) -> Board:
    """A fresh demo board made by ``o365flow init --demo``."""
    b = Board(tmp_path / "board")
    result = b.runner.invoke(__import__("o365flow.cli", fromlist=["cli"]).cli, ["init", str(b.root), "--demo"])
    assert result.exit_code == 0, result.output
    return b


def office_available() -> bool:
    return shutil.which("soffice") is not None
