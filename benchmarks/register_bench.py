"""Register read/write timings: N cases (with ~12 sign-off rows each) read, updated with one
changed cell, and updated with no change. Wall time and peak Python memory (tracemalloc).

    python benchmarks/register_bench.py [N ...]      (default: 100 1000 10000)

Results are written down in benchmarks/README-register.md.
"""

from __future__ import annotations

import os
import platform
import sys
import time
import tracemalloc
from datetime import date, timedelta

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from o365flow.register import Link, read_register, update_register

AGENCIES = (
    "CCBC",
    "DCC",
    "FCC",
    "GC",
    "WCBC",
    "IOACC",
    "NWP",
    "BCUHB",
    "PROB",
    "WAST",
    "PHW",
    "EDU",
)
STAGES = (
    "awaiting_decision",
    "in_review",
    "action_plan_signoff",
    "signed_off",
    "published",
)


def build_rows(n: int) -> tuple[list[dict], list[dict]]:
    """N cases in mixed states; every case past its final report has 12 sign-off rows."""
    cases, signoffs = [], []
    start = date(2026, 1, 5)
    for i in range(n):
        ref = f"NWSB-CPR-{2026 + i // 1000}-{i % 1000 + 1:03d}"
        received = start + timedelta(days=i % 300)
        cases.append(
            {
                "Reference": ref,
                "Kind": "CPR",
                "Subject initials": "AB",
                "Referring agency": "Conwy County Borough Council",
                "Referral received": received,
                "Stage": STAGES[i % len(STAGES)],
                "Review due": received + timedelta(days=182),
                "Next deadline": received + timedelta(days=30),
                "Next deadline is": "Review due",
                "RAG": ("Red", "Amber", "Green")[i % 3],
                "Sign-offs outstanding": 12,
                "Folder": Link(ref, f"../Reviews/{ref}/"),
                "Last updated": date(2026, 6, 1),
                "Final report date": received + timedelta(days=150),
            }
        )
        for agency in AGENCIES:
            signoffs.append(
                {
                    "Reference": ref,
                    "Agency": agency,
                    "Agency name": f"{agency} safeguarding",
                    "Requested": received + timedelta(days=151),
                    "Due": received + timedelta(days=178),
                }
            )
    return cases, signoffs


def measure(fn, *args, **kwargs):
    tracemalloc.start()
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, elapsed, peak / 2**20


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - t0


def main(sizes: list[int]) -> None:
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(
        "| cases | sign-off rows | file KiB | read s | read MiB | update 1 cell s | update MiB "
        "| no change s | no change MiB | build s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        cases, signoffs = build_rows(n)
        data, build = timed(update_register, None, cases, signoffs)
        # Times without tracemalloc (it slows Python code several-fold); memory in a second run.
        _, read_s = timed(read_register, data)
        _, _, read_mib = measure(read_register, data)
        changed = [{"Reference": cases[n // 2]["Reference"], "Stage": "closed"}]
        new, update_s = timed(update_register, data, changed, [])
        assert new is not None
        _, _, update_mib = measure(update_register, data, changed, [])
        same, same_s = timed(update_register, data, cases, signoffs)
        assert same is None
        _, _, same_mib = measure(update_register, data, cases, signoffs)
        print(
            f"| {n:,} | {len(signoffs):,} | {len(data) // 1024:,} | {read_s:.2f} | {read_mib:.0f} "
            f"| {update_s:.2f} | {update_mib:.0f} | {same_s:.2f} | {same_mib:.0f} | {build:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000, 10000])
