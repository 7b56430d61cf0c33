"""The tree's layering, checked from the imports: the core never reaches the outside world, an
adapter never reaches the shell, and nothing imports against the direction of a pass.

    core (o365flow.core, o365flow.plan)        pure: stdlib, the core itself, errors
    adapters (storage, mail, documents,        the core, the ports, errors, data
              register, graph, ports)
    configuration                              the core, errors, data
    worker (one pass)                          all of the above
    commands (init, check, status, ...)        all of the above and the worker
    cli                                        everything
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "o365flow"

CORE = {"core", "plan"}
ADAPTERS = {"storage", "mail", "documents", "register", "graph", "ports", "report"}
SHARED = {"errors", "data", "__init__", "__main__"}
ALLOWED = {
    "core": CORE | {"errors"},
    "plan": CORE | {"errors"},
    "configuration": CORE | {"errors", "data", "configuration"},
    **{a: CORE | ADAPTERS | {"errors", "data"} for a in ADAPTERS},
    "worker": CORE | ADAPTERS | {"errors", "data", "configuration", "worker", "log"},
    "commands": CORE | ADAPTERS | {"errors", "data", "configuration", "worker", "commands", "log"},
}
#: Libraries that read files, the network or the clock's zone data; the core uses none of them.
IO_LIBRARIES = {"openpyxl", "docx", "docxtpl", "jinja2", "requests", "msal", "office365", "lxml", "sqlite3",
                "smtplib", "socket", "urllib", "http", "subprocess", "shutil", "tempfile"}


def _room(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise AssertionError(f"{path}:{node.lineno}: relative import; use o365flow.… so the room shows")
            yield node.lineno, node.module


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_layers(path: Path):
    room = _room(path)
    if room in ("cli",) or room in SHARED:
        return
    allowed = ALLOWED.get(room, set())
    for line, module in _imports(path):
        top, _, rest = module.partition(".")
        if top == "o365flow":
            target = rest.split(".")[0] if rest else "__init__"
            assert target in allowed, f"{path.relative_to(PACKAGE)}:{line} ({room}) imports {module}"
        elif room in CORE:
            assert top not in IO_LIBRARIES, f"{path.relative_to(PACKAGE)}:{line}: the core imports {module}"


def test_every_module_is_in_a_room():
    loose = {_room(p) for p in _modules() if len(p.relative_to(PACKAGE).parts) == 1}
    assert loose <= {"cli", "errors", "graph", "ports", "log", "__init__", "__main__"}, loose


def test_the_core_imports_nothing_from_outside_it():
    """Import the planner alone: no adapter module comes with it."""
    code = ("import sys, o365flow.plan; "
            "bad = [m for m in sys.modules if m.startswith('o365flow.') and m.split('.')[1] not in "
            "('core', 'plan', 'errors')]; print(bad)")
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=PACKAGE.parent, check=True)
    assert out.stdout.strip() == "[]", out.stdout
