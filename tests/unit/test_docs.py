"""The README documents what users type: every command, and every key of the sample config."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from o365flow.cli import cli
from o365flow.commands.init import CONFIG

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme_commands_table():
    table = README[README.index("## Commands"):README.index("### Guarantees")]
    documented = set(re.findall(r"^\| `([a-z-]+)", table, flags=re.MULTILINE))
    assert documented == set(cli.commands)


def test_every_key_of_the_sample_config_is_in_the_readme():
    section = README[README.index("## Configuration"):README.index("### Mail backends")]
    raw = tomllib.loads(CONFIG)
    for table, values in raw.items():
        entries = values if isinstance(values, list) else [values]
        for entry in entries:
            for key in entry:
                assert f"`{key}`" in section, f"[{table}] {key} is not in the README's configuration table"
