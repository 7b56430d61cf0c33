"""Time a no-op pass and `status` on a synthetic board, as a scheduler runs them: a new process
each time, start-up included. Figures are CPU seconds of the whole process (user + system: what
the machine pays, steadier than wall time on a shared machine) and peak resident memory, each
also as a ratio to the floor, ``python -c "import openpyxl, click"``.

    python benchmarks/pass_bench.py [CASES ...] [--no-folders]

Results are written down in benchmarks/README.md.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.synth import build  # noqa: E402

NOW = "2026-11-27T10:00"
RUNS = 5

_MEASURE = (
    "import resource, subprocess, sys; "
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
    "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(u.ru_utime + u.ru_stime, u.ru_maxrss, rc)"
)


def measured(args: list[str]) -> tuple[float, float, int]:
    """(CPU seconds, peak RSS MB, exit code) of one command in its own process, measured by a
    fresh parent so no earlier run is counted."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, check=True).stdout
    cpu, rss_kb, rc = out.split()
    if int(rc) not in (0, 1):
        raise SystemExit(f"{args} exited {rc}")
    return float(cpu), int(rss_kb) / 1024, int(rc)


def median_of(args: list[str]) -> tuple[float, float]:
    runs = [measured(args) for _ in range(RUNS)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def floor() -> tuple[float, float]:
    return median_of([sys.executable, "-c", "import openpyxl, click"])


def bench(cases: int, folders: bool, base_floor: float) -> None:
    config = built(cases, folders)
    base = [sys.executable, "-m", "o365flow", "--quiet", "--config", str(config)]
    cpu, rss, _ = measured(base + ["run", "--now", NOW])
    print(f"  first pass (indexes the folders, writes every worker cell): {cpu:.2f} s CPU, {rss:.0f} MB")
    for name, args in (("no-op run", ["run", "--now", NOW]), ("status", ["status", "--now", NOW])):
        cpu, rss = median_of(base + args)
        print(f"  {name:10} {cpu:6.3f} s CPU ({cpu / base_floor:4.1f}x floor)  peak {rss:5.0f} MB")


def built(cases: int, folders: bool) -> Path:
    """A fresh copy of the board of ``cases`` cases, as built before any pass. The built board is
    kept under ``.work`` (a 10,000-case board takes the better part of an hour to build) and
    copied for each measurement, so every run starts from the same board; ``--rebuild`` builds
    it again (after a change to ``synth.py``)."""
    name = f"board-{cases}{'' if folders else '-bare'}"
    pristine, work = HERE / ".work" / f"{name}.built", HERE / ".work" / name
    if "--rebuild" in sys.argv or not (pristine / ".complete").exists():
        shutil.rmtree(pristine, ignore_errors=True)
        t0 = time.perf_counter()
        build(pristine, cases, folders=folders)
        (pristine / ".complete").write_text("")
        print(f"\n{cases} cases{' with case folders' if folders else ' (no case folders)'}: built in {time.perf_counter() - t0:.1f} s")
    shutil.rmtree(work, ignore_errors=True)
    subprocess.run(["cp", "-a", str(pristine), str(work)], check=True)
    # The config names its folders relative to itself, so the copy is a board of its own.
    return work / "o365flow.toml"


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sizes = [int(a) for a in args] or [100, 1000]
    folders = "--no-folders" not in sys.argv
    f_cpu, f_rss = floor()
    print(f"floor (python -c 'import openpyxl, click'): {f_cpu:.3f} s CPU, {f_rss:.0f} MB")
    for cases in sizes:
        bench(cases, folders, f_cpu)


if __name__ == "__main__":
    main()
