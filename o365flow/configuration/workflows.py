"""Loading the workflow files: the shipped ones, each replaced by a board's file of the same name."""

from __future__ import annotations

import tomllib
from pathlib import Path

from o365flow.core.workflow import Workflow, parse_workflow
from o365flow.data import shipped
from o365flow.errors import ConfigError


def shipped_workflows_dir() -> Path:
    return shipped("workflows")


def load_workflows(board_dir: Path | None = None) -> dict[str, Workflow]:
    """The shipped workflows, each replaced by a board's file of the same name when present."""
    files = {p.name: p for p in sorted(shipped_workflows_dir().glob("*.toml"))}
    if board_dir and board_dir.is_dir():
        files.update({p.name: p for p in sorted(board_dir.glob("*.toml"))})
    problems: list[str] = []
    flows = {}
    for name, path in sorted(files.items()):
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot read: {exc}")
            continue
        wf = parse_workflow(path, raw, problems)
        if wf:
            flows[wf.id] = wf
    if problems:
        raise ConfigError(f"{len(problems)} problem(s) in the workflow files", problems, hint="fix each key named")
    return flows
