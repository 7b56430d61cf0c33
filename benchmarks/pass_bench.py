"""Time a no-op pass and `status` on a synthetic board, as a scheduler runs them: a new process
each time, start-up included. Peak memory is the child's maximum resident set size.

    python benchmarks/pass_bench.py [CASES]

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


_MEASURE = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)"
)


def timed(args: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MB, exit code) of one command in its own process, measured by a
    fresh parent so no earlier run's peak is counted."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, check=True).stdout
    wall, rss_kb, rc = out.split()
    if int(rc) not in (0, 1):
        raise SystemExit(f"{args} exited {rc}")
    return float(wall), int(rss_kb) / 1024, int(rc)


def main() -> None:
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    work = HERE / ".work" / f"board-{cases}"
    shutil.rmtree(work, ignore_errors=True)
    t0 = time.perf_counter()
    config = build(work, cases)
    print(f"built a board of {cases} cases in {time.perf_counter() - t0:.1f} s")
    base = [sys.executable, "-m", "o365flow", "--quiet", "--config", str(config)]
    t0 = time.perf_counter()
    subprocess.run(base + ["run", "--now", NOW], capture_output=True)
    print(f"first pass (writes every worker cell of the register): {time.perf_counter() - t0:.2f} s")
    for name, args in (("no-op pass", ["run", "--now", NOW]), ("status", ["status", "--now", NOW]),
                       ("status --json", ["status", "--now", NOW, "--json"])):
        runs = [timed(base + args) for _ in range(5)]
        walls = [r[0] for r in runs]
        print(f"{name:14} median {statistics.median(walls):.3f} s  (min {min(walls):.3f}, max {max(walls):.3f})  "
              f"peak RSS {max(r[1] for r in runs):.0f} MB")
    reg = config.parent / "site" / "Register" / "Practice Review Register.xlsx"
    print(f"register: {reg.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
