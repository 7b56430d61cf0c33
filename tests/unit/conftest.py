"""Fixtures the unit tests share: the board configuration ``init`` writes, and the shipped
workflows."""

import pytest

from o365flow.configuration.workflows import load_workflows
from tests.helpers import board_config


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    """The configuration ``o365flow init`` writes (override in a module for a variant)."""
    return board_config(tmp_path_factory.mktemp("cfg"))


@pytest.fixture(scope="module")
def workflows():
    return load_workflows()
