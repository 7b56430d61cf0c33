"""Build o365flow as a board's IT would get it and prove the package carries what it needs.

    python tools/package_check.py [--pipx]

1. Builds the sdist, and the wheel from the sdist (``python -m build``), in a temporary folder.
2. Checks both hold every shipped template and workflow (``o365flow/data/``), the licence, and
   the SPDX licence metadata.
3. Installs the wheel into a fresh venv outside the checkout and, from a folder outside it too,
   runs ``o365flow --version``, ``init --demo``, ``check``, a ``run`` (text and JSON logs),
   ``status --json``, and ``init`` without ``--demo`` (whose placeholders ``check`` must refuse).
4. With ``--pipx``: installs the wheel with pipx too (into temporary PIPX_HOME and PIPX_BIN_DIR)
   and runs ``o365flow --version`` and ``init --demo`` + ``check`` through it.

Exits non-zero, naming the step, on the first failure. Takes a minute or two (the installs).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "o365flow" / "data").rglob("*")
              if p.is_file() and "__pycache__" not in p.parts)


def step(text: str) -> None:
    print(f"package-check: {text}", flush=True)


def fail(text: str) -> None:
    print(f"package-check: FAILED: {text}", file=sys.stderr, flush=True)
    sys.exit(1)


def run(cmd: list[str], cwd: Path, env: dict[str, str], expect: int = 0) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != expect:
        fail(f"{' '.join(map(str, cmd))} exited {done.returncode}, not {expect}\n{done.stdout}\n{done.stderr}")
    if "Traceback" in done.stderr:
        fail(f"{' '.join(map(str, cmd))} printed a traceback\n{done.stderr}")
    return done


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that would let the checkout stand in for the install."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "O365FLOW_CONFIG")}
    return {**env, **extra}


def check_archives(dist: Path) -> Path:
    wheels, sdists = list(dist.glob("*.whl")), list(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        fail(f"expected one wheel and one sdist in {dist}, found {[p.name for p in dist.iterdir()]}")
    with zipfile.ZipFile(wheels[0]) as whl:
        names = set(whl.namelist())
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = whl.read(metadata).decode()
    missing = [n for n in DATA if n not in names]
    if missing:
        fail(f"the wheel lacks {len(missing)} shipped file(s), e.g. {missing[:3]}")
    if "License-Expression: MIT" not in meta or not any(n.endswith("licenses/LICENSE") for n in names):
        fail("the wheel's metadata lacks 'License-Expression: MIT' or the LICENSE file")
    for needed in ("Requires-Dist: lxml", "Requires-Dist: requests"):
        if needed not in meta:
            fail(f"the wheel's metadata lacks {needed}")
    if "python-dateutil" in meta:
        fail("the wheel still requires python-dateutil, which nothing imports")
    with tarfile.open(sdists[0]) as sdist:
        top = sdist.getnames()[0].split("/")[0]
        in_sdist = {n.removeprefix(top + "/") for n in sdist.getnames()}
    missing = [n for n in [*DATA, "LICENSE", "README.md", "pyproject.toml"] if n not in in_sdist]
    if missing:
        fail(f"the sdist lacks {len(missing)} file(s), e.g. {missing[:3]}")
    step(f"{wheels[0].name} and {sdists[0].name} hold all {len(DATA)} shipped files, the licence and its metadata")
    return wheels[0]


def journey(exe: Path, work: Path) -> None:
    """What a new board does with the installed command, in a folder outside the checkout."""
    env = clean_env()
    version = run([str(exe), "--version"], work, env).stdout.strip()
    step(f"installed: {version}")
    run([str(exe), "init", "board", "--demo"], work, env)
    board = work / "board"
    run([str(exe), "check"], board, env)
    out = run([str(exe), "run", "--now", "2026-03-02"], board, env).stdout
    if "DRSB-CPR-2026-001" not in out:
        fail(f"the first pass registered no referral:\n{out}")
    logged = run([str(exe), "run", "--now", "2026-03-03", "--json", "--log-format", "json", "-v"], board, env)
    summary = json.loads(logged.stdout)
    for line in logged.stderr.splitlines():
        entry = json.loads(line)
        if not {"time", "level", "pass", "event"} <= entry.keys():
            fail(f"a JSON log line lacks a field: {line}")
    cases = json.loads(run([str(exe), "status", "--json", "--now", "2026-03-03"], board, env).stdout)
    if len(cases) != 4:
        fail(f"status --json lists {len(cases)} case(s), not 4")
    run([str(exe), "init", "new-board"], work, env)
    refused = run([str(exe), "check"], work / "new-board", env, expect=1)
    if "FILL IN" not in refused.stderr and "placeholder" not in refused.stderr:
        fail(f"check did not name the placeholders of a new board:\n{refused.stderr}")
    step(f"init --demo, check, run ({len(summary['done'])} action(s) on the second pass), status and a new board's check: as documented")


def main() -> None:
    use_pipx = "--pipx" in sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix="o365flow-package-") as tmp:
        tmp_path = Path(tmp)
        if tmp_path.resolve().is_relative_to(ROOT):
            fail("the temporary folder is inside the checkout")
        dist = tmp_path / "dist"
        step("building the sdist, and the wheel from it")
        run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], tmp_path, clean_env())
        wheel = check_archives(dist)

        venv = tmp_path / "venv"
        step(f"installing {wheel.name} into a fresh venv at {venv}")
        run([sys.executable, "-m", "venv", str(venv)], tmp_path, clean_env())
        run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], tmp_path, clean_env())
        work = tmp_path / "work"
        work.mkdir()
        journey(venv / "bin" / "o365flow", work)

        if use_pipx:
            tools = tmp_path / "tools"
            run([sys.executable, "-m", "venv", str(tools)], tmp_path, clean_env())
            run([str(tools / "bin" / "python"), "-m", "pip", "install", "--quiet", "pipx"], tmp_path, clean_env())
            bin_dir = tmp_path / "bin"
            env = clean_env(PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(bin_dir), PIPX_MAN_DIR=str(tmp_path / "man"))
            step("installing the wheel with pipx")
            run([str(tools / "bin" / "pipx"), "install", str(wheel)], tmp_path, env)
            pipx_work = tmp_path / "pipx-work"
            pipx_work.mkdir()
            exe = bin_dir / "o365flow"
            step(run([str(exe), "--version"], pipx_work, clean_env()).stdout.strip() + " (pipx)")
            run([str(exe), "init", "board", "--demo"], pipx_work, clean_env())
            run([str(exe), "check"], pipx_work / "board", clean_env())
            step("pipx install, init --demo and check: as documented")
    step("passed")


if __name__ == "__main__":
    main()
