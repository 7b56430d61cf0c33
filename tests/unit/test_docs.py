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


def test_the_sample_configs_themes_example_names_the_default_list_and_loads_when_uncommented(tmp_path):
    from o365flow.configuration.loader import load_config
    from o365flow.core.settings import DEFAULT_THEMES

    start = CONFIG.index("# [themes]\n")
    end = CONFIG.index("]\n", CONFIG.index("# list = [", start)) + 2
    example = CONFIG[start:end]
    said = " ".join(line.lstrip("# ") for line in CONFIG[:start].splitlines()[-5:]).casefold()
    assert all(theme.casefold() in said for theme in DEFAULT_THEMES)  # the comment lists the defaults
    uncommented = "\n".join(re.sub(r"^# ?", "", line) for line in example.splitlines()) + "\n"
    (tmp_path / "o365flow.toml").write_text(CONFIG.replace(example, uncommented), encoding="utf-8")
    themes = load_config(tmp_path / "o365flow.toml").themes
    assert themes[:2] == ("Information sharing", "Professional curiosity") and len(themes) == 8
    (tmp_path / "default.toml").write_text(CONFIG, encoding="utf-8")
    assert load_config(tmp_path / "default.toml").themes == DEFAULT_THEMES
    assert "`[themes]`" in README[README.index("## Configuration"):]
